import { describe, expect, it } from "vitest";
import { chunkPcm, paceRealtime } from "./chunking.js";
import { bytesForMs, DEFAULT_AUDIO_FORMAT, durationMs, pcmFormat, validateAudioFormat } from "./format.js";

const format = DEFAULT_AUDIO_FORMAT;

describe("audio format", () => {
  it("computes sizes and durations", () => {
    expect(bytesForMs(100, format)).toBe(3200);
    expect(durationMs(32_000, format)).toBe(1000);
    expect(bytesForMs(100, { sampleRate: 8000, channels: 2, bitsPerSample: 16 })).toBe(3200);
  });

  it("rejects formats the library cannot carry", () => {
    expect(pcmFormat(4000)._unsafeUnwrapErr().kind).toBe("invalid-audio");
    expect(pcmFormat(16_000.5)._unsafeUnwrapErr().kind).toBe("invalid-audio");
    expect(pcmFormat(16_000, 0)._unsafeUnwrapErr().kind).toBe("invalid-audio");
    expect(validateAudioFormat({ sampleRate: 16_000, channels: 1, bitsPerSample: 8 as 16 }).isErr()).toBe(true);
    expect(pcmFormat(8000)._unsafeUnwrap()).toEqual({ sampleRate: 8000, channels: 1, bitsPerSample: 16 });
  });
});

describe("chunkPcm", () => {
  it("splits into whole-frame chunks covering every byte once", () => {
    const pcm = new Uint8Array(10_001 * 2).map((_, i) => i % 251);
    const chunks = [...chunkPcm(pcm, format, 100)];
    expect(chunks.slice(0, -1).every((chunk) => chunk.byteLength === 3200)).toBe(true);
    const joined = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
    let at = 0;
    for (const chunk of chunks) {
      joined.set(chunk, at);
      at += chunk.byteLength;
    }
    expect(joined).toEqual(pcm);
  });
});

describe("paceRealtime", () => {
  it("delivers chunks no faster than real time at the requested speed", async () => {
    const pcm = new Uint8Array(bytesForMs(600, format));
    const started = performance.now();
    let count = 0;
    for await (const chunk of paceRealtime(pcm, format, { chunkMs: 100, speed: 4 })) {
      count++;
      expect(chunk.byteLength).toBe(3200);
    }
    const elapsed = performance.now() - started;
    expect(count).toBe(6);
    // 600 ms of audio at 4x: the last chunk is due at 500 ms / 4 = 125 ms.
    expect(elapsed).toBeGreaterThanOrEqual(120);
  });

  it("stops when its signal aborts", async () => {
    const controller = new AbortController();
    const pcm = new Uint8Array(bytesForMs(10_000, format));
    let count = 0;
    for await (const _ of paceRealtime(pcm, format, { chunkMs: 100, signal: controller.signal })) {
      count++;
      if (count === 2) controller.abort();
    }
    expect(count).toBe(2);
  });
});
