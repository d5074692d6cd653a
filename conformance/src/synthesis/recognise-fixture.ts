/**
 * The vendor-neutral half of session synthesis: what a real recogniser, CMU PocketSphinx (Debian
 * `pocketsphinx` with the `pocketsphinx-en-us` model), hears in a fixture, word by word with
 * timings and confidences. Each vendor's synthesizer writes it in that vendor's wire format. The
 * engine's output is read by the offline adapter's own parser, so there is one reading of it.
 *
 * @module
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { err, ok, type Result } from "neverthrow";
import type { SttError, TranscriptSegment } from "@sttkit/core";
import { describeCause, sttError } from "@sttkit/core/kit";
import { parseEngineOutput } from "@sttkit/offline/engine-output";
import type { ResolvedFixture } from "../manifest/load.js";

/** The sample rate of the only acoustic model Debian ships (`pocketsphinx-en-us`). */
const MODEL_SAMPLE_RATE = 16_000;

/** One word PocketSphinx recognised, with where it lies in the audio. */
export interface RecognisedWord {
  /** The word, lower case, without PocketSphinx's pronunciation-variant suffix. */
  readonly word: string;
  /** Where the word starts, in milliseconds from the start of the audio. */
  readonly startMs: number;
  /** Where the word ends (exclusive), in milliseconds from the start of the audio. */
  readonly endMs: number;
  /** PocketSphinx's posterior probability of the word, between 0 and 1. */
  readonly confidence: number;
}

/** The words of one utterance (one `<s>` ... `</s>` segment), in order; never empty. */
export type RecognisedUtterance = readonly RecognisedWord[];

/** The engine's segments as utterances of lower-case words (segments without words are dropped by the parser). */
export function recognisedUtterances(segments: readonly TranscriptSegment[]): RecognisedUtterance[] {
  return segments.map((segment) =>
    (segment.words ?? []).map((word) => ({ word: word.text.toLowerCase(), startMs: word.startMs, endMs: word.endMs, confidence: word.confidence ?? 0 })),
  );
}

/** The installed PocketSphinx, as `CMU PocketSphinx <Debian version>`. */
export function pocketsphinxEngine(): string {
  try {
    return `CMU PocketSphinx ${execFileSync("dpkg-query", ["-W", "-f=${Version}", "pocketsphinx"], { encoding: "utf8" }).trim()}`;
  } catch {
    return "CMU PocketSphinx (version unknown)";
  }
}

/** What recognising one fixture found, and how its audio was prepared. */
export interface FixtureRecognition {
  /** The utterances PocketSphinx found. */
  readonly utterances: RecognisedUtterance[];
  /** How the audio was prepared for the engine, if it was. */
  readonly preparation?: string;
}

/**
 * Runs `pocketsphinx_continuous -infile <wav> -time yes` on a fixture. Audio that is not 16 kHz
 * is resampled to 16 kHz with sox first: Debian's only acoustic model is 16 kHz, its mel filter
 * bank reaches 6800 Hz (`feat.params`), so `-samprate 8000` is refused ("Upper frequency 6800.0
 * is higher than samprate/2"), and a copy of the model with the bank cut to 3500-3900 Hz and
 * `-nfft 256` or `512` no longer matches the features it was trained on (nearly every word
 * wrong on the narrowband fixture, against about half for the resampled audio). Resampling does
 * not move any time, so the word timings hold for the original audio.
 */
export function recogniseWithPocketsphinx(fixture: ResolvedFixture): Result<FixtureRecognition, SttError> {
  const work = mkdtempSync(join(tmpdir(), "sttkit-synthesize-"));
  try {
    let input = fixture.audioPath;
    let preparation: string | undefined;
    if (fixture.sampleRate !== MODEL_SAMPLE_RATE) {
      input = join(work, "resampled.wav");
      execFileSync("sox", ["-R", "-V1", fixture.audioPath, "-r", String(MODEL_SAMPLE_RATE), input]);
      preparation = `The ${fixture.sampleRate} Hz audio was resampled to ${MODEL_SAMPLE_RATE} Hz with sox for recognition, since the only acoustic model is ${MODEL_SAMPLE_RATE} Hz; times refer to the original audio.`;
    }
    const output = execFileSync("pocketsphinx_continuous", ["-infile", input, "-time", "yes", "-logfn", "/dev/null"], {
      encoding: "utf8",
      maxBuffer: 16 * 1024 * 1024,
    });
    return ok({ utterances: recognisedUtterances(parseEngineOutput(output)), ...(preparation ? { preparation } : {}) });
  } catch (cause) {
    return err(
      sttError({
        kind: "engine-unavailable",
        message: `Cannot run PocketSphinx on fixture ${fixture.id} (apt-get install pocketsphinx pocketsphinx-en-us sox): ${describeCause(cause)}`,
        install: ["pocketsphinx", "pocketsphinx-en-us", "sox"],
        cause,
      }),
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
