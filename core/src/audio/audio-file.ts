import { constants } from "node:fs";
import { access, stat } from "node:fs/promises";
import { delimiter, join } from "node:path";
import { err, ok, type Result } from "neverthrow";
import type { InvalidAudioReason, SttError } from "../errors.js";
import { decodeWithFfmpeg, type DecodedAudio, type FfmpegDecodeOptions } from "./ffmpeg-decode.js";
import { openWavFile, type WavFileStream } from "./wav-file.js";

/**
 * What the WAV reader refuses that ffmpeg may still decode: another container, or a WAV layout the
 * reader does not take (8/24-bit, compressed WAV, rates or channel counts outside the library's).
 * A WAV that is cut short or has no samples is not retried: ffmpeg would not make it whole.
 */
const DECODER_CAN_TRY: ReadonlySet<InvalidAudioReason> = new Set<InvalidAudioReason>(["not-riff", "not-wave", "not-pcm", "unsupported-bit-depth", "unsupported-channels", "unsupported-sample-rate"]);

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
 * video's audio track) is decoded by ffmpeg to 16 kHz mono as it is read (see
 * {@link decodeWithFfmpeg}). `"-"` is standard input.
 *
 * A pipe or device (standard input, `/dev/zero`) goes to ffmpeg when it is installed, since what
 * the WAV reader consumed from it could not be read again; without ffmpeg it must be WAV. Errors
 * are typed: a directory, a missing file or a cut-short WAV is `invalid-audio`, an undecodable
 * file `invalid-audio` with ffmpeg's reason, a missing ffmpeg `engine-unavailable`.
 *
 * @category Audio
 */
export async function openAudioFile(path: string, options: FfmpegDecodeOptions = {}): Promise<Result<AudioFileStream, SttError>> {
  if (path !== "-") {
    const info = await stat(path).catch(() => undefined);
    // Missing files, directories and regular files: the WAV reader's typed errors, or ffmpeg.
    if (info === undefined || info.isFile() || info.isDirectory()) {
      const wav = await openWavFile(path);
      if (wav.isOk()) return ok(fromWav(wav.value));
      if (wav.error.kind !== "invalid-audio" || !DECODER_CAN_TRY.has(wav.error.reason) || info?.isFile() !== true) return err(wav.error);
      return decodeWithFfmpeg(path, options);
    }
  }
  // A pipe or device: its first bytes can be read once only, so whoever reads them must decode it.
  if (await onPath(options.command ?? "ffmpeg")) return decodeWithFfmpeg(path, options);
  return (await openWavFile(path === "-" ? "/dev/stdin" : path)).map(fromWav);
}

function fromWav(file: WavFileStream): AudioFileStream {
  return { format: file.format, pcm: file.pcm, failure: () => undefined, close: () => file.close() };
}

/** Whether `command` is an executable file on the PATH (or, given with a slash, at that path). */
async function onPath(command: string): Promise<boolean> {
  const candidates = command.includes("/") ? [command] : (process.env["PATH"] ?? "").split(delimiter).filter(Boolean).map((directory) => join(directory, command));
  for (const candidate of candidates) {
    if (await access(candidate, constants.X_OK).then(() => true, () => false)) return true;
  }
  return false;
}
