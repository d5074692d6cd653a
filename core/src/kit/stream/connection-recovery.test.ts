import { describe, expect, it, vi } from "vitest";
import { sttError } from "../../errors.js";
import { ConnectionRecovery } from "./connection-recovery.js";

const FORMAT = { sampleRate: 16_000, channels: 1, bitsPerSample: 16 } as const;
const lost = sttError({ kind: "connection", provider: "test", message: "lost", detail: "close 1006" });

class FakeConnection {
  closed = 0;
  async close(): Promise<void> {
    this.closed++;
  }
}

function recovery(maxAttempts = 2) {
  return new ConnectionRecovery<FakeConnection>({ provider: "test", service: "Test", format: FORMAT, reconnect: { maxAttempts, maxReplaySeconds: 10, backoffMs: 10 } });
}

describe("ConnectionRecovery", () => {
  it("places a new connection where the replayed audio starts, and delivers each final once", () => {
    const r = recovery();
    r.replay.append(new Uint8Array(32_000)); // 1 s
    r.adopt(new FakeConnection());
    expect(r.replayChunks()).toHaveLength(1);
    expect(r.baseMs).toBe(0);
    expect(r.acceptFinal(400)).toBe(true);
    expect(r.acceptFinal(400)).toBe(false);
    expect(r.lastFinalEndMs).toBe(400);
    r.adopt(new FakeConnection());
    expect(r.baseMs).toBe(0);
    const replayed = r.replayChunks();
    expect(r.baseMs).toBe(400);
    expect(replayed.reduce((sum, chunk) => sum + chunk.byteLength, 0)).toBe(32_000 - 12_800);
  });

  it("retries connection errors with backoff while attempts remain, a final resetting the count", async () => {
    vi.useFakeTimers();
    try {
      const r = recovery(2);
      const first = new FakeConnection();
      r.adopt(first);
      const reconnect = vi.fn();
      const notice = r.recover(lost, reconnect);
      expect(notice).toMatchObject({ kind: "connection", provider: "test", detail: "close 1006" });
      expect(notice?.message).toContain("Lost the connection to Test; reconnecting (attempt 1 of 2)");
      expect(first.closed).toBe(1);
      expect(r.current).toBeUndefined();
      await vi.advanceTimersByTimeAsync(10);
      expect(reconnect).toHaveBeenCalledTimes(1);
      expect(r.recover(lost, reconnect)?.message).toContain("attempt 2 of 2");
      await vi.advanceTimersByTimeAsync(20);
      expect(reconnect).toHaveBeenCalledTimes(2);
      expect(r.recover(lost, reconnect)).toBeUndefined();
      r.acceptFinal(100);
      expect(r.recover(lost, reconnect)?.message).toContain("attempt 1 of 2");
      expect(r.recover(sttError({ kind: "authentication", provider: "test", message: "no" }), reconnect)).toBeUndefined();
      await r.stop();
      await vi.advanceTimersByTimeAsync(1_000);
      expect(reconnect).toHaveBeenCalledTimes(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it("never recovers with maxAttempts 0, and stop() closes the connection in use and empties the replay", async () => {
    const r = recovery(0);
    expect(r.enabled).toBe(false);
    const connection = new FakeConnection();
    r.adopt(connection);
    r.replay.append(new Uint8Array(320));
    expect(r.recover(lost, () => undefined)).toBeUndefined();
    await r.stop();
    expect(connection.closed).toBe(1);
    expect(r.isCurrent(connection)).toBe(false);
    expect(r.replay.byteLength).toBe(0);
  });
});
