import { describe, expect, it } from "vitest";
import { ChunkCopier } from "./chunk-copier.js";

describe("ChunkCopier", () => {
  it("copies: later changes to the caller's buffer and later copies leave a copy as it was", () => {
    const copier = new ChunkCopier(16);
    const source = Uint8Array.from([1, 2, 3, 4, 5, 6]);
    const first = copier.copy(source);
    source.fill(9);
    const second = copier.copy(source);
    expect([...first]).toEqual([1, 2, 3, 4, 5, 6]);
    expect([...second]).toEqual([9, 9, 9, 9, 9, 9]);
    // Cut from one shared block, one after the other.
    expect(second.buffer).toBe(first.buffer);
    expect(second.byteOffset).toBe(first.byteOffset + first.byteLength);
  });

  it("starts a new block when one is full, and gives a chunk larger than a block its own", () => {
    const copier = new ChunkCopier(8);
    const a = copier.copy(new Uint8Array(6).fill(1));
    const b = copier.copy(new Uint8Array(6).fill(2));
    const large = copier.copy(new Uint8Array(20).fill(3));
    expect(b.buffer).not.toBe(a.buffer);
    expect(large.byteLength).toBe(20);
    expect(large.buffer.byteLength).toBe(20);
    expect([...a]).toEqual([1, 1, 1, 1, 1, 1]);
    expect(copier.copy(new Uint8Array(0)).byteLength).toBe(0);
  });
});
