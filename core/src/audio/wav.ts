import { err, ok, ResultAsync, type Result } from "neverthrow";
import { readFileAtMost } from "../io/read-file-at-most.js";
import { describeCause, sttError, type InvalidAudioReason, type SttError } from "../errors.js";
import { bytesPerFrame, encodingOf, validateAudioFormat, type AudioFormat } from "./format.js";

/**
 * A decoded WAV file: its format and its PCM samples (a view into the original bytes).
 *
 * @category Audio
 */
export interface WavAudio {
  /** The PCM layout read from the `fmt ` chunk. */
  readonly format: AudioFormat;
  /** The samples of the `data` chunk, little-endian in the format's encoding, interleaved. */
  readonly pcm: Uint8Array;
}

/**
 * What the WAV reader demands beyond a well-formed file.
 *
 * @category Audio
 */
export interface WavReadOptions {
  /** Reject files with more than one channel (most recognisers need mono). Default `false`. */
  readonly requireMono?: boolean;
}

const WAVE_FORMAT_PCM = 0x0001;
const WAVE_FORMAT_IEEE_FLOAT = 0x0003;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;
/** The `data` size writers put when they stream and never come back to fill it in. */
const UNKNOWN_DATA_SIZE = 0xffffffff;

function invalid(reason: InvalidAudioReason, message: string): Result<never, SttError> {
  return err(sttError({ kind: "invalid-audio", reason, message }));
}

function fourCc(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(bytes[at] ?? 0, bytes[at + 1] ?? 0, bytes[at + 2] ?? 0, bytes[at + 3] ?? 0);
}

/**
 * Parses a RIFF/WAVE buffer holding 16-bit linear PCM or 32-bit float samples, any rate and
 * channel count the library carries.
 *
 * Every defect gets its own typed error (`reason`): not RIFF, not WAVE, no `fmt ` or `data`
 * chunk, a compressed encoding, 8/24/32-bit integer samples, stereo when mono is required, a
 * `data` chunk shorter than its header says, or no samples at all. Streaming writers that leave
 * the `data` size as 0xFFFFFFFF are accepted: the samples run to the end of the buffer.
 *
 * @category Audio
 */
export function readWav(bytes: Uint8Array, options: WavReadOptions = {}): Result<WavAudio, SttError> {
  return scanWavHeader(bytes, true).andThen((header) => {
    if (!header) return invalid("missing-data-chunk", "The WAV file has no data chunk.");
    const { format, dataOffset, declaredSize } = header;
    return dataChunk(bytes, dataOffset, declaredSize, format, options);
  });
}

/**
 * Where a WAV file's samples are: its format, the offset of its `data` chunk's samples, and the
 * size the chunk declares (`0xFFFFFFFF` from writers that stream and never fill it in).
 *
 * @category Audio
 */
export interface WavHeader {
  /** The PCM layout read from the `fmt ` chunk. */
  readonly format: AudioFormat;
  /** Where the samples start, in bytes from the start of the file. */
  readonly dataOffset: number;
  /** The `data` chunk's declared size in bytes. */
  readonly declaredSize: number;
}

/**
 * Reads a WAV header from the first bytes of a file. `Ok(undefined)` means more bytes are needed
 * (only when `complete` is false: the bytes are a prefix of a longer file). Every defect of the
 * header is the same typed error as {@link readWav} gives.
 *
 * @category Audio
 */
export function scanWavHeader(bytes: Uint8Array, complete: boolean): Result<WavHeader | undefined, SttError> {
  if (bytes.byteLength < 12) {
    return complete || (bytes.byteLength >= 4 && fourCc(bytes, 0) !== "RIFF")
      ? invalid("not-riff", "Not a WAV file: it does not start with a RIFF header.")
      : ok(undefined);
  }
  if (fourCc(bytes, 0) !== "RIFF") return invalid("not-riff", "Not a WAV file: it does not start with a RIFF header.");
  if (fourCc(bytes, 8) !== "WAVE") {
    return invalid("not-wave", `Not a WAV file: the RIFF form type is "${fourCc(bytes, 8)}", not "WAVE".`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let format: AudioFormat | undefined;
  let offset = 12;
  while (offset + 8 <= bytes.byteLength) {
    const id = fourCc(bytes, offset);
    const size = view.getUint32(offset + 4, true);
    const body = offset + 8;
    if (id === "fmt ") {
      if (size < 16) return invalid("truncated", "The WAV format chunk is cut short.");
      if (body + 16 > bytes.byteLength) return complete ? invalid("truncated", "The WAV format chunk is cut short.") : ok(undefined);
      const parsed = parseFormatChunk(view, body, size);
      if (parsed.isErr()) return err(parsed.error);
      format = parsed.value;
    } else if (id === "data") {
      if (!format) return invalid("missing-format-chunk", "The WAV file has samples before its format chunk.");
      return ok({ format, dataOffset: body, declaredSize: size });
    }
    // Chunks are word-aligned: an odd size is followed by one pad byte.
    offset = body + size + (size % 2);
  }
  if (!complete) return ok(undefined);
  if (!format) return invalid("missing-format-chunk", "The WAV file has no format chunk.");
  return invalid("missing-data-chunk", "The WAV file has no data chunk.");
}

function parseFormatChunk(view: DataView, at: number, size: number): Result<AudioFormat, SttError> {
  let encoding = view.getUint16(at, true);
  const channels = view.getUint16(at + 2, true);
  const sampleRate = view.getUint32(at + 4, true);
  const bitsPerSample = view.getUint16(at + 14, true);
  if (encoding === WAVE_FORMAT_EXTENSIBLE && size >= 40 && at + 26 <= view.byteLength) {
    encoding = view.getUint16(at + 24, true);
  }
  // 32-bit float (what audio editors and DAWs export) is read as it is; the stream converts it.
  if (encoding === WAVE_FORMAT_IEEE_FLOAT && bitsPerSample === 32) {
    return validateAudioFormat({ sampleRate, channels, bitsPerSample: 32, encoding: "f32le" });
  }
  if (encoding !== WAVE_FORMAT_PCM) {
    return invalid(
      "not-pcm",
      `The WAV file is encoded as format 0x${encoding.toString(16).padStart(4, "0")}, not linear PCM (0x0001).`,
    );
  }
  if (bitsPerSample !== 16) {
    return invalid("unsupported-bit-depth", `The WAV file has ${bitsPerSample}-bit samples; only 16-bit PCM and 32-bit float are read directly (other layouts are decoded by ffmpeg when a file path is given).`);
  }
  return validateAudioFormat({ sampleRate, channels, bitsPerSample: 16 });
}

function dataChunk(
  bytes: Uint8Array,
  at: number,
  declaredSize: number,
  format: AudioFormat,
  options: WavReadOptions,
): Result<WavAudio, SttError> {
  if (options.requireMono && format.channels !== 1) {
    return invalid(
      "unsupported-channels",
      `The WAV file has ${format.channels} channels; mono is required (mix it down, e.g. \`sox in.wav -c 1 out.wav\`).`,
    );
  }
  const available = bytes.byteLength - at;
  const size = declaredSize === UNKNOWN_DATA_SIZE ? available : declaredSize;
  if (size > available) {
    return invalid(
      "truncated",
      `The WAV data chunk declares ${size} bytes but only ${available} are present: the file is truncated.`,
    );
  }
  const frame = bytesPerFrame(format);
  const usable = size - (size % frame);
  if (usable === 0) return invalid("empty", "The WAV file contains no audio samples.");
  return ok({ format, pcm: bytes.subarray(at, at + usable) });
}

/**
 * The largest file {@link readWavFile} reads by default: 1 GiB (over eight hours of 16 kHz mono,
 * an hour and a half of 48 kHz stereo). Larger recordings are read as a stream (`openWavFile`).
 *
 * @category Audio
 */
export const MAX_WAV_FILE_BYTES = 1024 * 1024 * 1024;

/**
 * How {@link readWavFile} reads.
 *
 * @category Audio
 */
export interface WavFileReadOptions extends WavReadOptions {
  /** The most bytes read; a larger file (or an endless one, such as a device) is an error. Default {@link MAX_WAV_FILE_BYTES}. */
  readonly maxBytes?: number;
}

/**
 * Reads and parses a WAV file from disk, at most `maxBytes` of it (default
 * {@link MAX_WAV_FILE_BYTES}); an unreadable path or a larger file is an `invalid-audio` error.
 *
 * @category Audio
 */
export function readWavFile(path: string, options: WavFileReadOptions = {}): ResultAsync<WavAudio, SttError> {
  const maxBytes = options.maxBytes ?? MAX_WAV_FILE_BYTES;
  return ResultAsync.fromPromise(readFileAtMost(path, maxBytes), (cause) =>
    sttError({
      kind: "invalid-audio",
      reason: "unreadable-file",
      message: `Cannot read audio file ${path}: ${describeCause(cause)}`,
      cause,
    }),
  ).andThen((bytes) =>
    bytes === undefined
      ? invalid("unreadable-file", `${path} is larger than ${maxBytes} bytes, the most readWavFile reads into memory: read it as a stream (openWavFile).`)
      : readWav(bytes, options),
  );
}

/**
 * Wraps PCM in a canonical 44-byte RIFF/WAVE header.
 *
 * @category Audio
 */
export function encodeWav(pcm: Uint8Array, format: AudioFormat): Uint8Array {
  const out = new Uint8Array(44 + pcm.byteLength);
  const view = new DataView(out.buffer);
  const ascii = (at: number, text: string): void => {
    for (let i = 0; i < text.length; i++) out[at + i] = text.charCodeAt(i);
  };
  const blockAlign = format.channels * (format.bitsPerSample / 8);
  ascii(0, "RIFF");
  view.setUint32(4, 36 + pcm.byteLength, true);
  ascii(8, "WAVE");
  ascii(12, "fmt ");
  view.setUint32(16, 16, true);
  view.setUint16(20, encodingOf(format) === "f32le" ? WAVE_FORMAT_IEEE_FLOAT : WAVE_FORMAT_PCM, true);
  view.setUint16(22, format.channels, true);
  view.setUint32(24, format.sampleRate, true);
  view.setUint32(28, format.sampleRate * blockAlign, true);
  view.setUint16(32, blockAlign, true);
  view.setUint16(34, format.bitsPerSample, true);
  ascii(36, "data");
  view.setUint32(40, pcm.byteLength, true);
  out.set(pcm, 44);
  return out;
}
