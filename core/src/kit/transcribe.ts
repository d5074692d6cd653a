import { err, errAsync, okAsync, ResultAsync } from "neverthrow";
import { chunkPcm } from "../audio/chunking.js";
import { validateAudioFormat, type AudioFormat } from "../audio/format.js";
import { openAudioFile, readAudioFile } from "../audio/audio-file.js";
import { readWav, type WavAudio } from "../audio/wav.js";
import { sttError, type SttError } from "../errors.js";
import { checkTranscribeOptions } from "./stream-options.js";
import { recordTranscribeSpeed } from "./stream/otel.js";
import type { Transcript } from "../events.js";
import type { AudioSource, RecognitionStream, SpeechToText, TranscribeOptions } from "../speech-to-text.js";

/**
 * Turns any {@link AudioSource} into PCM with its format in memory, validating it on the way: for
 * adapters that send a recording in one request. A path may be any format (see `readAudioFile`).
 *
 * @category Stream plumbing
 */
export function loadAudioSource(audio: AudioSource): ResultAsync<WavAudio, SttError> {
  if (audio instanceof Uint8Array) return readWav(audio).asyncAndThen((wav) => okAsync(wav));
  if (typeof audio === "object" && audio !== null && "path" in audio && typeof audio.path === "string") {
    // Any format (ffmpeg for non-WAV), read block by block up to two hours of audio.
    return new ResultAsync(readAudioFile(audio.path));
  }
  if (typeof audio === "object" && audio !== null && "pcm" in audio && audio.pcm instanceof Uint8Array) {
    const { pcm } = audio;
    return validateAudioFormat(audio.format)
      .asyncAndThen((format) => okAsync({ format, pcm }))
      .andThen((wav) =>
        wav.pcm.byteLength === 0
          ? errAsync(sttError({ kind: "invalid-audio", reason: "empty", message: "The PCM buffer is empty." }))
          : okAsync(wav),
      );
  }
  return errAsync(
    sttError({
      kind: "invalid-argument",
      argument: "audio",
      message: "transcribe() takes WAV bytes, { path } of an audio file, or { pcm, format }.",
    }),
  );
}

/**
 * Transcribes a whole recording through a speech-to-text stream: the shared implementation of
 * {@link SpeechToText.transcribe}. Audio is sent as fast as the provider accepts it (honouring
 * backpressure), events are consumed as they come (so nothing piles up), and the stream is always
 * closed, also on failure.
 *
 * @category Stream plumbing
 */
export function transcribeThroughStream(
  stt: Pick<SpeechToText, "stream"> & { readonly provider?: string },
  audio: AudioSource,
  options: TranscribeOptions = {},
): ResultAsync<Transcript, SttError> {
  const checked = checkTranscribeOptions(options);
  if (checked.isErr()) return errAsync(checked.error);
  const { onEvent, chunkMs, ...streamOptions } = checked.value;
  // A transcript is made of finals: interim results are asked for only when someone reads events.
  const interimResults = streamOptions.interimResults ?? onEvent !== undefined;
  return openAudioInput(audio).andThen((input) => {
    const opened = stt.stream({ ...streamOptions, interimResults, format: input.format });
    if (opened.isErr()) return new ResultAsync(input.close().then(() => err(opened.error)));
    const started = performance.now();
    return new ResultAsync(pumpAudio(opened.value, input, chunkMs ?? TRANSCRIBE_CHUNK_MS, onEvent)).map((transcript) => withSpeed(transcript, started, stt));
  });
}

/**
 * `transcribe()`'s default chunk: a recording goes as fast as the provider takes it, so nothing
 * is gained by small writes, and each write costs the stream and the driver the same whatever its
 * size (a tenth of the writes made a 10-minute Azure file about 4 % faster).
 */
const TRANSCRIBE_CHUNK_MS = 1_000;

/** Audio on its way into a stream: its format, its samples as they are read, and whether reading failed part-way. */
interface AudioInput {
  readonly format: AudioFormat;
  readonly blocks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>;
  failure(): SttError | undefined;
  close(): Promise<void>;
}

/**
 * Opens any {@link AudioSource} for streaming: a file (any format: see {@link openAudioFile}) is
 * read or decoded block by block as the provider takes it (a file of any size in a fixed amount of
 * memory, and `/dev/zero` or a directory a typed error at once); bytes and PCM already in memory
 * are used as they are.
 */
function openAudioInput(audio: AudioSource): ResultAsync<AudioInput, SttError> {
  if (typeof audio === "object" && audio !== null && !(audio instanceof Uint8Array) && "path" in audio && typeof audio.path === "string") {
    return new ResultAsync(openAudioFile(audio.path)).map((file) => ({ format: file.format, blocks: file.pcm, failure: () => file.failure(), close: () => file.close() }));
  }
  return loadAudioSource(audio).map((wav) => ({ format: wav.format, blocks: [wav.pcm], failure: () => undefined, close: () => Promise.resolve() }));
}

/** The transcript with its speed: seconds of audio per second of wall time (also to OpenTelemetry). */
function withSpeed(transcript: Transcript, started: number, stt: { readonly provider?: string }): Transcript {
  const wallSeconds = (performance.now() - started) / 1000;
  const audioSeconds = (transcript.metrics?.audioSentMs ?? 0) / 1000;
  if (!(wallSeconds > 0) || !transcript.metrics) return transcript;
  const audioSecondsPerWallSecond = Math.round((audioSeconds / wallSeconds) * 100) / 100;
  recordTranscribeSpeed(audioSecondsPerWallSecond, { provider: stt.provider ?? "unknown", ...(transcript.language ? { language: transcript.language } : {}) });
  return { ...transcript, metrics: { ...transcript.metrics, audioSecondsPerWallSecond } };
}

async function pumpAudio(
  stream: RecognitionStream,
  input: AudioInput,
  chunkMs: number,
  onEvent: TranscribeOptions["onEvent"],
): Promise<Awaited<ReturnType<RecognitionStream["end"]>>> {
  const consuming = (async () => {
    for await (const event of stream) {
      try {
        onEvent?.(event);
      } catch {
        // A failing progress callback must not stop the transcription or leak a rejection.
      }
    }
  })();
  try {
    // Read on only when the provider takes more: backpressure reaches the disk.
    sending: for await (const block of input.blocks) {
      for (const chunk of chunkPcm(block, input.format, chunkMs)) {
        const written = stream.write(chunk);
        if (written.isErr()) break sending;
        if (!written.value) await stream.drained();
      }
    }
    // A decoder that failed part-way (a file corrupt in the middle): its reason, not a partial transcript.
    const failure = input.failure();
    if (failure) return err(failure);
    return await stream.end();
  } finally {
    await input.close();
    await stream.close();
    await consuming;
  }
}
