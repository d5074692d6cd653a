import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { KeepAlive } from "./keep-alive.js";

describe("KeepAlive", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance"] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("sends nothing while audio flows, and one per quiet interval once it stops", () => {
    const sent: number[] = [];
    const keepAlive = new KeepAlive(1_000, () => sent.push(performance.now()));
    keepAlive.start();
    // Audio every 100 ms for 5 s: never a quiet second.
    for (let tick = 0; tick < 50; tick++) {
      vi.advanceTimersByTime(100);
      keepAlive.audioSent();
    }
    expect(sent).toEqual([]);
    const lastAudio = performance.now();
    vi.advanceTimersByTime(3_500);
    // One interval after the last audio, then one per interval.
    expect(sent.map((at) => Math.round(at - lastAudio))).toEqual([1_000, 2_000, 3_000]);
    keepAlive.stop();
    vi.advanceTimersByTime(5_000);
    expect(sent).toHaveLength(3);
  });

  it("counts the interval from the last audio, not from when the timer was set", () => {
    const sent: number[] = [];
    const keepAlive = new KeepAlive(1_000, () => sent.push(performance.now()));
    keepAlive.start();
    vi.advanceTimersByTime(900);
    keepAlive.audioSent(); // at 900: the next KeepAlive is due at 1 900, not 1 000
    vi.advanceTimersByTime(950);
    expect(sent).toEqual([]);
    vi.advanceTimersByTime(100);
    expect(sent.map(Math.round)).toEqual([1_900]);
    keepAlive.stop();
  });
});
