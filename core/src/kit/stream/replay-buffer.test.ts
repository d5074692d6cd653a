import { describe, expect, it } from "vitest";
import { ReplayBuffer } from "./replay-buffer.js";

function bytes(from: number, count: number): Uint8Array {
  return Uint8Array.from({ length: count }, (_, index) => (from + index) % 256);
}

function held(buffer: ReplayBuffer): number[] {
  return buffer.chunks().flatMap((chunk) => [...chunk]);
}

describe("ReplayBuffer", () => {
  it("keeps what was appended, on the stream's byte time line", () => {
    const buffer = new ReplayBuffer(1_000, 2);
    buffer.append(bytes(0, 10));
    buffer.append(bytes(10, 6));
    expect(buffer.startByte).toBe(0);
    expect(held(buffer)).toEqual([...bytes(0, 16)]);
  });

  it("forgets audio before a point, in whole frames, across chunk boundaries", () => {
    const buffer = new ReplayBuffer(1_000, 2);
    buffer.append(bytes(0, 10));
    buffer.append(bytes(10, 10));
    buffer.discardBefore(13);
    expect(buffer.startByte).toBe(12);
    expect(held(buffer)).toEqual([...bytes(12, 8)]);
    buffer.discardBefore(4);
    expect(buffer.startByte).toBe(12);
  });

  it("drops the oldest audio beyond its bound and says so until the next discard", () => {
    const buffer = new ReplayBuffer(8, 2);
    buffer.append(bytes(0, 6));
    expect(buffer.overflowed).toBe(false);
    buffer.append(bytes(6, 6));
    expect(buffer.overflowed).toBe(true);
    expect(buffer.byteLength).toBe(8);
    expect(buffer.startByte).toBe(4);
    expect(held(buffer)).toEqual([...bytes(4, 8)]);
    buffer.discardBefore(6);
    expect(buffer.overflowed).toBe(false);
    expect(held(buffer)).toEqual([...bytes(6, 6)]);
  });

  it("moves its start past everything on clear", () => {
    const buffer = new ReplayBuffer(100, 2);
    buffer.append(bytes(0, 10));
    buffer.clear();
    expect(buffer.byteLength).toBe(0);
    expect(buffer.startByte).toBe(10);
    expect(buffer.chunks()).toEqual([]);
    buffer.append(bytes(10, 4));
    expect(buffer.startByte).toBe(10);
    expect(held(buffer)).toEqual([...bytes(10, 4)]);
  });

  it("counts the bytes it holds after dropping whole chunks", () => {
    const buffer = new ReplayBuffer(1_000, 2);
    buffer.append(bytes(0, 10));
    buffer.append(bytes(10, 10));
    buffer.discardBefore(13);
    expect(buffer.byteLength).toBe(8);
    buffer.discardBefore(100);
    expect(buffer.byteLength).toBe(0);
    expect(buffer.startByte).toBe(20);
  });

  it("keeps no empty chunk when a cut falls on a chunk boundary", () => {
    // Replaying an empty chunk would send an empty audio message, which some protocols read as the end of audio.
    const buffer = new ReplayBuffer(1_000, 2);
    buffer.append(bytes(0, 10));
    buffer.append(bytes(10, 10));
    buffer.discardBefore(10);
    expect(buffer.chunks().map((chunk) => chunk.byteLength)).toEqual([10]);
    expect(buffer.startByte).toBe(10);
  });

  it("rounds its bound down to whole frames", () => {
    const buffer = new ReplayBuffer(9, 2);
    buffer.append(bytes(0, 10));
    expect(buffer.byteLength).toBe(8);
    expect(buffer.startByte).toBe(2);
    expect(held(buffer)).toEqual([...bytes(2, 8)]);
  });

  it("does not call filling up exactly to the bound an overflow", () => {
    const buffer = new ReplayBuffer(8, 2);
    buffer.append(bytes(0, 4));
    buffer.append(bytes(4, 4));
    expect(buffer.overflowed).toBe(false);
    expect(buffer.byteLength).toBe(8);
    expect(buffer.startByte).toBe(0);
  });

  it("still reports an overflow after a discard that ends before the audio it holds, not after one that reaches it", () => {
    const buffer = new ReplayBuffer(8, 2);
    buffer.append(bytes(0, 6));
    buffer.append(bytes(6, 6));
    expect(buffer.startByte).toBe(4);
    // A final ending at byte 2: bytes 2..4 were dropped untranscribed, so audio is still lost.
    buffer.discardBefore(2);
    expect(buffer.overflowed).toBe(true);
    expect(buffer.startByte).toBe(4);
    // A final ending exactly at byte 4 covers everything that was dropped.
    buffer.discardBefore(4);
    expect(buffer.overflowed).toBe(false);
    expect(held(buffer)).toEqual([...bytes(4, 8)]);
  });

  it("keeps chunks that continue each other in one buffer as one view, and separate buffers apart", () => {
    const block = bytes(0, 30);
    const buffer = new ReplayBuffer(1_000, 2);
    buffer.append(block.subarray(0, 10));
    buffer.append(block.subarray(10, 20));
    buffer.append(bytes(20, 4)); // another buffer
    buffer.append(block.subarray(24, 30)); // same buffer, not adjacent to the chunk before
    expect(buffer.chunks().map((chunk) => chunk.byteLength)).toEqual([20, 4, 6]);
    expect(held(buffer)).toEqual([...bytes(0, 30)]);
    buffer.discardBefore(6);
    expect(buffer.chunks().map((chunk) => chunk.byteLength)).toEqual([14, 4, 6]);
    expect(held(buffer)).toEqual([...bytes(6, 24)]);
  });

  it("merges only views that continue each other in the same buffer, and hands back what it keeps", () => {
    const block = bytes(0, 20);
    const buffer = new ReplayBuffer(1_000, 2);
    const first = block.subarray(0, 10);
    expect(buffer.append(first)).toEqual([first]);
    // Same buffer, not adjacent (a gap of 2 bytes): kept apart.
    buffer.append(block.subarray(12, 20));
    // Another buffer whose offset happens to line up with the last view's end: kept apart.
    const elsewhere = new Uint8Array(new ArrayBuffer(30)).subarray(20, 24).fill(7);
    buffer.append(elsewhere);
    expect(buffer.chunks().map((chunk) => chunk.byteLength)).toEqual([10, 8, 4]);
    expect(held(buffer)).toEqual([...bytes(0, 10), ...bytes(12, 8), 7, 7, 7, 7]);
  });

  describe("copying (copy: true)", () => {
    it("counts what it holds after a discard, and calls filling up exactly to the bound no overflow", () => {
      const buffer = new ReplayBuffer(8, 2, { copy: true });
      buffer.append(bytes(0, 4));
      buffer.append(bytes(4, 4));
      expect(buffer.overflowed).toBe(false);
      expect(buffer.byteLength).toBe(8);
      buffer.discardBefore(6);
      expect(buffer.byteLength).toBe(2);
      expect(buffer.startByte).toBe(6);
      expect(held(buffer)).toEqual([...bytes(6, 2)]);
    });

    it("holds a copy: the caller may reuse its buffer, and what was held is replayed unchanged", () => {
      const buffer = new ReplayBuffer(1_000, 2, { copy: true });
      const reused = bytes(0, 10);
      const placed = buffer.append(reused);
      reused.fill(0xff);
      expect(placed.flatMap((view) => [...view])).toEqual([...bytes(0, 10)]);
      buffer.append(bytes(10, 10));
      expect(held(buffer)).toEqual([...bytes(0, 20)]);
      buffer.discardBefore(13);
      expect(buffer.startByte).toBe(12);
      expect(held(buffer)).toEqual([...bytes(12, 8)]);
    });

    it("drops the oldest audio beyond its bound, as the non-copying buffer does", () => {
      const copying = new ReplayBuffer(8, 2, { copy: true });
      const keeping = new ReplayBuffer(8, 2);
      for (const buffer of [copying, keeping]) {
        buffer.append(bytes(0, 6));
        buffer.append(bytes(6, 6));
        buffer.append(bytes(12, 10)); // larger than the bound on its own
      }
      expect(copying.overflowed).toBe(true);
      expect(copying.startByte).toBe(keeping.startByte);
      expect(copying.byteLength).toBe(8);
      expect(held(copying)).toEqual(held(keeping));
      copying.discardBefore(16);
      expect(copying.overflowed).toBe(false);
      expect(held(copying)).toEqual([...bytes(16, 6)]);
    });

    it("moves its start past everything on clear and starts again empty", () => {
      const buffer = new ReplayBuffer(100, 2, { copy: true });
      buffer.append(bytes(0, 10));
      buffer.clear();
      expect(buffer.chunks()).toEqual([]);
      expect(buffer.startByte).toBe(10);
      buffer.append(bytes(10, 4));
      expect(held(buffer)).toEqual([...bytes(10, 4)]);
    });
  });
});
