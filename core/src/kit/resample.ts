import { err, ok, type Result } from "neverthrow";
import { SAMPLE_RATE_RANGE } from "../audio/format.js";
import { encodePcm16 } from "../audio/pcm16.js";
import { sttError, type SttError } from "../errors.js";

/**
 * Zero crossings of the sinc kept on each side of a filter tap centre. Eight gives a stop band
 * below about -70 dB with the Blackman window: inaudible aliasing for speech, and few enough taps
 * (about 18 per output sample from 16 kHz) for a hundred real-time streams per core.
 */
const ZERO_CROSSINGS = 8;

/**
 * Where the pass band ends, as a fraction of the lower of the two Nyquist frequencies. The
 * remaining tenth is the filter's transition band: speech energy there (above 10.8 kHz at 24 kHz)
 * is negligible, and a narrower transition would need a longer filter.
 */
const PASS_BAND = 0.9;

function greatestCommonDivisor(a: number, b: number): number {
  return b === 0 ? a : greatestCommonDivisor(b, a % b);
}

/** The Blackman window at `x` in [-1, 1] (0 outside). */
function blackman(x: number): number {
  if (x <= -1 || x >= 1) return 0;
  const phase = Math.PI * (x + 1);
  return 0.42 - 0.5 * Math.cos(phase) + 0.08 * Math.cos(2 * phase);
}

function sinc(x: number): number {
  if (x === 0) return 1;
  const px = Math.PI * x;
  return Math.sin(px) / px;
}

/**
 * Converts 16-bit little-endian mono PCM from one sample rate to another as it streams: a
 * windowed-sinc polyphase filter at the exact rational ratio of the two rates (16 kHz to 24 kHz
 * is 3/2, 44.1 kHz to 24 kHz is 80/147), so no drift accumulates however long the stream runs.
 * Its cut-off lies below the lower of the two Nyquist frequencies, so downsampling (48 kHz to
 * 24 kHz) does not fold high frequencies back into the speech band, and upsampling (8 kHz to
 * 24 kHz) adds no images above the original band.
 *
 * Time is kept: output sample `k` lies at input time `k × from / to`, the filter is centred on it
 * (no delay is added to the time line), so a provider's offsets on the resampled audio are offsets
 * on the original. The price is a look-ahead of a few input samples (about 0.6 ms at 16 kHz): the
 * last output samples come out of {@link PcmResampler.flush}, which pads the end with silence.
 *
 * Services that take one fixed rate (OpenAI Realtime: 24 kHz) use it to accept every rate a
 * caller may have. A resampler is made for one stream; it is not thread-safe and keeps state.
 *
 * @category Audio conversion
 */
export class PcmResampler {
  /** The input sample rate, in Hz. */
  readonly fromRate: number;
  /** The output sample rate, in Hz. */
  readonly toRate: number;
  /** Output samples per `#down` input samples: the reduced ratio `to / from = up / down`. */
  readonly #up: number;
  readonly #down: number;
  /** Filter half-width in input samples. */
  readonly #halfWidth: number;
  /** One filter per phase (the fractional part of an output's input time, in `1 / up` steps). */
  readonly #phases: readonly Float64Array[];
  /** Index of each phase filter's first tap, relative to the floor of the output's input time. */
  readonly #firstTap: number;
  /**
   * Input samples kept for the filter: `#buffer[i]` (for `i < #length`) is input sample
   * `#historyStart + i`. It starts with the filter's reach of silence before sample 0, so the inner
   * loop never checks bounds; it grows by doubling and is compacted as outputs consume it.
   */
  #buffer = new Float64Array(4096);
  #length = 0;
  #historyStart = 0;
  /** Input samples received so far. */
  #inputSamples = 0;
  /** Output samples produced so far. */
  #outputSamples = 0;
  #flushed = false;

  /**
   * Use {@link PcmResampler.create}, which checks the rates; the constructor trusts them.
   *
   * @param fromRate - The input rate, Hz (a positive integer).
   * @param toRate - The output rate, Hz (a positive integer).
   */
  constructor(fromRate: number, toRate: number) {
    this.fromRate = fromRate;
    this.toRate = toRate;
    const divisor = greatestCommonDivisor(toRate, fromRate);
    this.#up = toRate / divisor;
    this.#down = fromRate / divisor;
    // Cut-off in cycles per input sample: below the output's Nyquist when downsampling.
    const cutoff = 0.5 * Math.min(1, toRate / fromRate) * PASS_BAND;
    this.#halfWidth = ZERO_CROSSINGS / (2 * cutoff);
    this.#firstTap = -Math.ceil(this.#halfWidth) + 1;
    const taps = 2 * Math.ceil(this.#halfWidth);
    const phases: Float64Array[] = [];
    for (let phase = 0; phase < this.#up; phase++) {
      const fraction = phase / this.#up;
      const filter = new Float64Array(taps);
      let sum = 0;
      for (let tap = 0; tap < taps; tap++) {
        // Distance, in input samples, from the output's input time to this input sample.
        const distance = this.#firstTap + tap - fraction;
        const value = 2 * cutoff * sinc(2 * cutoff * distance) * blackman(distance / this.#halfWidth);
        filter[tap] = value;
        sum += value;
      }
      // Unity gain at 0 Hz for every phase, so a constant stays exactly constant.
      for (let tap = 0; tap < taps; tap++) filter[tap] = (filter[tap] as number) / sum;
      phases.push(filter);
    }
    this.#phases = phases;
    // Silence before the first sample: what the filters of the first outputs reach back to.
    this.#historyStart = this.#firstTap;
    this.#length = -this.#firstTap;
  }

  /**
   * A resampler between two rates, each an integer from 8000 to 192000 Hz; anything else is an
   * `invalid-argument` error.
   */
  static create(fromRate: number, toRate: number): Result<PcmResampler, SttError> {
    for (const [argument, rate] of [
      ["fromRate", fromRate],
      ["toRate", toRate],
    ] as const) {
      if (!Number.isInteger(rate) || rate < SAMPLE_RATE_RANGE.min || rate > SAMPLE_RATE_RANGE.max) {
        return err(
          sttError({
            kind: "invalid-argument",
            argument,
            message: `${argument} must be an integer sample rate from ${SAMPLE_RATE_RANGE.min} to ${SAMPLE_RATE_RANGE.max} Hz; got ${String(rate)}.`,
          }),
        );
      }
    }
    return ok(new PcmResampler(fromRate, toRate));
  }

  /** Input samples received so far. */
  get inputSamples(): number {
    return this.#inputSamples;
  }

  /** Output samples produced so far. */
  get outputSamples(): number {
    return this.#outputSamples;
  }

  /**
   * Resamples the next piece of the stream: whole 16-bit samples (an odd trailing byte is
   * ignored). Returns the output samples that the audio so far determines; the rest follow with
   * the next call or {@link PcmResampler.flush}. Returns an empty array after `flush()`.
   */
  push(pcm: Uint8Array): Uint8Array {
    if (this.#flushed) return new Uint8Array(0);
    const samples = pcm.byteLength >> 1;
    if (this.#up === this.#down) {
      this.#inputSamples += samples;
      this.#outputSamples += samples;
      return pcm.slice(0, samples * 2);
    }
    const view = new DataView(pcm.buffer, pcm.byteOffset, samples * 2);
    const decoded = new Float64Array(samples);
    for (let i = 0; i < samples; i++) decoded[i] = view.getInt16(i * 2, true);
    return encodePcm16([this.pushSamples(decoded)]);
  }

  /**
   * Ends the stream: returns the last output samples, computed with silence after the end of the
   * input. After it, the output holds `ceil(inputSamples × to / from)` samples in all, one for
   * every output instant inside the input's duration. Further calls return nothing.
   */
  flush(): Uint8Array {
    return encodePcm16([this.flushSamples()]);
  }

  /**
   * {@link PcmResampler.push} on samples as numbers (any scale: the filter is linear), for callers
   * that decode, mix or encode themselves; no rounding or clipping happens here.
   */
  pushSamples(samples: ArrayLike<number>): Float64Array {
    if (this.#flushed) return new Float64Array(0);
    this.#inputSamples += samples.length;
    if (this.#up === this.#down) {
      this.#outputSamples += samples.length;
      return Float64Array.from(samples);
    }
    this.#append(samples, samples.length);
    return this.#produce(this.#inputSamples);
  }

  /** {@link PcmResampler.flush} as numbers, for {@link PcmResampler.pushSamples} callers. */
  flushSamples(): Float64Array {
    if (this.#flushed) return new Float64Array(0);
    this.#flushed = true;
    if (this.#up === this.#down) return new Float64Array(0);
    const total = Math.ceil((this.#inputSamples * this.#up) / this.#down);
    // Silence after the end, as far as the last output's filter reaches.
    const lastTap = this.#firstTap + (this.#phases[0]?.length ?? 0) - 1;
    this.#append(new Float64Array(lastTap + 1), lastTap + 1);
    return this.#produce(Infinity, total);
  }

  /** Appends input samples to the history, growing it when a chunk does not fit. */
  #append(samples: ArrayLike<number>, count: number): void {
    const needed = this.#length + count;
    if (needed > this.#buffer.length) {
      const grown = new Float64Array(Math.max(needed, this.#buffer.length * 2));
      grown.set(this.#buffer.subarray(0, this.#length), 0);
      this.#buffer = grown;
    }
    this.#buffer.set(samples, this.#length);
    this.#length = needed;
  }

  /**
   * Computes every output sample whose filter reaches no further than input sample `available - 1`
   * (or, when flushing, up to output `until`), then drops the history no later output needs.
   */
  #produce(available: number, until = Infinity): Float64Array {
    const up = this.#up;
    const down = this.#down;
    const taps = this.#phases[0]?.length ?? 0;
    const lastTap = this.#firstTap + taps - 1;
    const first = this.#outputSamples;
    // Outputs whose last tap is available: floor(k × down / up) + lastTap < available.
    const reachable = available === Infinity ? Infinity : Math.ceil(((available - lastTap) * up) / down);
    const count = Math.max(0, Math.min(until, reachable) - first);
    const out = new Float64Array(count);
    const buffer = this.#buffer;
    const phases = this.#phases;
    // The output's input time, base + phase / up, advances by down / up per output.
    let base = Math.floor((first * down) / up);
    let phase = first * down - base * up;
    const baseStep = Math.floor(down / up);
    const phaseStep = down - baseStep * up;
    let start = base + this.#firstTap - this.#historyStart;
    for (let n = 0; n < count; n++) {
      const filter = phases[phase] as Float64Array;
      let sum = 0;
      for (let tap = 0; tap < taps; tap++) sum += (filter[tap] as number) * (buffer[start + tap] as number);
      out[n] = sum;
      start += baseStep;
      phase += phaseStep;
      if (phase >= up) {
        phase -= up;
        start++;
      }
    }
    this.#outputSamples = first + count;
    const nextBase = Math.floor((this.#outputSamples * down) / up);
    const dropped = Math.min(Math.max(0, nextBase + this.#firstTap - this.#historyStart), this.#length);
    if (dropped > 0) {
      buffer.copyWithin(0, dropped, this.#length);
      this.#length -= dropped;
      this.#historyStart += dropped;
    }
    return out;
  }
}
