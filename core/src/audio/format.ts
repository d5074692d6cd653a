import { err, ok, type Result } from "neverthrow";
import { describeValue, sttError, type SttError } from "../errors.js";

/**
 * How one sample is stored: `"s16le"`, 16-bit signed little-endian integers (the default), or
 * `"f32le"`, 32-bit little-endian IEEE floats in [-1, 1] (what audio APIs and float WAVs give).
 *
 * @category Audio
 */
export type SampleEncoding = "s16le" | "f32le";

/**
 * The shape of raw audio: little-endian samples, interleaved when there are several channels.
 * Every adapter's `write()` takes any format that {@link validateAudioFormat} accepts: audio in a
 * rate, channel count or encoding the provider does not take natively is converted on the fly
 * (see {@link RecognitionStream.conversion}).
 *
 * @category Audio
 */
export interface AudioFormat {
  /** Samples per second per channel, for example 16000. */
  readonly sampleRate: number;
  /** Number of interleaved channels; speech recognisers mostly want 1 (others are mixed down). */
  readonly channels: number;
  /** Bits per sample: 16 for `"s16le"`, 32 for `"f32le"`. */
  readonly bitsPerSample: 16 | 32;
  /** The sample encoding; absent means `"s16le"`. */
  readonly encoding?: SampleEncoding;
}

/**
 * A stream's audio conversion: the format the caller writes and the one the provider receives.
 *
 * @category Audio
 */
export interface AudioConversion {
  /** The format written to the stream. */
  readonly from: AudioFormat;
  /** The format the provider receives (one of its native rates and channel counts, 16-bit PCM). */
  readonly to: AudioFormat;
}

/**
 * 16 kHz mono 16-bit PCM: what most speech services prefer, and the default everywhere here.
 *
 * @category Audio
 */
export const DEFAULT_AUDIO_FORMAT: AudioFormat = Object.freeze({
  sampleRate: 16_000,
  channels: 1,
  bitsPerSample: 16,
});

/**
 * Lowest and highest sample rates accepted anywhere in the library (studio rates up to 192 kHz are
 * converted to what the provider takes).
 *
 * @category Audio
 */
export const SAMPLE_RATE_RANGE = Object.freeze({ min: 8_000, max: 192_000 });

/**
 * The encoding of `format`: its `encoding`, or `"s16le"` when it names none.
 *
 * @category Audio
 */
export function encodingOf(format: AudioFormat): SampleEncoding {
  return format.encoding ?? "s16le";
}

/**
 * Builds a mono or multi-channel 16-bit PCM format, validating the numbers.
 *
 * @category Audio
 */
export function pcmFormat(sampleRate: number, channels = 1): Result<AudioFormat, SttError> {
  return validateAudioFormat({ sampleRate, channels, bitsPerSample: 16 });
}

/**
 * Checks a format is one this library can carry: an integer sample rate between 8 and 192 kHz,
 * 1 to 8 channels, 16-bit integer or 32-bit float samples.
 *
 * @category Audio
 */
export function validateAudioFormat(format: AudioFormat): Result<AudioFormat, SttError> {
  if (typeof format !== "object" || format === null) {
    return err(
      sttError({
        kind: "invalid-argument",
        argument: "format",
        message: `An audio format is an object such as { sampleRate: 16000, channels: 1, bitsPerSample: 16 }, not ${format === null ? "null" : typeof format}.`,
      }),
    );
  }
  if (
    !Number.isInteger(format.sampleRate) ||
    format.sampleRate < SAMPLE_RATE_RANGE.min ||
    format.sampleRate > SAMPLE_RATE_RANGE.max
  ) {
    return err(
      sttError({
        kind: "invalid-audio",
        reason: "unsupported-sample-rate",
        message: `Sample rate ${describeValue(format.sampleRate)} Hz is not supported: use an integer from ${SAMPLE_RATE_RANGE.min} to ${SAMPLE_RATE_RANGE.max} Hz.`,
      }),
    );
  }
  if (!Number.isInteger(format.channels) || format.channels < 1 || format.channels > 8) {
    return err(
      sttError({
        kind: "invalid-audio",
        reason: "unsupported-channels",
        message: `${describeValue(format.channels)} channels is not supported: use 1 to 8 interleaved channels.`,
      }),
    );
  }
  const encoding = format.encoding ?? "s16le";
  if (encoding !== "s16le" && encoding !== "f32le") {
    return err(
      sttError({
        kind: "invalid-audio",
        reason: "not-pcm",
        message: `The ${describeValue(encoding)} sample encoding is not supported: use "s16le" (16-bit PCM) or "f32le" (32-bit float).`,
      }),
    );
  }
  if (format.bitsPerSample !== (encoding === "f32le" ? 32 : 16)) {
    return err(
      sttError({
        kind: "invalid-audio",
        reason: "unsupported-bit-depth",
        message: `${describeValue(format.bitsPerSample)}-bit ${encoding} audio is not supported: use 16-bit linear PCM ("s16le") or 32-bit float ("f32le").`,
      }),
    );
  }
  return ok(format);
}

/**
 * Bytes in one sample frame (one sample for every channel).
 *
 * @category Audio
 */
export function bytesPerFrame(format: AudioFormat): number {
  return (format.bitsPerSample / 8) * format.channels;
}

/**
 * Bytes of audio per second of time.
 *
 * @category Audio
 */
export function bytesPerSecond(format: AudioFormat): number {
  return bytesPerFrame(format) * format.sampleRate;
}

/**
 * Duration in milliseconds of `byteLength` bytes of PCM in `format`.
 *
 * @category Audio
 */
export function durationMs(byteLength: number, format: AudioFormat): number {
  return (byteLength / bytesPerSecond(format)) * 1000;
}

/**
 * Bytes of PCM for `ms` milliseconds, rounded down to whole frames.
 *
 * @category Audio
 */
export function bytesForMs(ms: number, format: AudioFormat): number {
  const frames = Math.floor((ms / 1000) * format.sampleRate);
  return frames * bytesPerFrame(format);
}

/**
 * Whether two formats describe the same PCM layout.
 *
 * @category Audio
 */
export function sameFormat(a: AudioFormat, b: AudioFormat): boolean {
  return a.sampleRate === b.sampleRate && a.channels === b.channels && a.bitsPerSample === b.bitsPerSample && encodingOf(a) === encodingOf(b);
}
