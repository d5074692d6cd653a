import { constants, createReadStream } from "node:fs";
import { access, open, stat } from "node:fs/promises";
import { delimiter, join } from "node:path";
import { err, ok, type Result } from "neverthrow";
import { sttError, type InvalidAudioReason, type SttError } from "../errors.js";
import { bytesPerSecond, DEFAULT_AUDIO_FORMAT } from "./format.js";
import { readWav, scanWavHeader, type WavAudio } from "./wav.js";
import { decodeWithFfmpeg, type DecodedAudio, type FfmpegDecodeOptions } from "./ffmpeg-decode.js";
import { openWavFile, type WavFileStream } from "./wav-file.js";

/**
 * What the WAV reader refuses that ffmpeg may still decode: another container, or a WAV layout the
 * reader does not take (8/24-bit, compressed WAV, rates or channel counts outside the library's).
 * A WAV that is cut short or has no samples is not retried: ffmpeg would not make it whole.
 */
const DECODER_CAN_TRY: ReadonlySet<InvalidAudioReason> = new Set<InvalidAudioReason>(["not-riff", "not-wave", "not-pcm", "unsupported-bit-depth", "unsupported-channels", "unsupported-sample-rate"]);

/** The names of standard input. */
const STANDARD_INPUT: ReadonlySet<string> = new Set(["/dev/stdin", "/dev/fd/0", "/proc/self/fd/0"]);

/**
 * An audio file opened for streaming (see {@link openAudioFile}).
 *
 * @category Audio
 */
export type AudioFileStream = DecodedAudio;

/**
 * Opens any audio file for streaming, in a fixed amount of memory whatever its size. A WAV in a
 * layout the library carries (16-bit or float, any rate and channel count) is read directly, with
 * no other program; anything else (MP3, M4A/AAC, FLAC, Ogg/Opus, WebM, other WAV layouts, a
 * video's audio track) is decoded by ffmpeg as it is read, at its own rate and channels, which a
 * stream then converts like any WAV file's (see {@link decodeWithFfmpeg}). `/dev/stdin` is standard input.
 *
 * A pipe or device (`/dev/stdin`, `/dev/zero`) is read here and piped to ffmpeg when it is
 * installed, since what the WAV reader consumed from it could not be read again; without ffmpeg it
 * must be WAV. Errors
 * are typed: a directory, a missing file or a cut-short WAV is `invalid-audio`, an undecodable
 * file `invalid-audio` with ffmpeg's reason, a missing ffmpeg `engine-unavailable`.
 *
 * @category Audio
 */
export async function openAudioFile(path: string, options: FfmpegDecodeOptions = {}): Promise<Result<AudioFileStream, SttError>> {
  // This process's standard input (a pipe, a socket, a redirected file or a terminal): read through
  // process.stdin, which takes every kind, and only once.
  if (STANDARD_INPUT.has(path)) {
    if (await onPath(options.command ?? "ffmpeg")) return decodeWithFfmpeg(path, { ...options, input: process.stdin });
    return (await openWavFile(path)).map(fromWav);
  }
  const info = await stat(path).catch(() => undefined);
  // Missing files, directories and regular files: the WAV reader's typed errors, or ffmpeg.
  if (info === undefined || info.isFile() || info.isDirectory()) {
    const wav = await openWavFile(path);
    if (wav.isOk()) return ok(fromWav(wav.value));
    if (wav.error.kind !== "invalid-audio" || !DECODER_CAN_TRY.has(wav.error.reason) || info?.isFile() !== true) return err(wav.error);
    return decodeWithFfmpeg(path, options);
  }
  // A pipe or device: its first bytes can be read once only, so whoever reads them must decode it.
  if (await onPath(options.command ?? "ffmpeg")) return decodeWithFfmpeg(path, { ...options, input: createReadStream(path, { highWaterMark: 64 * 1024 }) });
  return (await openWavFile(path)).map(fromWav);
}

function fromWav(file: WavFileStream): AudioFileStream {
  return { format: file.format, dataBytes: file.dataBytes, pcm: file.pcm, failure: () => undefined, close: () => file.close() };
}

/**
 * The most audio {@link readAudioFile} holds by default: two hours (230 MB of 16 kHz mono, the
 * format it has ffmpeg decode other files to).
 *
 * @category Audio
 */
export const MAX_IN_MEMORY_AUDIO_SECONDS = 2 * 3600;

/**
 * Reads a whole audio file of any format into memory (see {@link openAudioFile}), for services
 * that take a recording in one request. Streamed block by block up to `maxSeconds` of audio
 * (default {@link MAX_IN_MEMORY_AUDIO_SECONDS}); a longer file is an `invalid-audio` error once that
 * much is read, so memory stays bounded whatever the file (`/dev/zero` included).
 *
 * @category Audio
 */
export async function readAudioFile(path: string, maxSeconds = MAX_IN_MEMORY_AUDIO_SECONDS, options: FfmpegDecodeOptions = {}): Promise<Result<WavAudio, SttError>> {
  const small = await readSmallWavFile(path, maxSeconds);
  if (small !== undefined) return small;
  // Decoded audio is held at 16 kHz mono (unless the caller asks otherwise): a sixth of 44.1 kHz stereo.
  const opened = await openAudioFile(path, { convertTo: DEFAULT_AUDIO_FORMAT, ...options });
  if (opened.isErr()) return err(opened.error);
  const file = opened.value;
  const limit = maxSeconds * bytesPerSecond(file.format);
  // Blocks are kept as they come (each a fresh buffer from the WAV reader or ffmpeg's pipe, never
  // reused) and joined once at the end: one copy of the audio.
  const blocks: Uint8Array[] = [];
  let total = 0;
  try {
    for await (const block of file.pcm) {
      total += block.byteLength;
      if (total > limit) {
        return err(sttError({ kind: "invalid-audio", reason: "unreadable-file", message: `${path} holds more than ${maxSeconds} s of audio, the most read into memory at once: transcribe it through a stream.` }));
      }
      blocks.push(block);
    }
  } finally {
    await file.close();
  }
  const failure = file.failure();
  if (failure) return err(failure);
  if (total === 0) return err(sttError({ kind: "invalid-audio", reason: "empty", message: `${path} holds no audio samples.` }));
  const pcm = new Uint8Array(total);
  let at = 0;
  for (const block of blocks) {
    pcm.set(block, at);
    at += block.byteLength;
  }
  return ok({ format: file.format, pcm });
}

/** Files up to this size are tried as WAV in one read (most recordings sent in one request are). */
const ONE_READ_WAV_BYTES = 32 * 1024 * 1024;

/**
 * A regular file of at most {@link ONE_READ_WAV_BYTES} read in one call of its known size (a
 * bounded read: a file that grows meanwhile is not followed) and parsed as WAV: a quarter of the
 * block-by-block reader's cost for the common case. `undefined` when it is not such a file or not
 * a WAV the reader takes, so the general path decides (and reports its errors).
 */
async function readSmallWavFile(path: string, maxSeconds: number): Promise<Result<WavAudio, SttError> | undefined> {
  if (STANDARD_INPUT.has(path)) return undefined;
  const handle = await open(path, "r").catch(() => undefined);
  if (!handle) return undefined;
  try {
    const info = await handle.stat();
    if (!info.isFile() || info.size < 12 || info.size > ONE_READ_WAV_BYTES) return undefined;
    // Not RIFF/WAVE (an MP3, say): leave it to the decoder without reading the rest of it.
    const bytes = new Uint8Array(info.size);
    const { bytesRead: headRead } = await handle.read(bytes, 0, 12, 0);
    if (headRead < 12 || scanWavHeader(bytes.subarray(0, 12), false).isErr()) return undefined;
    const { bytesRead: restRead } = await handle.read(bytes, 12, info.size - 12, 12);
    const bytesRead = 12 + restRead;
    const wav = readWav(bytes.subarray(0, bytesRead));
    if (wav.isErr()) return undefined;
    if (wav.value.pcm.byteLength > maxSeconds * bytesPerSecond(wav.value.format)) return undefined;
    return wav;
  } catch {
    return undefined;
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/** Whether `command` is an executable file on the PATH (or, given with a slash, at that path). */
async function onPath(command: string): Promise<boolean> {
  const candidates = command.includes("/") ? [command] : (process.env["PATH"] ?? "").split(delimiter).filter(Boolean).map((directory) => join(directory, command));
  for (const candidate of candidates) {
    if (await access(candidate, constants.X_OK).then(() => true, () => false)) return true;
  }
  return false;
}
