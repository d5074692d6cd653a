import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { splitAtPauses, WAV_HEADER_BYTES } from "./split.js";

const FORMAT = { sampleRate: 16_000, channels: 1, bitsPerSample: 16 } as const;
const BYTES_PER_MS = 32;

/** Speech-like noise with silent pauses where `silent(ms)` says. */
function audio(durationMs: number, silent: (ms: number) => boolean): Uint8Array {
  const out = new Uint8Array(durationMs * BYTES_PER_MS);
  const view = new DataView(out.buffer);
  let seed = 7;
  for (let i = 0; i < out.byteLength / 2; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    view.setInt16(i * 2, silent(i / 16) ? 0 : (seed % 16000) - 8000, true);
  }
  return out;
}

describe("splitAtPauses", () => {
  it("keeps audio that fits in one piece", () => {
    expect(splitAtPauses(new Uint8Array(1000), FORMAT, 2000, 60_000)).toEqual([{ start: 0, end: 1000 }]);
  });

  it("cuts in the middle of the pause near the limit, never in speech", () => {
    // 10 s of speech with a 400 ms pause at 7.0-7.4 s; pieces of at most 8 s.
    const pcm = audio(10_000, (ms) => ms >= 7000 && ms < 7400);
    const pieces = splitAtPauses(pcm, FORMAT, 8000 * BYTES_PER_MS + WAV_HEADER_BYTES, 60_000);
    expect(pieces).toHaveLength(2);
    const cutMs = (pieces[0]?.end ?? 0) / BYTES_PER_MS;
    expect(cutMs).toBeGreaterThan(7100);
    expect(cutMs).toBeLessThan(7300);
  });

  it("honours the duration limit as well as the size limit", () => {
    const pieces = splitAtPauses(audio(30_000, () => false), FORMAT, 25_000_000, 10_000);
    expect(pieces.length).toBeGreaterThanOrEqual(3);
    for (const piece of pieces) expect(piece.end - piece.start).toBeLessThanOrEqual(10_000 * BYTES_PER_MS);
  });

  it("covers every byte exactly once, in order, in whole frames within the limit", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20_000 }), fc.integer({ min: 2_000, max: 100_000 }), fc.integer({ min: 0, max: 9 }), (durationMs, maxBytes, pauseEvery) => {
        const pcm = audio(durationMs, (ms) => pauseEvery > 0 && Math.floor(ms / 300) % pauseEvery === 0);
        const pieces = splitAtPauses(pcm, FORMAT, maxBytes, 1_000_000);
        expect(pieces[0]?.start).toBe(0);
        expect(pieces.at(-1)?.end).toBe(pcm.byteLength);
        pieces.forEach((piece, index) => {
          expect(piece.end).toBeGreaterThan(piece.start);
          expect(piece.start % 2).toBe(0);
          expect(piece.end - piece.start + WAV_HEADER_BYTES).toBeLessThanOrEqual(Math.max(maxBytes, 2 + WAV_HEADER_BYTES));
          if (index > 0) expect(piece.start).toBe(pieces[index - 1]?.end);
        });
      }),
      { numRuns: 60 },
    );
  });
});
