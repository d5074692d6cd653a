/**
 * Builds the recorded Deepgram sessions (`fixtures/sessions/deepgram/<fixture id>.json`) offline,
 * in the shared envelope, for fixtures that have no recording from the service yet.
 *
 * The words, timings and utterance boundaries are PocketSphinx's real recognition of each
 * fixture (the vendor-neutral step every synthesizer shares, `synthesis/recognise-fixture.ts`),
 * written as the messages Deepgram's listen WebSocket sends with `interim_results=true`,
 * `vad_events=true` and `utterance_end_ms=1000`: per utterance a `SpeechStarted`, a growing
 * interim `Results` per word, a final `Results` (`is_final`, `speech_final`) 300 ms after its last
 * word and, after a gap of a second, an `UtteranceEnd`; then the answer to the client's `Finalize`
 * (a `from_finalize` final for the audio not yet finalized) and the closing `Metadata`. The
 * pre-recorded endpoint's answer (with `utterances=true`) is synthesized alongside as `batch`.
 * Sessions recorded from the service (`source.kind` `"service"`) are never overwritten; the loop
 * is the shared one (`synthesis/synthesize-sessions.ts`).
 *
 * ```sh
 * npx tsc -b conformance && node conformance/dist/deepgram/synthesize-sessions.js [fixture-id ...]
 * ```
 *
 * @module
 */
import { createHash } from "node:crypto";
import { pathToFileURL } from "node:url";
import type { AudioFixture } from "../manifest/manifest-format.js";
import type { RecognisedUtterance, RecognisedWord } from "../synthesis/recognise-fixture.js";
import { synthesizedEnvelope, synthesizeSessions, type SynthesisProvenance } from "../synthesis/synthesize-sessions.js";
import { recordingQuery } from "./record-session.js";
import type { RecordedDeepgramMessage, RecordedDeepgramSession } from "./session-format.js";

/** What the Deepgram sessions say of themselves. */
const DEEPGRAM_VENDOR = {
  provider: "deepgram",
  wireFormat: "Deepgram's listen wire format",
  recordCommand: "npm run record-deepgram -w @sttkit/conformance",
  recordableWhen: "a key is available",
} as const;

/** Endpointing: how long after an utterance's last word the final (`speech_final`) is sent. */
const ENDPOINT_MS = 300;
/** `utterance_end_ms`: the gap after the last word before `UtteranceEnd`. */
const UTTERANCE_END_MS = 1_000;
const MODEL_INFO = { name: "general-nova-3", version: "2025-07-31.0", arch: "nova-3" } as const;
const MODEL_UUID = "40bd3654-e622-47c4-a111-63a61b23bfe8";

const seconds = (ms: number): number => Math.round(ms) / 1000;

/** A stable UUID-shaped id from a text, so reruns write identical files. */
function stableId(text: string): string {
  const hex = createHash("sha256").update(text).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Deepgram's punctuated form of an utterance's words: capitalised first word and "I", a closing period. */
function punctuated(words: readonly RecognisedWord[]): string[] {
  return words.map((w, index) => {
    let text = w.word === "i" || w.word.startsWith("i'") ? `I${w.word.slice(1)}` : w.word;
    if (index === 0) text = `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
    return index === words.length - 1 ? `${text}.` : text;
  });
}

function wireWords(words: readonly RecognisedWord[], punctuate: boolean): Array<Record<string, unknown>> {
  const display = punctuate ? punctuated(words) : words.map((w) => w.word);
  return words.map((w, index) => ({ word: w.word, start: seconds(w.startMs), end: seconds(w.endMs), confidence: w.confidence, punctuated_word: display[index] }));
}

const average = (words: readonly RecognisedWord[]): number =>
  words.length === 0 ? 0 : Math.round((words.reduce((sum, w) => sum + w.confidence, 0) / words.length) * 10_000) / 10_000;

function results(
  requestId: string,
  window: { startMs: number; endMs: number },
  words: readonly RecognisedWord[],
  flags: { isFinal: boolean; speechFinal: boolean; fromFinalize?: boolean },
): Record<string, unknown> {
  const transcript = flags.isFinal ? punctuated(words).join(" ") : words.map((w) => w.word).join(" ");
  return {
    type: "Results",
    channel_index: [0, 1],
    duration: seconds(window.endMs - window.startMs),
    start: seconds(window.startMs),
    is_final: flags.isFinal,
    speech_final: flags.speechFinal,
    channel: { alternatives: [{ transcript: words.length === 0 ? "" : transcript, confidence: average(words), words: wireWords(words, flags.isFinal) }] },
    metadata: { request_id: requestId, model_info: MODEL_INFO, model_uuid: MODEL_UUID },
    from_finalize: flags.fromFinalize === true,
  };
}

/**
 * The listen messages Deepgram would have sent for `fixture` had it recognised `utterances`, and
 * the pre-recorded answer, as a session in the shared envelope.
 */
export function synthesizeDeepgramSession(fixture: AudioFixture, utterances: readonly RecognisedUtterance[], provenance: SynthesisProvenance): RecordedDeepgramSession {
  const requestId = stableId(`listen ${fixture.id}`);
  const messages: RecordedDeepgramMessage[] = [];
  let latestMs = 0;
  const send = (atMs: number, body: Record<string, unknown>): void => {
    if (atMs > fixture.durationMs) {
      messages.push({ ...(body as { type: string }), atAudioMs: fixture.durationMs, afterEndOfAudio: true });
      return;
    }
    latestMs = Math.max(latestMs, atMs);
    messages.push({ ...(body as { type: string }), atAudioMs: latestMs });
  };
  let finalizedMs = 0;
  utterances.forEach((words, index) => {
    const first = words[0];
    const last = words.at(-1);
    if (!first || !last) return;
    send(first.startMs, { type: "SpeechStarted", channel: [0, 1], timestamp: seconds(first.startMs) });
    for (let heard = 1; heard <= words.length; heard++) {
      const latest = words[heard - 1] as RecognisedWord;
      send(latest.endMs, results(requestId, { startMs: finalizedMs, endMs: latest.endMs }, words.slice(0, heard), { isFinal: false, speechFinal: false }));
    }
    const endpointMs = last.endMs + ENDPOINT_MS;
    if (endpointMs > fixture.durationMs) {
      // Speech running to the end of the audio: only the client's Finalize closes it.
      send(endpointMs, results(requestId, { startMs: finalizedMs, endMs: fixture.durationMs }, words, { isFinal: true, speechFinal: false, fromFinalize: true }));
      finalizedMs = fixture.durationMs;
      return;
    }
    send(endpointMs, results(requestId, { startMs: finalizedMs, endMs: endpointMs }, words, { isFinal: true, speechFinal: true }));
    finalizedMs = endpointMs;
    const next = utterances[index + 1]?.[0];
    const utteranceEndMs = last.endMs + UTTERANCE_END_MS;
    if ((next === undefined || next.startMs > utteranceEndMs) && utteranceEndMs <= fixture.durationMs) {
      send(utteranceEndMs, { type: "UtteranceEnd", channel: [0, 1], last_word_end: seconds(last.endMs) });
    }
  });
  if (finalizedMs < fixture.durationMs) {
    messages.push({ ...(results(requestId, { startMs: finalizedMs, endMs: fixture.durationMs }, [], { isFinal: true, speechFinal: false, fromFinalize: true }) as { type: string }), atAudioMs: fixture.durationMs, afterEndOfAudio: true });
  }
  messages.push({
    type: "Metadata",
    transaction_key: "deprecated",
    request_id: requestId,
    sha256: provenance.audio.sha256,
    created: "2026-01-01T00:00:00.000Z",
    duration: seconds(fixture.durationMs),
    channels: 1,
    atAudioMs: fixture.durationMs,
    afterEndOfAudio: true,
  });
  return {
    ...synthesizedEnvelope(DEEPGRAM_VENDOR, fixture, provenance),
    request: { query: recordingQuery(fixture) },
    turns: [{ messages }],
    batch: { status: 200, body: batchAnswer(fixture, utterances, provenance.audio.sha256) },
  };
}

/** The pre-recorded endpoint's answer with `utterances=true`. */
function batchAnswer(fixture: AudioFixture, utterances: readonly RecognisedUtterance[], sha256: string): unknown {
  const spoken = utterances.filter((words) => words.length > 0);
  const all = spoken.flat();
  return {
    metadata: {
      transaction_key: "deprecated",
      request_id: stableId(`batch ${fixture.id}`),
      sha256,
      created: "2026-01-01T00:00:00.000Z",
      duration: seconds(fixture.durationMs),
      channels: 1,
      models: [MODEL_UUID],
      model_info: { [MODEL_UUID]: MODEL_INFO },
    },
    results: {
      channels: [{ alternatives: [{ transcript: spoken.map((words) => punctuated(words).join(" ")).join(" "), confidence: average(all), words: spoken.flatMap((words) => wireWords(words, true)) }] }],
      utterances: spoken.map((words, index) => ({
        start: seconds((words[0] as RecognisedWord).startMs),
        end: seconds((words.at(-1) as RecognisedWord).endMs),
        confidence: average(words),
        channel: 0,
        transcript: punctuated(words).join(" "),
        words: wireWords(words, true),
        id: stableId(`${fixture.id} utterance ${index}`),
      })),
    },
  };
}

/**
 * Synthesizes the Deepgram sessions of the given fixtures (all when `only` is empty) into
 * `<fixtures>/sessions/deepgram/`, printing each one's word error rate against its reference.
 * Returns the process exit code.
 */
export function synthesizeDeepgramSessions(only: readonly string[] = []): number {
  return synthesizeSessions("deepgram", (fixture, recognition, provenance) => synthesizeDeepgramSession(fixture, recognition.utterances, provenance), only);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = synthesizeDeepgramSessions(process.argv.slice(2));
}
