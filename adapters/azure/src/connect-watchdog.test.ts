import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ConnectWatchdog } from "./connect-watchdog.js";

describe("ConnectWatchdog", () => {
  let expired: string[];
  let watchdog: ConnectWatchdog;

  beforeEach(() => {
    vi.useFakeTimers();
    expired = [];
    watchdog = new ConnectWatchdog(1_000, (waitingFor) => expired.push(waitingFor));
  });

  afterEach(() => {
    watchdog.stop();
    vi.useRealTimers();
  });

  it("expires when no connection opens in time", () => {
    watchdog.connecting();
    vi.advanceTimersByTime(999);
    expect(expired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(expired).toEqual(["connection"]);
  });

  it("lets a connected service stay silent until it has audio, then expects an answer", () => {
    watchdog.connecting();
    watchdog.connected();
    vi.advanceTimersByTime(5_000);
    expect(expired).toEqual([]);
    watchdog.audioSent();
    vi.advanceTimersByTime(1_000);
    expect(expired).toEqual(["answer"]);
  });

  it("expects an answer at once when audio was sent before the connection opened", () => {
    watchdog.connecting();
    watchdog.audioSent();
    vi.advanceTimersByTime(600);
    watchdog.connected();
    vi.advanceTimersByTime(999);
    expect(expired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(expired).toEqual(["answer"]);
  });

  it("stands down once the service answers, or when stopped", () => {
    watchdog.connecting();
    watchdog.audioSent();
    watchdog.connected();
    watchdog.answered();
    watchdog.audioSent();
    vi.advanceTimersByTime(10_000);
    watchdog.connecting();
    watchdog.stop();
    vi.advanceTimersByTime(10_000);
    expect(expired).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });
});
