import { spawn, type ChildProcessByStdio } from "node:child_process";
import type { Readable, Writable } from "node:stream";
import { err, ok, type Result } from "neverthrow";
import { sttError, type SttError } from "../errors.js";
import type { AudioFormat } from "./format.js";
import { scanWavHeader } from "./wav.js";
import { MAX_WAV_HEADER_BYTES } from "./wav-file.js";

/** The Debian package that provides the decoder. */
export const FFMPEG_PACKAGE = "ffmpeg";
/** How much of ffmpeg's stderr is kept for an error message: the end, where its reason is. */
const STDERR_TAIL_BYTES = 4 * 1024;

/**
 * Audio decoded as it is read: its format, and its samples in the pipe's blocks (backpressure
 * pauses the decoder), then {@link DecodedAudio.failure} says whether decoding failed part-way.
 *
 * @category Audio
 */
export interface DecodedAudio {
  /** The PCM layout of the samples. */
  readonly format: AudioFormat;
  /** Bytes of samples, when known before reading them (a WAV file's `data` size); decoded audio: undefined. */
  readonly dataBytes: number | undefined;
  /** The samples, as they are decoded; the iteration ends (never throws) on success and failure. */
  readonly pcm: AsyncIterable<Uint8Array>;
  /** After the samples end: why decoding stopped early, if it did. */
  failure(): SttError | undefined;
  /** Stops the decoder and waits until it has exited. Idempotent. */
  close(): Promise<void>;
}

/** Options of {@link decodeWithFfmpeg}. */
export interface FfmpegDecodeOptions {
  /** The decoder's program: `ffmpeg` on the PATH unless given (tests point it elsewhere). */
  readonly command?: string;
  /** Bytes to decode instead of the file at `path` (a pipe or device, read once); destroyed on close. */
  readonly input?: Readable;
  /**
   * Have ffmpeg convert to this rate and channel count as it decodes (for audio held whole in
   * memory, where 16 kHz mono takes a sixth of 44.1 kHz stereo). Default: the source's own, which a
   * stream then converts with the library's resampler, as it does every WAV file.
   */
  readonly convertTo?: Pick<AudioFormat, "sampleRate" | "channels">;

}

type Decoder = ChildProcessByStdio<Writable | null, Readable, Readable>;

/**
 * Decodes any container and codec ffmpeg knows (MP3, M4A/AAC, FLAC, Ogg/Opus, WebM, WAV of any
 * layout, the first audio track of a video) to 16-bit PCM at its own rate and channels (or those of
 * `options.convertTo`), streamed from ffmpeg's
 * stdout as it decodes: the file is never read whole, memory is the pipe's buffer. ffmpeg is
 * spawned with an argument list (no shell, so no name is ever interpreted) and always reaped: at
 * the end of the samples, on {@link DecodedAudio.close}, and on failure.
 *
 * Resolves once the first samples arrive or ffmpeg has exited, so an undecodable file is an
 * `invalid-audio` error (`reason: "undecodable"`, with ffmpeg's last stderr line) before any
 * provider is contacted. A missing ffmpeg is an `engine-unavailable` error naming the package.
 * With `options.input` (a pipe or device the caller opened), ffmpeg reads that from its stdin, with
 * backpressure, and `path` only names it in messages.
 *
 * @category Audio
 */
export async function decodeWithFfmpeg(path: string, options: FfmpegDecodeOptions = {}): Promise<Result<DecodedAudio, SttError>> {
  const input = options.input;
  const convert = options.convertTo ? ["-ac", String(options.convertTo.channels), "-ar", String(options.convertTo.sampleRate)] : [];
  // ffmpeg only decodes, to 16-bit PCM at the source's own rate and channels, in a WAV header that
  // says which; the stream converts, with the same resampler and mix-down as every WAV file, so a
  // file gives the same samples to the recogniser whatever its container.
  const args = ["-hide_banner", ...(input ? [] : ["-nostdin"]), "-loglevel", "error", "-i", input ? "pipe:0" : path, "-map", "0:a:0", "-vn", ...convert, "-f", "wav", "-acodec", "pcm_s16le", "pipe:1"];
  const child = spawn(options.command ?? "ffmpeg", args, { stdio: [input ? "pipe" : "ignore", "pipe", "pipe"] }) as Decoder;
  if (input && child.stdin) {
    // ffmpeg stops reading when it fails or finishes: EPIPE then, and its exit code says why.
    child.stdin.on("error", () => input.destroy());
    input.on("error", () => child.stdin?.end());
    input.pipe(child.stdin);
  }
  let stderr = Buffer.alloc(0);
  child.stderr.on("data", (chunk: Buffer) => {
    stderr = Buffer.concat([stderr, chunk]);
    if (stderr.byteLength > STDERR_TAIL_BYTES) stderr = stderr.subarray(stderr.byteLength - STDERR_TAIL_BYTES);
  });
  let spawnError: NodeJS.ErrnoException | undefined;
  const exited = new Promise<number | null>((resolve) => {
    child.once("error", (error: NodeJS.ErrnoException) => {
      spawnError = error;
      resolve(null);
    });
    child.once("close", (code) => resolve(code));
  });
  const reader = child.stdout[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const first = await Promise.race([reader.next().catch(() => ({ done: true as const, value: undefined })), exited.then(() => undefined)]);
  const failure = (code: number | null): SttError | undefined => {
    if (spawnError?.code === "ENOENT") return unavailable(options.command ?? "ffmpeg");
    if (spawnError) return sttError({ kind: "invalid-audio", reason: "undecodable", message: `Cannot run ffmpeg: ${spawnError.message}` });
    if (code === 0) return undefined;
    const text = stderr.toString("utf8");
    // "-map 0:a:0" on a file without audio: ffmpeg's last line is only advice about the option.
    const reason = text.includes("matches no streams") ? "ffmpeg found no audio track in it." : (lastLine(text) ?? `ffmpeg exited with ${String(code)}`);
    return sttError({ kind: "invalid-audio", reason: "undecodable", message: `Cannot decode ${path}: ${reason}` });
  };
  let reaped = false;
  const close = async (): Promise<void> => {
    if (!reaped && child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    reaped = true;
    input?.destroy();
    child.stdout.destroy();
    await exited;
  };
  if (first === undefined || first.done === true) {
    // No samples: ffmpeg failed (or the input holds no audio), or it could not start at all.
    const code = await exited;
    await close();
    return err(failure(code) ?? sttError({ kind: "invalid-audio", reason: "empty", message: `${path} holds no audio samples.` }));
  }
  // The header ends within the first blocks: read up to it (bounded), then the rest is samples.
  // ffmpeg cannot seek back on a pipe, so its sizes are 0xFFFFFFFF, which the WAV reader accepts.
  let head: Buffer = first.value;
  let parsed = scanWavHeader(head, false);
  while (parsed.isOk() && parsed.value === undefined && head.byteLength < MAX_WAV_HEADER_BYTES) {
    const next = await reader.next().catch(() => ({ done: true as const, value: undefined }));
    if (next.done === true) break;
    head = Buffer.concat([head, next.value]);
    parsed = scanWavHeader(head, false);
  }
  if (parsed.isErr() || parsed.value === undefined) {
    const tooLong = parsed.isOk() && head.byteLength >= MAX_WAV_HEADER_BYTES;
    const problem = parsed.isErr() ? parsed.error : tooLong ? sttError({ kind: "invalid-audio", reason: "undecodable", message: `ffmpeg's output for ${path} had no samples within its first ${MAX_WAV_HEADER_BYTES} bytes.` }) : undefined;
    const code = await close().then(() => exited);
    return err(problem ?? failure(code) ?? sttError({ kind: "invalid-audio", reason: "empty", message: `${path} holds no audio samples.` }));
  }
  const format = parsed.value.format;
  const firstBlock = head.subarray(parsed.value.dataOffset);
  let late: SttError | undefined;
  async function* samples(): AsyncGenerator<Uint8Array> {
    try {
      if (firstBlock.byteLength > 0) yield new Uint8Array(firstBlock.buffer, firstBlock.byteOffset, firstBlock.byteLength);
      for (;;) {
        const next = await reader.next().catch(() => ({ done: true as const, value: undefined }));
        if (next.done === true) break;
        yield new Uint8Array(next.value.buffer, next.value.byteOffset, next.value.byteLength);
      }
      late = failure(await exited);
    } finally {
      await close();
    }
  }
  return ok({ format, dataBytes: undefined, pcm: samples(), failure: () => late, close });
}

function unavailable(command: string): SttError {
  return sttError({
    kind: "engine-unavailable",
    install: [FFMPEG_PACKAGE],
    message: `Decoding this file needs ffmpeg (${command} was not found): install the Debian package "${FFMPEG_PACKAGE}" (apt-get install ${FFMPEG_PACKAGE}). WAV files are read without it.`,
  });
}

function lastLine(text: string): string | undefined {
  const lines = text.split("\n").map((line) => line.trim()).filter((line) => line.length > 0);
  return lines.at(-1);
}
