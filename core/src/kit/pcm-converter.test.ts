import { describe, expect, it } from "vitest";
import { ok } from "neverthrow";
import type { AudioFormat } from "../audio/format.js";
import { nativeFormatFor } from "./capability-checks.js";
import { PcmConverter } from "./pcm-converter.js";
import type { RecognitionDriver, RecognitionSink } from "./stream/driver.js";
import { createRecognitionStream } from "./stream/recognition-stream.js";
import type { SttCapabilities } from "../speech-to-text.js";

const MONO_16K: AudioFormat = { sampleRate: 16_000, channels: 1, bitsPerSample: 16 };
const STEREO_44K_FLOAT: AudioFormat = { sampleRate: 44_100, channels: 2, bitsPerSample: 32, encoding: "f32le" };

/** Interleaved stereo float frames: a tone at `hz` (amplitude 0.3) on both channels. */
function stereoFloatTone(rate: number, hz: number, seconds: number): Uint8Array {
  const frames = Math.round(rate * seconds);
  const out = new Uint8Array(frames * 8);
  const view = new DataView(out.buffer);
  for (let i = 0; i < frames; i++) {
    const value = 0.3 * Math.sin((2 * Math.PI * hz * i) / rate);
    view.setFloat32(i * 8, value, true);
    view.setFloat32(i * 8 + 4, value, true);
  }
  return out;
}

function samplesOf(pcm: Uint8Array): number[] {
  const view = new DataView(pcm.buffer, pcm.byteOffset, pcm.byteLength);
  return Array.from({ length: pcm.byteLength >> 1 }, (_, i) => view.getInt16(i * 2, true));
}

function rms(values: readonly number[]): number {
  return Math.sqrt(values.reduce((sum, value) => sum + value * value, 0) / Math.max(1, values.length));
}

function convertAll(converter: PcmConverter, input: Uint8Array, chunkBytes: number): number[] {
  const out: number[] = [];
  for (let at = 0; at < input.byteLength; at += chunkBytes) out.push(...samplesOf(converter.push(input.subarray(at, at + chunkBytes))));
  out.push(...samplesOf(converter.flush()));
  return out;
}

/** A provider taking mono at 8 or 16 kHz (the rest of its capabilities plays no part here). */
const CAPABILITIES = { sampleRates: [8_000, 16_000], channels: [1] } as Partial<SttCapabilities> as SttCapabilities;

describe("PcmConverter", () => {
  it("turns 44.1 kHz stereo float into 16 kHz mono 16-bit, keeping the tone's level and length", () => {
    const input = stereoFloatTone(44_100, 440, 1);
    const out = convertAll(new PcmConverter(STEREO_44K_FLOAT, MONO_16K), input, 8 * 441);
    expect(out.length).toBe(16_000);
    // A 0.3 full-scale sine has an RMS of 0.3 × 32768 / √2 on the 16-bit scale.
    expect(rms(out.slice(100, -100))).toBeCloseTo((0.3 * 32_768) / Math.SQRT2, -2);
  });

  it("gives the same samples however the input is chunked (split frames are the stream's job)", () => {
    const input = stereoFloatTone(44_100, 1000, 0.3);
    const whole = convertAll(new PcmConverter(STEREO_44K_FLOAT, MONO_16K), input, input.byteLength);
    const pieces = convertAll(new PcmConverter(STEREO_44K_FLOAT, MONO_16K), input, 8 * 37);
    expect(pieces).toEqual(whole);
  });

  it("filters out what the lower rate cannot carry instead of folding it into speech (anti-aliasing)", () => {
    // 12 kHz is above 16 kHz's Nyquist: without a filter it would alias to 4 kHz at full level.
    const out = convertAll(new PcmConverter(STEREO_44K_FLOAT, MONO_16K), stereoFloatTone(44_100, 12_000, 0.5), 8 * 4410);
    expect(rms(out.slice(100, -100))).toBeLessThan(((0.3 * 32_768) / Math.SQRT2) * 0.01);
  });

  it("mixes channels down by their mean at an unchanged rate", () => {
    const from: AudioFormat = { sampleRate: 16_000, channels: 2, bitsPerSample: 16 };
    const stereo = new Uint8Array(8);
    new DataView(stereo.buffer).setInt16(0, 1000, true);
    new DataView(stereo.buffer).setInt16(2, 3000, true);
    new DataView(stereo.buffer).setInt16(4, -200, true);
    new DataView(stereo.buffer).setInt16(6, -100, true);
    expect(samplesOf(new PcmConverter(from, MONO_16K).push(stereo))).toEqual([2000, -150]);
  });
});

describe("nativeFormatFor", () => {
  it("keeps a native format, converts everything else to the nearest native rate in mono 16-bit", () => {
    expect(nativeFormatFor(MONO_16K, CAPABILITIES, "p")._unsafeUnwrap()).toBe(MONO_16K);
    expect(nativeFormatFor(STEREO_44K_FLOAT, CAPABILITIES, "p")._unsafeUnwrap()).toEqual(MONO_16K);
    expect(nativeFormatFor({ sampleRate: 11_025, channels: 1, bitsPerSample: 16 }, CAPABILITIES, "p")._unsafeUnwrap()).toEqual(MONO_16K);
    expect(nativeFormatFor({ sampleRate: 8_000, channels: 1, bitsPerSample: 32, encoding: "f32le" }, CAPABILITIES, "p")._unsafeUnwrap()).toEqual({ ...MONO_16K, sampleRate: 8_000 });
    expect(nativeFormatFor(MONO_16K, { ...CAPABILITIES, sampleRates: [] }, "p")._unsafeUnwrapErr().kind).toBe("unsupported-option");
    expect(nativeFormatFor({ ...MONO_16K, channels: 2 }, { ...CAPABILITIES, channels: [4] }, "p")._unsafeUnwrapErr().kind).toBe("unsupported-option");
  });
});

class RecordingDriver implements RecognitionDriver {
  bytes = 0;
  start(_sink: RecognitionSink): void {}
  write(pcm: Uint8Array): boolean {
    this.bytes += pcm.byteLength;
    return true;
  }
  finish() {
    return Promise.resolve(ok(undefined));
  }
  dispose(): Promise<void> {
    return Promise.resolve();
  }
}

describe("createRecognitionStream with an input format", () => {
  it("converts every write for the driver, reports the conversion, and counts time in the caller's audio", async () => {
    const driver = new RecordingDriver();
    const stream = createRecognitionStream({ provider: "p", format: MONO_16K, inputFormat: STEREO_44K_FLOAT, driver });
    expect(stream.format).toBe(STEREO_44K_FLOAT);
    expect(stream.conversion).toEqual({ from: STEREO_44K_FLOAT, to: MONO_16K });
    const input = stereoFloatTone(44_100, 440, 2);
    // Odd-sized writes: split frames are joined before conversion.
    for (let at = 0; at < input.byteLength; at += 1001) expect(stream.write(input.subarray(at, at + 1001))._unsafeUnwrap()).toBe(true);
    const transcript = (await stream.end())._unsafeUnwrap();
    expect(driver.bytes).toBe(2 * 32_000);
    expect(transcript.audioSeconds).toBeCloseTo(2, 3);
  });

  it("passes audio through untouched, with no conversion, when the driver takes the caller's format", () => {
    const stream = createRecognitionStream({ provider: "p", format: MONO_16K, inputFormat: { ...MONO_16K }, driver: new RecordingDriver() });
    expect(stream.conversion).toBeUndefined();
    void stream.close();
  });
});
