import { errAsync, okAsync, ResultAsync, err, ok, type Result } from "neverthrow";
import { bytesPerSecond, encodeWav, type AudioFormat, type AudioSource, type SpeechEvent, type SttError, type Transcript, type TranscribeOptions, type TranscriptSegment, type WavAudio, type WordTiming } from "@sttkit/core";
import { assembleTranscript, checkTranscribeOptions, sttError, wordsBySegment } from "@sttkit/core/kit";
import type { OpenAIClient } from "../client.js";
import { PROVIDER } from "../constants.js";
import type { SecretRedactor } from "@sttkit/core/kit";
import { resolveRequestSettings, type RequestSettings } from "../request-settings.js";
import type { ResolvedOpenAIConfig } from "../validate-config.js";
import { requestPiece, type PieceAnswer, type VerboseSegment } from "./request.js";
import { splitAtPauses, type UploadPiece } from "./split.js";
import { loadUpload } from "./upload-audio.js";

/** Milliseconds, rounded to a tenth. */
const ms = (value: number): number => Math.round(value * 10) / 10;

/** A piece's answer as segments on the recording's time line (the piece starts at `offsetMs`). */
export function piecesSegments(answer: PieceAnswer, offsetMs: number, pieceEndMs: number, settings: RequestSettings, wordTimings: boolean): TranscriptSegment[] {
  const language = settings.language !== undefined ? { language: settings.language } : {};
  if (answer.segments === undefined) {
    const text = answer.text.trim();
    return text.length === 0 ? [] : [{ text, startMs: ms(offsetMs), endMs: ms(pieceEndMs), ...language }];
  }
  const segments: readonly VerboseSegment[] = answer.segments;
  const words = wordsBySegment(segments, answer.words ?? []);
  return segments.flatMap((segment, index) => {
    const text = segment.text.trim();
    if (text.length === 0) return [];
    const timed: WordTiming[] = (words[index] ?? []).map((word) => ({ text: word.word, startMs: ms(offsetMs + word.start * 1000), endMs: ms(offsetMs + word.end * 1000) }));
    // Whisper's average token log-probability, as a probability (the geometric mean over its tokens).
    const confidence = typeof segment.avg_logprob === "number" ? Math.round(Math.min(1, Math.max(0, Math.exp(segment.avg_logprob))) * 10_000) / 10_000 : undefined;
    return [
      {
        text,
        startMs: ms(offsetMs + segment.start * 1000),
        endMs: ms(offsetMs + segment.end * 1000),
        ...language,
        ...(confidence !== undefined ? { confidence } : {}),
        ...(wordTimings && timed.length > 0 ? { words: timed } : {}),
      },
    ];
  });
}

function notify(onEvent: ((event: SpeechEvent) => void) | undefined, event: SpeechEvent): void {
  try {
    onEvent?.(event);
  } catch {
    // A failing progress callback must not stop the transcription.
  }
}

/**
 * Whether `file` is a plain 44-byte-header WAV of exactly `pcm` (no other chunks, no truncation):
 * then it is what `encodeWav` would make, and it is uploaded as it came, without another copy.
 */
function isCanonicalWav(file: Uint8Array | undefined, pcm: Uint8Array): file is Uint8Array {
  return file !== undefined && file.buffer === pcm.buffer && pcm.byteOffset - file.byteOffset === 44 && file.byteLength === pcm.byteLength + 44;
}

/** Checks the options `transcribe()` takes from the batch endpoint, before any audio is read. */
function checkOptions(config: ResolvedOpenAIConfig, options: unknown): Result<{ options: TranscribeOptions; settings: RequestSettings; wordTimings: boolean }, SttError> {
  return checkTranscribeOptions(options, PROVIDER).andThen((checked) => {
    const wordTimings = checked.wordTimings ?? config.wordTimings;
    if (wordTimings && config.batch.model !== "whisper-1") {
      return err(
        sttError({ kind: "unsupported-option", option: "wordTimings", provider: PROVIDER, message: `Word timings come only from whisper-1; the batch model is ${config.batch.model} (set openai.batch.model).` }),
      );
    }
    return resolveRequestSettings(config, checked).map((settings) => ({ options: checked, settings, wordTimings }));
  });
}

/**
 * `transcribe()` through the batch endpoint: the audio is read and checked, split at pauses into
 * uploads within the service's limits (one upload for most files), sent with bounded parallelism,
 * and the answers are stitched back in order with each piece's offset, so every segment lies on
 * the recording's time line and nothing is lost or doubled at a seam. `onEvent` sees interim
 * events (streamed text deltas, `gpt-4o` models), each piece's finals in order, then the usage.
 */
export function transcribeBatch(client: OpenAIClient, config: ResolvedOpenAIConfig, redactor: SecretRedactor, audio: AudioSource, options?: TranscribeOptions): ResultAsync<Transcript, SttError> {
  const checked = checkOptions(config, options ?? {});
  if (checked.isErr()) return errAsync(checked.error);
  const { settings, wordTimings } = checked.value;
  const { onEvent, signal, interimResults } = checked.value.options;
  if (signal?.aborted) return errAsync(sttError({ kind: "aborted", provider: PROVIDER, message: "The transcription was aborted before it started." }));
  return loadUpload(audio)
    .mapErr((error): SttError => ({ ...error, provider: PROVIDER }))
    .andThen(({ wav, file }) => new ResultAsync(transcribePieces(client, config, redactor, wav, file, settings, wordTimings, interimResults !== false, onEvent, signal)));
}

async function transcribePieces(
  client: OpenAIClient,
  config: ResolvedOpenAIConfig,
  redactor: SecretRedactor,
  wav: WavAudio,
  file: Uint8Array | undefined,
  settings: RequestSettings,
  wordTimings: boolean,
  interimResults: boolean,
  onEvent: ((event: SpeechEvent) => void) | undefined,
  signal: AbortSignal | undefined,
): Promise<Result<Transcript, SttError>> {
  const { format, pcm } = wav;
  const perMs = bytesPerSecond(format) / 1000;
  const pieces = splitAtPauses(pcm, format, config.batch.maxUploadBytes, config.batch.maxUploadSeconds * 1000);
  // One controller for every upload: the caller's abort, or the first failure, stops the rest.
  const controller = new AbortController();
  const onAbort = (): void => controller.abort();
  signal?.addEventListener("abort", onAbort, { once: true });
  // Streaming is only worth it when someone listens to the interim text; whisper-1 cannot stream.
  const stream = config.batch.streamDeltas && config.batch.model !== "whisper-1" && onEvent !== undefined && interimResults;
  const done: Array<TranscriptSegment[] | undefined> = pieces.map(() => undefined);
  let flushed = 0;
  let failure: SttError | undefined;
  const flush = (): void => {
    while (flushed < pieces.length && done[flushed] !== undefined) {
      for (const segment of done[flushed] as TranscriptSegment[]) notify(onEvent, { type: "final", segment });
      flushed++;
    }
  };
  const run = async (index: number): Promise<void> => {
    const piece = pieces[index] as UploadPiece;
    const startMs = piece.start / perMs;
    const endMs = piece.end / perMs;
    const answer = await requestPiece(
      client,
      config.batch,
      {
        wav: pieces.length === 1 && isCanonicalWav(file, pcm) ? file : encodeWav(pcm.subarray(piece.start, piece.end), format as AudioFormat),
        language: settings.languageCode,
        prompt: settings.prompt,
        wordTimings,
        onDelta: stream ? (text) => notify(onEvent, { type: "interim", text, startMs: ms(startMs), endMs: ms(endMs), ...(settings.language ? { language: settings.language } : {}) }) : undefined,
        signal: controller.signal,
      },
      redactor,
    );
    if (answer.isErr()) {
      failure ??= answer.error;
      controller.abort();
      return;
    }
    done[index] = piecesSegments(answer.value, startMs, endMs, settings, wordTimings);
    flush();
  };
  try {
    let next = 0;
    const worker = async (): Promise<void> => {
      while (failure === undefined && next < pieces.length) await run(next++);
    };
    await Promise.all(Array.from({ length: Math.min(config.batch.concurrency, pieces.length) }, worker));
  } finally {
    signal?.removeEventListener("abort", onAbort);
  }
  if (signal?.aborted) return err(sttError({ kind: "aborted", provider: PROVIDER, message: "The transcription was aborted." }));
  if (failure) return err(failure);
  const audioSeconds = pcm.byteLength / bytesPerSecond(format);
  notify(onEvent, { type: "usage", audioSeconds });
  const segments = done.flatMap((segments) => segments ?? []);
  return ok(assembleTranscript(segments, audioSeconds, settings.language));
}
