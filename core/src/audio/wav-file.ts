import { open, type FileHandle } from "node:fs/promises";
import { err, ok, type Result } from "neverthrow";
import { describeCause, sttError, type SttError } from "../errors.js";
import { bytesPerFrame, type AudioFormat } from "./format.js";
import { scanWavHeader, type WavReadOptions } from "./wav.js";

/**
 * The most bytes read looking for the `data` chunk: real headers are under a kilobyte.
 *
 * @category Audio
 */
export const MAX_WAV_HEADER_BYTES = 64 * 1024;
/**
 * How much is read from disk at a time: memory stays at this, whatever the file's size. Each
 * block costs a read, an await and (in an upload) a body chunk whatever its size: a 10-minute
 * file sent to Azure's fast transcription took ~20 % less wall time in 256 KiB blocks than in
 * 64 KiB ones (1 MiB gained nothing more).
 */
const READ_BLOCK_BYTES = 256 * 1024;
/** The `data` size writers put when they stream and never come back to fill it in. */
const UNKNOWN_DATA_SIZE = 0xffffffff;

/**
 * A WAV file opened for reading as a stream: its format, and its samples in blocks read as they
 * are consumed, so a file of any size takes a fixed amount of memory. Close it when done (reading
 * to the end closes it too).
 *
 * @category Audio
 */
export interface WavFileStream {
  /** The PCM layout read from the `fmt ` chunk. */
  readonly format: AudioFormat;
  /** Bytes of samples the file holds, when known (a regular file with a filled-in `data` size). */
  readonly dataBytes: number | undefined;
  /** The samples, whole sample frames only, in blocks of up to 256 KiB. */
  readonly pcm: AsyncIterable<Uint8Array>;
  /** Releases the file. Idempotent. */
  close(): Promise<void>;
}

function unreadable(path: string, what: string, cause?: unknown): SttError {
  return sttError({
    kind: "invalid-audio",
    reason: "unreadable-file",
    message: `Cannot read audio file ${path}: ${what}`,
    ...(cause === undefined ? {} : { detail: describeCause(cause), cause }),
  });
}

/**
 * Opens a WAV file for streaming: reads its header (at most {@link MAX_WAV_HEADER_BYTES}), then
 * hands out its samples block by block. Fails fast, with the same typed errors as `readWav`, on a
 * directory, a file that is not WAV (`/dev/zero` included: its first bytes are not RIFF), a
 * header that does not end, and a regular file shorter than its `data` chunk says. A device or
 * pipe (`/dev/stdin`) streams until it ends.
 *
 * @category Audio
 */
export async function openWavFile(path: string, options: WavReadOptions = {}): Promise<Result<WavFileStream, SttError>> {
  let handle: FileHandle;
  try {
    handle = await open(path, "r");
  } catch (cause) {
    return err(unreadable(path, describeCause(cause), cause));
  }
  const opened = await readHeader(path, handle, options);
  if (opened.isErr()) await handle.close().catch(() => undefined);
  return opened;
}

async function readHeader(path: string, handle: FileHandle, options: WavReadOptions): Promise<Result<WavFileStream, SttError>> {
  try {
    const stat = await handle.stat();
    if (stat.isDirectory()) return err(unreadable(path, "it is a directory."));
    const head = new Uint8Array(MAX_WAV_HEADER_BYTES);
    let filled = 0;
    for (;;) {
      const { bytesRead } = await handle.read(head, filled, head.byteLength - filled, null);
      filled += bytesRead;
      const atEnd = bytesRead === 0 || filled === head.byteLength;
      const scanned = scanWavHeader(head.subarray(0, filled), bytesRead === 0);
      if (scanned.isErr()) return err(scanned.error);
      const header = scanned.value;
      if (header) {
        const { format, dataOffset, declaredSize } = header;
        if (options.requireMono && format.channels !== 1) {
          return err(sttError({ kind: "invalid-audio", reason: "unsupported-channels", message: `The WAV file has ${format.channels} channels; mono is required.` }));
        }
        const known = stat.isFile() && declaredSize !== UNKNOWN_DATA_SIZE ? declaredSize : undefined;
        if (known !== undefined && stat.size < dataOffset + known) {
          return err(sttError({ kind: "invalid-audio", reason: "truncated", message: `The WAV data chunk declares ${known} bytes but only ${Math.max(0, stat.size - dataOffset)} are present: the file is truncated.` }));
        }
        const frame = bytesPerFrame(format);
        const dataBytes = known === undefined ? undefined : known - (known % frame);
        if (dataBytes === 0) return err(sttError({ kind: "invalid-audio", reason: "empty", message: "The WAV file contains no audio samples." }));
        const first = head.slice(dataOffset, dataBytes === undefined ? filled : Math.min(filled, dataOffset + dataBytes));
        return ok(streamOf(handle, format, first, dataBytes));
      }
      if (atEnd) {
        return err(sttError({ kind: "invalid-audio", reason: "missing-data-chunk", message: `The WAV file has no data chunk in its first ${MAX_WAV_HEADER_BYTES} bytes.` }));
      }
    }
  } catch (cause) {
    return err(unreadable(path, describeCause(cause), cause));
  }
}

function streamOf(handle: FileHandle, format: AudioFormat, first: Uint8Array, dataBytes: number | undefined): WavFileStream {
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await handle.close().catch(() => undefined);
  };
  const frame = bytesPerFrame(format);
  async function* samples(): AsyncGenerator<Uint8Array> {
    try {
      let remaining = dataBytes ?? Infinity;
      let carry = first;
      for (;;) {
        const whole = Math.min(carry.byteLength - (carry.byteLength % frame), remaining);
        if (whole > 0) {
          yield carry.subarray(0, whole);
          remaining -= whole;
        }
        carry = carry.subarray(whole);
        if (remaining <= 0 || closed) return;
        const block = new Uint8Array(carry.byteLength + READ_BLOCK_BYTES);
        block.set(carry, 0);
        const { bytesRead } = await handle.read(block, carry.byteLength, READ_BLOCK_BYTES, null);
        if (bytesRead === 0) return; // a part frame at the very end is dropped, as readWav does
        carry = block.subarray(0, carry.byteLength + bytesRead);
      }
    } finally {
      await close();
    }
  }
  return { format, dataBytes, pcm: samples(), close };
}
