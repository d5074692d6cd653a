import { ResultAsync } from "neverthrow";
import { bytesPerSecond, DEFAULT_AUDIO_FORMAT, encodeWav, openAudioFile, type AudioFormat, type AudioSource, type SttError } from "@sttkit/core";
import { loadAudioSource } from "@sttkit/core/kit";
import { PROVIDER } from "../constants.js";

/** The RIFF size fields' value when the size is not known (or does not fit in 32 bits). */
const UNKNOWN_SIZE = 0xffffffff;
const HEADER_BYTES = 44;

/**
 * A recording ready to be uploaded as a WAV file: a canonical header, then its samples as they are
 * read (from disk block by block for a file, so memory does not grow with the file's size).
 */
export interface UploadAudio {
  readonly format: AudioFormat;
  /** Bytes of the WAV as sent, header included, when known in advance (not for a pipe). */
  readonly wavBytes: number | undefined;
  /** The audio's duration in milliseconds, when its size is known. */
  readonly durationMs: number | undefined;
  /** The WAV's canonical header. */
  readonly header: Uint8Array;
  /** The samples, after the header, in order; read them once. */
  readonly samples: AsyncIterable<Uint8Array> | readonly Uint8Array[];
  /** Releases the file. Idempotent. */
  close(): Promise<void>;
}

/** A canonical 44-byte WAV header for `dataBytes` of samples (unknown: the streaming writers' 0xFFFFFFFF). */
export function wavHeader(format: AudioFormat, dataBytes: number | undefined): Uint8Array {
  const header = encodeWav(new Uint8Array(0), format);
  const view = new DataView(header.buffer, header.byteOffset, header.byteLength);
  const fits = dataBytes !== undefined && HEADER_BYTES - 8 + dataBytes <= UNKNOWN_SIZE;
  view.setUint32(4, fits ? HEADER_BYTES - 8 + dataBytes : UNKNOWN_SIZE, true);
  view.setUint32(40, fits ? dataBytes : UNKNOWN_SIZE, true);
  return header;
}

function upload(format: AudioFormat, dataBytes: number | undefined, samples: AsyncIterable<Uint8Array> | readonly Uint8Array[], close: () => Promise<void>): UploadAudio {
  return {
    format,
    wavBytes: dataBytes === undefined ? undefined : HEADER_BYTES + dataBytes,
    durationMs: dataBytes === undefined ? undefined : (dataBytes / bytesPerSecond(format)) * 1000,
    header: wavHeader(format, dataBytes),
    samples,
    close,
  };
}

/**
 * Opens any {@link AudioSource} for upload, with the same typed errors as every other way in: a
 * path (any format, see `openAudioFile`) is opened and its header read (or its decoding started) now (a directory, a missing file or not-WAV is an
 * `invalid-audio` error at once); bytes and PCM already in memory are used as they are.
 */
export function openUploadAudio(audio: AudioSource): ResultAsync<UploadAudio, SttError> {
  const withProvider = (error: SttError): SttError => ({ ...error, provider: PROVIDER });
  if (typeof audio === "object" && audio !== null && !(audio instanceof Uint8Array) && "path" in audio && typeof audio.path === "string") {
    // Any format: WAV read as it is, anything else decoded by ffmpeg to 16 kHz mono as it uploads.
    return new ResultAsync(openAudioFile(audio.path, { convertTo: DEFAULT_AUDIO_FORMAT })).mapErr(withProvider).map((file) => upload(file.format, file.dataBytes, file.pcm, () => file.close()));
  }
  return loadAudioSource(audio)
    .mapErr(withProvider)
    .map((wav) => upload(wav.format, wav.pcm.byteLength, [wav.pcm], () => Promise.resolve()));
}
