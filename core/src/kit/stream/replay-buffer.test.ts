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
});
