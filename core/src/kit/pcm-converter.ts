import { endianness } from "node:os";
import { bytesPerFrame, encodingOf, type AudioFormat } from "../audio/format.js";
import { encodePcm16 } from "../audio/pcm16.js";
import { PcmResampler } from "./resample.js";

/** Full scale of a 16-bit sample: float samples in [-1, 1] are scaled by it. */
const PCM16_SCALE = 32_768;

/**
 * Converts interleaved audio from one {@link AudioFormat} to another as it streams, chunk by chunk:
 * 16-bit or 32-bit float samples in, 16-bit PCM out; several channels mixed down to mono (their
 * mean, so a mono signal copied to two channels keeps its level) when the output is mono; any rate
 * to any rate through one {@link PcmResampler} per output channel. Memory is the resampler's
 * filter reach plus the chunk being converted, whatever the stream's length.
 *
 * The output has `to.channels` equal to `from.channels` or 1. It is made for one stream: it keeps
 * state between chunks, and {@link PcmConverter.flush} gives the resampler's last samples.
 *
 * @category Audio conversion
 */
export class PcmConverter {
  /** The format written to {@link PcmConverter.push}. */
  readonly from: AudioFormat;
  /** The format {@link PcmConverter.push} returns (16-bit PCM). */
  readonly to: AudioFormat;
  readonly #resamplers: readonly PcmResampler[] | undefined;
  readonly #float: boolean;
  readonly #mixDown: boolean;

  /**
   * @param from - The input format (already validated).
   * @param to - The output format: 16-bit, with `from`'s channel count or one channel.
   */
  constructor(from: AudioFormat, to: AudioFormat) {
    this.from = from;
    this.to = to;
    this.#float = encodingOf(from) === "f32le";
    this.#mixDown = to.channels === 1 && from.channels > 1;
    this.#resamplers = from.sampleRate === to.sampleRate ? undefined : Array.from({ length: to.channels }, () => new PcmResampler(from.sampleRate, to.sampleRate));
  }

  /** Converts whole input frames (a trailing part frame is ignored: the stream keeps it for the next chunk). */
  push(frames: Uint8Array): Uint8Array {
    const channels = this.#decode(frames);
    const resamplers = this.#resamplers;
    return encodePcm16(resamplers ? channels.map((samples, index) => (resamplers[index] as PcmResampler).pushSamples(samples)) : channels);
  }

  /** The last samples the resampler holds back (its filter's look-ahead), once the input has ended. */
  flush(): Uint8Array {
    return this.#resamplers ? encodePcm16(this.#resamplers.map((resampler) => resampler.flushSamples())) : new Uint8Array(0);
  }

  /** Splits (or mixes down) whole frames into one array per output channel, on the 16-bit scale. */
  #decode(frames: Uint8Array): Float64Array[] {
    const inChannels = this.from.channels;
    const count = Math.floor(frames.byteLength / bytesPerFrame(this.from));
    const samples = sampleView(frames, this.#float, count * inChannels);
    const outputs = Array.from({ length: this.to.channels }, () => new Float64Array(count));
    const scale = (this.#float ? PCM16_SCALE : 1) / (this.#mixDown ? inChannels : 1);
    if (this.#mixDown) {
      const mono = outputs[0] as Float64Array;
      for (let frame = 0, at = 0; frame < count; frame++) {
        let sum = 0;
        for (let channel = 0; channel < inChannels; channel++, at++) sum += samples[at] as number;
        mono[frame] = sum * scale;
      }
      return outputs;
    }
    for (let channel = 0; channel < inChannels; channel++) {
      const output = outputs[channel] as Float64Array;
      for (let frame = 0, at = channel; frame < count; frame++, at += inChannels) output[frame] = (samples[at] as number) * scale;
    }
    return outputs;
  }
}

/**
 * The samples of `bytes` as a typed array: a view when the bytes are aligned, else an aligned copy
 * (typed arrays read in the host's byte order: a big-endian host decodes sample by sample).
 */
function sampleView(bytes: Uint8Array, float: boolean, length: number): Int16Array | Float32Array {
  const width = float ? 4 : 2;
  if (BIG_ENDIAN_HOST) return decodeLittleEndian(bytes, float, length);
  const aligned = bytes.byteOffset % width === 0 ? bytes : bytes.slice(0, length * width);
  return float ? new Float32Array(aligned.buffer, aligned.byteOffset, length) : new Int16Array(aligned.buffer, aligned.byteOffset, length);
}

const BIG_ENDIAN_HOST = endianness() === "BE";

function decodeLittleEndian(bytes: Uint8Array, float: boolean, length: number): Int16Array | Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = float ? new Float32Array(length) : new Int16Array(length);
  for (let i = 0; i < length; i++) out[i] = float ? view.getFloat32(i * 4, true) : view.getInt16(i * 2, true);
  return out;
}
