/**
 * Builds the recorded Azure sessions (`fixtures/sessions/azure/<fixture id>.json`) offline, for
 * fixtures that have no recording from the real service yet.
 *
 * There is no Azure Speech service to record from here, so the words, their timings and the
 * utterance boundaries come from a real recogniser, CMU PocketSphinx (Debian `pocketsphinx` with
 * the `pocketsphinx-en-us` model), run on each fixture's audio. They are written as the USP
 * messages the service sends in continuous recognition with the detailed output format, each
 * tagged with the audio position at which the service would send it. The recognition errors are
 * PocketSphinx's own and are kept: the sessions say what an engine really heard, not the reference.
 * Sessions recorded from the service (`source.kind` `"service"`) are never overwritten. The output
 * depends only on the audio and the PocketSphinx version, so rerunning it changes nothing.
 *
 * Run it after `conformance/scripts/make-fixtures.sh` (or with `make-fixtures.sh --sessions`):
 *
 * ```sh
 * npx tsc -b conformance && node conformance/dist/azure/synthesize-sessions.js [fixture-id ...]
 * ```
 *
 * @module
 */
import { createHash } from "node:crypto";
import { pathToFileURL } from "node:url";
import { msToTicks } from "@sttkit/core/kit";
import type { AudioFixture } from "../manifest/manifest-format.js";
import type { RecognisedUtterance, RecognisedWord } from "../synthesis/recognise-fixture.js";
import { synthesizedEnvelope, synthesizeSessions, type SynthesisProvenance } from "../synthesis/synthesize-sessions.js";
import type { RecordedAzureMessage, RecordedAzureSession } from "./session-format.js";

/** What the Azure sessions say of themselves. */
const AZURE_VENDOR = {
  provider: "azure",
  wireFormat: "the Azure Speech wire format",
  recordCommand: "npm run record-azure -w @sttkit/conformance",
  recordableWhen: "credentials are available",
} as const;

/** How long after the end of an utterance the service's final result arrives, roughly, as the service behaves. */
const PHRASE_DELAY_MS = 300;

/** Azure's display form: first letter and the pronoun "I" capitalised, a closing period. */
export function azureDisplayText(words: readonly string[]): string {
  const text = words.map((word) => (word === "i" || word.startsWith("i'") ? `I${word.slice(1)}` : word)).join(" ");
  return text.length === 0 ? "" : `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

/**
 * The session the Azure service would have sent for `fixture` had it recognised `utterances`:
 * one turn, `turn.start`; per utterance `speech.startDetected` at its first word, a growing
 * `speech.hypothesis` at the end of each word and a `speech.phrase` (status `Success`, detailed
 * `NBest` with word timings) 300 ms after its last word; then
 * `speech.endDetected` and `turn.end` once the client has sent the end of the audio.
 *
 * With no utterances (silence) the turn has no phrase at all. The service can also answer
 * silence with a phrase of status `InitialSilenceTimeout` or `NoMatch`, depending on timeouts
 * and mode; without a recording to show which it sends here, the session claims neither.
 *
 * A message is never placed earlier in the audio than the one before it, so the replay keeps the
 * service's order (a phrase before the next utterance's first event) even for close utterances.
 * A phrase due after the end of the audio (speech running to within 300 ms of
 * it) is marked `afterEndOfAudio`: the service can only close such an utterance once the client
 * says no more audio is coming.
 */
export function synthesizeAzureSession(
  fixture: AudioFixture,
  utterances: readonly RecognisedUtterance[],
  provenance: SynthesisProvenance,
): RecordedAzureSession {
  const messages: RecordedAzureMessage[] = [];
  let latestMs = 0;
  const send = (path: string, atMs: number, body: unknown): void => {
    if (atMs > fixture.durationMs) {
      messages.push({ path, atAudioMs: fixture.durationMs, afterEndOfAudio: true, body });
      latestMs = fixture.durationMs;
      return;
    }
    latestMs = Math.max(latestMs, atMs);
    messages.push({ path, atAudioMs: latestMs, body });
  };
  // The service tags each turn with a 32-hex-digit id; a hash of the fixture id keeps reruns identical.
  send("turn.start", 0, { context: { serviceTag: createHash("md5").update(fixture.id).digest("hex") } });
  for (const words of utterances) {
    const first = words[0];
    const last = words[words.length - 1];
    if (!first || !last) continue;
    send("speech.startDetected", first.startMs, { Offset: msToTicks(first.startMs) });
    for (let heard = 1; heard <= words.length; heard++) {
      const latest = words[heard - 1] as RecognisedWord;
      send("speech.hypothesis", latest.endMs, {
        Text: words.slice(0, heard).map((w) => w.word).join(" "),
        Offset: msToTicks(first.startMs),
        Duration: msToTicks(latest.endMs - first.startMs),
      });
    }
    const lexical = words.map((w) => w.word).join(" ");
    const display = azureDisplayText(words.map((w) => w.word));
    const confidence = phraseConfidence(words);
    send("speech.phrase", last.endMs + PHRASE_DELAY_MS, {
      RecognitionStatus: "Success",
      DisplayText: display,
      Offset: msToTicks(first.startMs),
      Duration: msToTicks(last.endMs - first.startMs),
      NBest: [
        {
          Confidence: confidence,
          Lexical: lexical,
          ITN: lexical,
          MaskedITN: lexical,
          Display: display,
          Words: words.map((w) => ({ Word: w.word, Offset: msToTicks(w.startMs), Duration: msToTicks(w.endMs - w.startMs), Confidence: w.confidence })),
        },
      ],
    });
  }
  messages.push({ path: "speech.endDetected", atAudioMs: fixture.durationMs, afterEndOfAudio: true, body: { Offset: msToTicks(fixture.durationMs) } });
  messages.push({ path: "turn.end", atAudioMs: fixture.durationMs, afterEndOfAudio: true, body: {} });
  return {
    ...synthesizedEnvelope(AZURE_VENDOR, fixture, provenance),
    request: { language: fixture.language, format: "detailed" },
    turns: [{ messages }],
    batch: { status: 200, body: synthesizeFastTranscriptionAnswer(fixture, utterances) },
  };
}

/** The mean of the words' confidences, to four decimals, as the realtime phrase carries it. */
function phraseConfidence(words: readonly RecognisedWord[]): number {
  return Math.round((words.reduce((sum, w) => sum + w.confidence, 0) / words.length) * 10_000) / 10_000;
}

/**
 * The fast transcription API's answer (api-version 2024-11-15) for the same recognition: one
 * phrase per utterance, in the display form (the only one that API gives), with its offset and
 * duration in milliseconds, its words (display form, punctuation attached), locale and confidence;
 * `combinedPhrases` holds the whole text and `durationMilliseconds` the audio's length. Stored as
 * the session's `batch` answer.
 */
export function synthesizeFastTranscriptionAnswer(fixture: AudioFixture, utterances: readonly RecognisedUtterance[]): unknown {
  const phrases = utterances.flatMap((words) => {
    const first = words[0];
    const last = words[words.length - 1];
    if (!first || !last) return [];
    const display = azureDisplayText(words.map((w) => w.word));
    const displayWords = display.split(" ");
    return [
      {
        offsetMilliseconds: Math.round(first.startMs),
        durationMilliseconds: Math.round(last.endMs - first.startMs),
        text: display,
        words: words.map((w, index) => ({
          text: displayWords[index] ?? w.word,
          offsetMilliseconds: Math.round(w.startMs),
          durationMilliseconds: Math.round(w.endMs - w.startMs),
        })),
        locale: fixture.language,
        confidence: phraseConfidence(words),
      },
    ];
  });
  return {
    durationMilliseconds: fixture.durationMs,
    combinedPhrases: [{ text: phrases.map((phrase) => phrase.text).join(" ") }],
    phrases,
  };
}

/**
 * Synthesizes the Azure sessions of the given fixtures (all when `only` is empty) into
 * `<fixtures>/sessions/azure/`, printing each one's word error rate against its reference.
 * Returns the process exit code.
 */
export function synthesizeAzureSessions(only: readonly string[] = []): number {
  return synthesizeSessions("azure", (fixture, recognition, provenance) => synthesizeAzureSession(fixture, recognition.utterances, provenance), only);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = synthesizeAzureSessions(process.argv.slice(2));
}
