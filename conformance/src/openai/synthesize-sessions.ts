/**
 * Builds the recorded OpenAI sessions (`fixtures/sessions/openai/<fixture id>.json`) offline, for
 * fixtures that have no recording from the real service yet.
 *
 * There is no OpenAI service to record from here, so the words, their timings and the utterance
 * boundaries come from a real recogniser, CMU PocketSphinx, run on each fixture's audio (the
 * shared synthesis loop). They are written as the service's own messages: the Realtime server
 * events of a transcription session with server VAD, each tagged with the audio position at which
 * the service would send it, and the batch endpoint's answers for each transcription model. The
 * recognition errors are PocketSphinx's own and are kept. Sessions recorded from the service are
 * never overwritten; rerunning the synthesizer changes nothing.
 *
 * ```sh
 * npx tsc -b conformance && node conformance/dist/openai/synthesize-sessions.js [fixture-id ...]
 * ```
 *
 * @module
 */
import { createHash } from "node:crypto";
import { pathToFileURL } from "node:url";
import type { AudioFixture } from "../manifest/manifest-format.js";
import { RECORDED_SESSION_FORMAT } from "../sessions/envelope.js";
import type { RecognisedUtterance, RecognisedWord } from "../synthesis/recognise-fixture.js";
import { synthesizeSessions, type SynthesisProvenance } from "../synthesis/synthesize-sessions.js";
import { OPENAI_PROVIDER, type OpenAIServerEvent, type OpenAITurnDetection, type RecordedOpenAIMessage, type RecordedOpenAISession } from "./session-format.js";

/** The Realtime session the synthesized sessions stand for: the API's documented VAD defaults. */
export const SYNTHESIZED_TURN_DETECTION: OpenAITurnDetection = Object.freeze({ type: "server_vad", threshold: 0.5, prefixPaddingMs: 300, silenceDurationMs: 500 });

/** The transcription model of the synthesized Realtime sessions. */
export const SYNTHESIZED_REALTIME_MODEL = "gpt-4o-transcribe";

/** Audio of speech the server VAD needs before it reports `speech_started`, ms (a few 20-30 ms frames). */
const VAD_ONSET_MS = 100;
/** Time from the commit of an item to its first transcription delta, ms. */
const FIRST_DELTA_DELAY_MS = 250;
/** Time between two deltas (one per word), ms. */
const DELTA_INTERVAL_MS = 40;
/** Time from the last delta to the completed transcript, ms. */
const COMPLETED_DELAY_MS = 30;
/** The service refuses to commit less audio than this, ms (`input_audio_buffer_commit_empty`). */
export const MIN_COMMIT_MS = 100;

/** The batch models whose answers a synthesized session holds. */
export const SYNTHESIZED_BATCH_MODELS: readonly string[] = Object.freeze(["whisper-1", "gpt-4o-transcribe", "gpt-4o-mini-transcribe"]);

/** The display form of the gpt-4o and whisper models: first letter and the pronoun "I" capitalised, a closing period. */
export function openaiDisplayText(words: readonly string[]): string {
  const text = words.map((word) => (word === "i" || word.startsWith("i'") ? `I${word.slice(1)}` : word)).join(" ");
  return text.length === 0 ? "" : `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

/** Hundredths of a second, as whisper-1 reports times. */
const seconds = (ms: number): number => Math.round(ms / 10) / 100;

/**
 * Utterances as the server VAD would cut them: PocketSphinx's utterances joined when the silence
 * between them is shorter than the VAD's closing silence (the VAD would not have ended speech).
 */
export function vadItems(utterances: readonly RecognisedUtterance[], silenceDurationMs: number): RecognisedWord[][] {
  const items: RecognisedWord[][] = [];
  for (const words of utterances) {
    if (words.length === 0) continue;
    const previous = items.at(-1);
    const previousEnd = previous?.at(-1)?.endMs;
    if (previous && previousEnd !== undefined && (words[0] as RecognisedWord).startMs - previousEnd < silenceDurationMs) previous.push(...words);
    else items.push([...words]);
  }
  return items;
}

/**
 * The Realtime events the service would have sent for `fixture` had it heard `utterances`, in a
 * transcription session with server VAD ({@link SYNTHESIZED_TURN_DETECTION}), as the API
 * documents them. Per VAD item: `speech_started` once 100 ms of its speech has
 * arrived (`audio_start_ms` = speech start - prefix padding, at least 0); once the closing
 * silence has arrived, `speech_stopped` (`audio_end_ms` = speech end + silence) and `committed`;
 * then a transcription `delta` per word and `completed` with the display text.
 *
 * The client commits what is left when the audio ends (at least {@link MIN_COMMIT_MS}): an item
 * whose closing silence the audio does not hold is committed then (its events marked
 * `afterEndOfAudio`), and trailing audio without speech gives a committed item with an empty
 * transcript, as the service answers silence. The session-level events (`session.created`,
 * `session.updated`) are not recorded: the replay server answers the client's own `session.update`.
 */
export function synthesizeOpenAIRealtimeMessages(fixture: AudioFixture, utterances: readonly RecognisedUtterance[]): RecordedOpenAIMessage[] {
  const vad = SYNTHESIZED_TURN_DETECTION;
  const messages: RecordedOpenAIMessage[] = [];
  let latestMs = 0;
  let eventNumber = 0;
  const eventId = (): string => `event_${createHash("md5").update(`${fixture.id}/${eventNumber++}`).digest("hex").slice(0, 20)}`;
  const send = (atMs: number, event: OpenAIServerEvent, delayMs = 0, afterEnd = false): void => {
    const full: OpenAIServerEvent = { event_id: eventId(), ...event };
    if (afterEnd || atMs > fixture.durationMs) {
      messages.push({ atAudioMs: fixture.durationMs, afterEndOfAudio: true, ...(delayMs > 0 ? { delayMs } : {}), event: full });
      latestMs = fixture.durationMs;
      return;
    }
    latestMs = Math.max(latestMs, atMs);
    messages.push({ atAudioMs: latestMs, ...(delayMs > 0 ? { delayMs } : {}), event: full });
  };
  const transcribe = (itemId: string, words: readonly RecognisedWord[], atMs: number, afterEnd: boolean): void => {
    words.forEach((word, index) =>
      send(
        atMs,
        { type: "conversation.item.input_audio_transcription.delta", item_id: itemId, content_index: 0, delta: index === 0 ? openaiDisplayText([word.word]).replace(/\.$/, "") : ` ${word.word}` },
        index === 0 ? FIRST_DELTA_DELAY_MS : DELTA_INTERVAL_MS,
        afterEnd,
      ),
    );
    const transcript = openaiDisplayText(words.map((word) => word.word));
    const audioTokens = Math.max(1, Math.round(((words.at(-1)?.endMs ?? 0) - (words[0]?.startMs ?? 0)) / 100));
    send(
      atMs,
      {
        type: "conversation.item.input_audio_transcription.completed",
        item_id: itemId,
        content_index: 0,
        transcript,
        usage: { type: "tokens", input_tokens: audioTokens, output_tokens: words.length + 1, total_tokens: audioTokens + words.length + 1, input_token_details: { audio_tokens: audioTokens, text_tokens: 0 } },
      },
      words.length === 0 ? FIRST_DELTA_DELAY_MS : COMPLETED_DELAY_MS,
      afterEnd,
    );
  };
  let previousItem: string | null = null;
  let boundaryMs = 0;
  const items = vadItems(utterances, vad.silenceDurationMs);
  let itemNumber = 0;
  const newItemId = (): string => `item_${createHash("md5").update(`${fixture.id}#${itemNumber++}`).digest("hex").slice(0, 20)}`;
  for (const words of items) {
    const first = words[0] as RecognisedWord;
    const last = words.at(-1) as RecognisedWord;
    const itemId = newItemId();
    send(first.startMs + VAD_ONSET_MS, { type: "input_audio_buffer.speech_started", audio_start_ms: Math.max(0, first.startMs - vad.prefixPaddingMs), item_id: itemId });
    const stopMs = last.endMs + vad.silenceDurationMs;
    const closedByVad = stopMs <= fixture.durationMs;
    if (closedByVad) {
      send(stopMs, { type: "input_audio_buffer.speech_stopped", audio_end_ms: stopMs, item_id: itemId });
      boundaryMs = stopMs;
    }
    // Without the closing silence in the audio, the item stays open until the client commits it.
    send(closedByVad ? stopMs : fixture.durationMs, { type: "input_audio_buffer.committed", item_id: itemId, previous_item_id: previousItem }, 0, !closedByVad);
    if (!closedByVad) boundaryMs = fixture.durationMs;
    transcribe(itemId, words, closedByVad ? stopMs : fixture.durationMs, !closedByVad);
    previousItem = itemId;
  }
  if (fixture.durationMs - boundaryMs >= MIN_COMMIT_MS) {
    const itemId = newItemId();
    send(fixture.durationMs, { type: "input_audio_buffer.committed", item_id: itemId, previous_item_id: previousItem }, 0, true);
    transcribe(itemId, [], fixture.durationMs, true);
  }
  return messages;
}

/** Plausible token counts for a gpt-4o transcription of `ms` of audio and `words` words. */
function tokenUsage(ms: number, words: number): Record<string, unknown> {
  const audio = Math.max(1, Math.round(ms / 100));
  return { type: "tokens", input_tokens: audio, output_tokens: words + 1, total_tokens: audio + words + 1, input_token_details: { audio_tokens: audio, text_tokens: 0 } };
}

/**
 * The batch answers for the whole fixture: `whisper-1` in `verbose_json` with segment and word
 * timestamps (one segment per PocketSphinx utterance), and the `gpt-4o` models in `json` (text and
 * token usage; they report no timestamps).
 */
export function synthesizeOpenAIBatchAnswers(fixture: AudioFixture, utterances: readonly RecognisedUtterance[]): Record<string, Record<string, unknown>> {
  const spoken = utterances.filter((words) => words.length > 0);
  const text = spoken.map((words) => openaiDisplayText(words.map((word) => word.word))).join(" ");
  const wordCount = spoken.reduce((sum, words) => sum + words.length, 0);
  const verbose = {
    task: "transcribe",
    language: "english",
    duration: seconds(fixture.durationMs),
    text,
    segments: spoken.map((words, id) => {
      const confidence = words.reduce((sum, word) => sum + word.confidence, 0) / words.length;
      return {
        id,
        seek: 0,
        start: seconds((words[0] as RecognisedWord).startMs),
        end: seconds((words.at(-1) as RecognisedWord).endMs),
        text: ` ${openaiDisplayText(words.map((word) => word.word))}`,
        tokens: [],
        temperature: 0,
        avg_logprob: Math.round(Math.log(Math.max(confidence, 1e-6)) * 10_000) / 10_000,
        compression_ratio: 1,
        no_speech_prob: 0.01,
      };
    }),
    words: spoken.flatMap((words) => words.map((word) => ({ word: word.word, start: seconds(word.startMs), end: seconds(word.endMs) }))),
    usage: { type: "duration", seconds: Math.ceil(fixture.durationMs / 1000) },
  };
  const json = { text, usage: tokenUsage(fixture.durationMs, wordCount) };
  return { "whisper-1": { verbose_json: verbose }, "gpt-4o-transcribe": { json }, "gpt-4o-mini-transcribe": { json } };
}

/** The whole synthesized OpenAI session of a fixture: Realtime events in `turns[0]`, batch answers in `batch`. */
export function synthesizeOpenAISession(fixture: AudioFixture, utterances: readonly RecognisedUtterance[], provenance: SynthesisProvenance): RecordedOpenAISession {
  const prepared = provenance.preparation ? ` ${provenance.preparation}` : "";
  return {
    format: RECORDED_SESSION_FORMAT,
    provider: OPENAI_PROVIDER,
    fixture: fixture.id,
    audio: provenance.audio,
    source: {
      kind: "synthesized",
      description:
        `Synthesized offline in the OpenAI wire format (Realtime transcription events with server VAD; batch answers of ${SYNTHESIZED_BATCH_MODELS.join(", ")}) ` +
        `from ${provenance.engine} (acoustic model and dictionary from Debian's pocketsphinx-en-us) recognising the fixture: its words, word timings and ` +
        `utterance boundaries are PocketSphinx's; VAD timing follows the API's documented defaults.${prepared} ` +
        "Replace it with a recording from the service (npm run record-openai -w @sttkit/conformance) when credentials are available.",
    },
    request: { realtime: { model: SYNTHESIZED_REALTIME_MODEL, language: fixture.language.split("-")[0] ?? "en", turnDetection: SYNTHESIZED_TURN_DETECTION } },
    turns: [{ messages: synthesizeOpenAIRealtimeMessages(fixture, utterances) }],
    batch: { status: 200, body: synthesizeOpenAIBatchAnswers(fixture, utterances) },
  };
}

/**
 * Synthesizes the OpenAI sessions of the given fixtures (all when `only` is empty) into
 * `<fixtures>/sessions/openai/`, printing each one's word error rate. Returns the exit code.
 */
export function synthesizeOpenAISessions(only: readonly string[] = []): number {
  return synthesizeSessions(OPENAI_PROVIDER, (fixture, recognition, provenance) => synthesizeOpenAISession(fixture, recognition.utterances, provenance), only);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = synthesizeOpenAISessions(process.argv.slice(2));
}
