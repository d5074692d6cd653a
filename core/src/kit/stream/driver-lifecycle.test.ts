import { describe, expect, it, vi } from "vitest";
import { sttError } from "../../errors.js";
import { DriverLifecycle } from "./driver-lifecycle.js";

const failure = sttError({ kind: "provider", provider: "test", message: "broken" });

describe("DriverLifecycle", () => {
  it("flushes once per finish() and resolves it when the service is done", async () => {
    const lifecycle = new DriverLifecycle();
    const flush = vi.fn();
    const finished = lifecycle.finish(flush);
    expect(flush).toHaveBeenCalledTimes(1);
    lifecycle.succeed();
    expect((await finished).isOk()).toBe(true);
  });

  it("settles waiting and later finish() calls with the failure, without flushing again", async () => {
    const lifecycle = new DriverLifecycle();
    const waiting = lifecycle.finish(() => undefined);
    expect(lifecycle.fail(failure)).toBe(true);
    expect((await waiting)._unsafeUnwrapErr()).toBe(failure);
    const flush = vi.fn();
    expect((await lifecycle.finish(flush))._unsafeUnwrapErr()).toBe(failure);
    expect(flush).not.toHaveBeenCalled();
  });

  it("disposes once: releases, then settles what waits; a failure after it is not reported", async () => {
    const lifecycle = new DriverLifecycle();
    const waiting = lifecycle.finish(() => undefined);
    const release = vi.fn(async () => undefined);
    const first = lifecycle.dispose(release);
    expect(lifecycle.dispose(release)).toBe(first);
    await first;
    expect(release).toHaveBeenCalledTimes(1);
    expect(lifecycle.over).toBe(true);
    expect((await waiting).isOk()).toBe(true);
    expect(lifecycle.fail(failure)).toBe(false);
    expect((await lifecycle.finish(() => undefined)).isOk()).toBe(true);
  });
});
