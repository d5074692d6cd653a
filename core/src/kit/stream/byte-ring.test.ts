import { describe, expect, it } from "vitest";
import { ByteRing } from "./byte-ring.js";

function bytes(from: number, count: number): Uint8Array {
  return Uint8Array.from({ length: count }, (_, index) => (from + index) % 256);
}

function held(ring: ByteRing): number[] {
  return ring.views().flatMap((view) => [...view]);
}

describe("ByteRing", () => {
  it("holds what was written, in order, across the ring's end, and says where each write went", () => {
    const ring = new ByteRing(8, 64);
    expect(ring.write(bytes(0, 6)).map((view) => [...view])).toEqual([[...bytes(0, 6)]]);
    ring.dropFront(4);
    // 2 held at 4..5; 5 more wrap: 6..7, then 0..2.
    const placed = ring.write(bytes(6, 5));
    expect(placed.map((view) => view.byteLength)).toEqual([2, 3]);
    expect(placed.flatMap((view) => [...view])).toEqual([...bytes(6, 5)]);
    expect(ring.capacity).toBe(8);
    expect(ring.views()).toHaveLength(2);
    expect(held(ring)).toEqual([...bytes(4, 7)]);
  });

  it("reuses dropped bytes instead of growing, and grows (keeping its order) only when full", () => {
    const ring = new ByteRing(8, 64);
    for (let round = 0; round < 20; round++) {
      ring.write(bytes(round * 6, 6));
      ring.dropFront(6);
    }
    expect(ring.capacity).toBe(8);
    ring.write(bytes(0, 5));
    ring.dropFront(2);
    ring.write(bytes(5, 9)); // 12 held: doubles to 16, unwrapping what it held
    expect(ring.capacity).toBe(16);
    expect(held(ring)).toEqual([...bytes(2, 12)]);
  });

  it("keeps its size after a release (no shrink and regrow per cycle), and goes back to its first size on clear", () => {
    const ring = new ByteRing(8, 64);
    ring.write(bytes(0, 40));
    expect(ring.capacity).toBe(40);
    ring.dropFront(39);
    expect(ring.capacity).toBe(40);
    expect(held(ring)).toEqual([39]);
    ring.clear();
    expect(ring.capacity).toBe(8);
    expect(ring.length).toBe(0);
    expect(ring.views()).toEqual([]);
  });

  it("never grows past its bound and refuses a write beyond it", () => {
    const ring = new ByteRing(8, 20);
    ring.write(bytes(0, 12));
    ring.write(bytes(12, 8));
    expect(ring.capacity).toBe(20);
    expect(() => ring.write(bytes(20, 1))).toThrow(RangeError);
    expect(held(ring)).toEqual([...bytes(0, 20)]);
  });

  it("leaves views already handed out intact when it grows", () => {
    const ring = new ByteRing(4, 64);
    const [first] = ring.write(bytes(0, 4));
    ring.write(bytes(4, 4));
    expect([...(first as Uint8Array)]).toEqual([...bytes(0, 4)]);
  });
});
