import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PcmResampler } from "./resample.js";

function pcmOf(samples: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(samples.length * 2);
  const view = new DataView(out.buffer);
  for (let i = 0; i < samples.length; i++) view.setInt16(i * 2, Math.max(-32768, Math.min(32767, Math.round(samples[i] as number))), true);
  return out;
}

function samplesOf(pcm: Uint8Array): number[] {
  const view = new DataView(pcm.buffer, pcm.byteOffset, pcm.byteLength);
  return Array.from({ length: pcm.byteLength >> 1 }, (_, i) => view.getInt16(i * 2, true));
}

function tone(rate: number, hz: number, seconds: number, amplitude = 10_000): number[] {
  return Array.from({ length: Math.round(rate * seconds) }, (_, i) => amplitude * Math.sin((2 * Math.PI * hz * i) / rate));
}

function resampleAll(from: number, to: number, input: Uint8Array, chunkBytes = input.byteLength): number[] {
  const resampler = PcmResampler.create(from, to)._unsafeUnwrap();
  const parts: number[] = [];
  for (let at = 0; at < input.byteLength; at += chunkBytes) parts.push(...samplesOf(resampler.push(input.subarray(at, at + chunkBytes))));
  parts.push(...samplesOf(resampler.flush()));
  return parts;
}

function rms(values: readonly number[]): number {
  return Math.sqrt(values.reduce((sum, value) => sum + value * value, 0) / Math.max(1, values.length));
}

describe("PcmResampler", () => {
  it("refuses rates outside 8-192 kHz and non-integers", () => {
    expect(PcmResampler.create(7999, 24_000)._unsafeUnwrapErr().kind).toBe("invalid-argument");
    expect(PcmResampler.create(16_000, 384_000)._unsafeUnwrapErr().kind).toBe("invalid-argument");
    expect(PcmResampler.create(16_000.5, 24_000)._unsafeUnwrapErr().kind).toBe("invalid-argument");
    expect(PcmResampler.create(Number.NaN, 24_000).isErr()).toBe(true);
  });

  it.each([8_000, 16_000, 22_050, 44_100, 48_000])("gives ceil(n × to / from) samples from %i Hz to 24 kHz", (from) => {
    const input = pcmOf(tone(from, 440, 0.37));
    const n = input.byteLength / 2;
    expect(resampleAll(from, 24_000, input)).toHaveLength(Math.ceil((n * 24_000) / from));
  });

  it.each([8_000, 16_000, 44_100, 48_000])("keeps a 1 kHz tone from %i Hz: same frequency, amplitude and phase at 24 kHz", (from) => {
    const out = resampleAll(from, 24_000, pcmOf(tone(from, 1000, 0.5)));
    const ideal = tone(24_000, 1000, 0.5);
    // Away from the edges (where the filter sees the silence outside the signal) the output is the tone itself.
    const middle = (values: readonly number[]) => values.slice(200, values.length - 200);
    const error = middle(out).map((value, i) => value - (middle(ideal)[i] as number));
    expect(rms(error) / rms(middle(ideal))).toBeLessThan(0.01);
  });

  it("filters what 24 kHz cannot hold when downsampling from 48 kHz (no aliasing)", () => {
    // A 15 kHz tone would fold back to 9 kHz without the anti-aliasing filter.
    const out = resampleAll(48_000, 24_000, pcmOf(tone(48_000, 15_000, 0.5)));
    expect(rms(out.slice(200, -200))).toBeLessThan(10_000 / Math.SQRT2 / 1000); // below -60 dB
  });

  it("adds no delay: an impulse stays at its time", () => {
    const input = new Array<number>(1600).fill(0);
    input[800] = 20_000; // 50 ms at 16 kHz
    const out = resampleAll(16_000, 24_000, pcmOf(input));
    const peak = out.indexOf(Math.max(...out));
    expect(peak).toBe(1200); // 50 ms at 24 kHz
  });

  it("keeps a constant exactly constant, and 24 kHz to 24 kHz unchanged", () => {
    const out = resampleAll(16_000, 24_000, pcmOf(new Array<number>(3200).fill(1234)));
    expect(out.slice(30, -30).every((value) => value === 1234)).toBe(true);
    const same = pcmOf(tone(24_000, 300, 0.1));
    expect(resampleAll(24_000, 24_000, same)).toEqual(samplesOf(same));
  });

  it("streams: any chunking gives the same samples as one call", () => {
    const input = pcmOf(tone(16_000, 700, 0.2).map((value, i) => value + ((i * 7919) % 2000) - 1000));
    const whole = resampleAll(16_000, 24_000, input);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 900 }), fc.constantFrom(8_000, 16_000, 44_100, 48_000), (chunkSamples, from) => {
        const reference = from === 16_000 ? whole : resampleAll(from, 24_000, input);
        expect(resampleAll(from, 24_000, input, chunkSamples * 2)).toEqual(reference);
      }),
      { numRuns: 40 },
    );
  });

  it("ignores an odd trailing byte and returns nothing after flush()", () => {
    const resampler = new PcmResampler(16_000, 24_000);
    const pushed = resampler.push(new Uint8Array(321));
    expect(resampler.inputSamples).toBe(160);
    expect(pushed.byteLength + resampler.flush().byteLength).toBe(240 * 2);
    expect(resampler.push(new Uint8Array(320)).byteLength).toBe(0);
    expect(resampler.flush().byteLength).toBe(0);
    expect(resampler.outputSamples).toBe(240);
  });
});
