import { getEventListeners } from "node:events";
import { err, ok, type Result } from "neverthrow";
import { describe, expect, it } from "vitest";
import { DEFAULT_AUDIO_FORMAT } from "../../audio/format.js";
import { sttError, type SttError } from "../../errors.js";
import type { SpeechEvent, TranscriptSegment } from "../../events.js";
import { Language } from "../../language.js";
import type { RecognitionDriver, RecognitionSink } from "./driver.js";
import { callerHooks, createRecognitionStream, withoutCallerHooks } from "./recognition-stream.js";

/**
 * A driver scripted by the test: it records what the stream does to it, and the test decides
 * what the "provider" reports. This exercises the core plumbing, which is what is under test.
 */
class ScriptedDriver implements RecognitionDriver {
  sink!: RecognitionSink;
  written: Uint8Array[] = [];
  saturateAfterBytes = Infinity;
  startCalls = 0;
  finishCalls = 0;
  disposeCalls = 0;
  finishWith: (() => Promise<Result<void, SttError>>) | undefined;
  #bytes = 0;

  start(sink: RecognitionSink): void {
    this.startCalls++;
    this.sink = sink;
  }

  write(pcm: Uint8Array): boolean {
    this.written.push(pcm);
    this.#bytes += pcm.byteLength;
    return this.#bytes < this.saturateAfterBytes;
  }

  finish(): Promise<Result<void, SttError>> {
    this.finishCalls++;
    return this.finishWith ? this.finishWith() : Promise.resolve(ok(undefined));
  }

  /** What dispose() waits for; resolved at once unless a test holds it. */
  disposeWith: Promise<void> = Promise.resolve();

  dispose(): Promise<void> {
    this.disposeCalls++;
    return this.disposeWith;
  }

  get bytes(): number {
    return this.#bytes;
  }
}

function segment(text: string, startMs: number, endMs: number): TranscriptSegment {
  return { text, startMs, endMs };
}

/** Whether `promise` has settled by the next turn of the event loop: already resolved ones have, waiting ones have not. */
async function settlesAtOnce(promise: Promise<unknown>): Promise<boolean> {
  const nextTurn = new Promise<false>((resolve) => setImmediate(() => resolve(false)));
  return Promise.race([promise.then(() => true), nextTurn]);
}

async function collect(stream: AsyncIterable<SpeechEvent>): Promise<SpeechEvent[]> {
  const events: SpeechEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

function open(
  driver: ScriptedDriver,
  extra: { finishIdleTimeoutMs?: number; signal?: AbortSignal; onEvent?: (event: SpeechEvent) => void; language?: Language } = {},
) {
  return createRecognitionStream({ provider: "test", format: DEFAULT_AUDIO_FORMAT, driver, ...extra });
}

describe("createRecognitionStream", () => {
  it("delivers events in order, assembles the transcript and reports usage", async () => {
    const driver = new ScriptedDriver();
    const stream = open(driver);
    expect(stream.write(new Uint8Array(32_000))._unsafeUnwrap()).toBe(true);
    driver.sink.emit({ type: "speech-started", offsetMs: 100 });
    driver.sink.emit({ type: "interim", text: "hello", startMs: 100, endMs: 400 });
    driver.sink.emit({ type: "final", segment: segment("Hello world.", 100, 900) });
    driver.sink.emit({ type: "speech-ended", offsetMs: 950 });
    driver.sink.emit({ type: "final", segment: segment("Again.", 1000, 1500) });
    const events = collect(stream);
    const transcript = (await stream.end())._unsafeUnwrap();
    expect(transcript.text).toBe("Hello world. Again.");
    expect(transcript.audioSeconds).toBe(1);
    // Each final with text is followed by its latency; the stream's summary comes just before usage.
    expect((await events).map((e) => e.type)).toEqual([
      "speech-started",
      "interim",
      "final",
      "metrics",
      "speech-ended",
      "final",
      "metrics",
      "metrics",
      "usage",
    ]);
    expect(transcript.metrics).toMatchObject({ reconnects: 0, replayedAudioMs: 0, audioSentMs: 1000, audioProcessedMs: 1000, endOfSpeechToFinalMs: { count: 2 } });
    expect(driver.finishCalls).toBe(1);
    expect(driver.disposeCalls).toBe(1);
  });

  it("calls onEvent synchronously with every event, interims uncoalesced, before iteration sees it", async () => {
    const driver = new ScriptedDriver();
    const observed: SpeechEvent[] = [];
    const stream = open(driver, { onEvent: (event) => observed.push(event) });
    const iterated: SpeechEvent[] = [];
    const reading = (async () => {
      for await (const event of stream) iterated.push(event);
    })();
    driver.sink.emit({ type: "interim", text: "a", startMs: 0, endMs: 100 });
    driver.sink.emit({ type: "interim", text: "ab", startMs: 0, endMs: 200 });
    expect(observed.map((event) => event.type === "interim" && event.text)).toEqual(["a", "ab"]);
    driver.sink.emit({ type: "final", segment: segment("ab", 0, 200) });
    expect(observed.at(-1)?.type).toBe("final");
    expect(iterated.some((event) => event.type === "final")).toBe(false);
    await stream.end();
    await reading;
    expect(observed.map((event) => event.type)).toEqual(["interim", "interim", "final", "metrics", "usage"]);
    expect(iterated.filter((event) => event.type !== "interim")).toEqual(observed.filter((event) => event.type !== "interim"));
  });

  it("a throwing onEvent neither breaks the stream nor hides events from iteration", async () => {
    const driver = new ScriptedDriver();
    const stream = open(driver, {
      onEvent: () => {
        throw new Error("observer bug");
      },
    });
    const iterated: SpeechEvent[] = [];
    const reading = (async () => {
      for await (const event of stream) iterated.push(event);
    })();
    driver.sink.emit({ type: "final", segment: segment("kept", 0, 100) });
    driver.sink.fail(sttError({ kind: "connection", provider: "test", message: "lost" }));
    await reading;
    expect(iterated.map((event) => event.type)).toEqual(["final", "metrics", "usage", "error"]);
    expect((await stream.result())._unsafeUnwrapErr().kind).toBe("connection");
  });

  it("coalesces interims a slow consumer has not read, but keeps every final", async () => {
    const driver = new ScriptedDriver();
    const stream = open(driver);
    for (let i = 0; i < 1000; i++) driver.sink.emit({ type: "interim", text: `w${i}`, startMs: 0, endMs: i });
    driver.sink.emit({ type: "final", segment: segment("one", 0, 10) });
    for (let i = 0; i < 1000; i++) driver.sink.emit({ type: "interim", text: `x${i}`, startMs: 20, endMs: i });
    driver.sink.emit({ type: "final", segment: segment("two", 20, 30) });
    await stream.end();
    const events = await collect(stream);
    expect(events.map((e) => (e.type === "interim" ? e.text : e.type))).toEqual(["w999", "final", "x999", "final", "metrics", "usage"]);
  });

  it("joins split sample frames so no byte is lost or misaligned", async () => {
    const driver = new ScriptedDriver();
    const stream = open(driver);
    stream.write(new Uint8Array([1, 2, 3]));
    stream.write(new Uint8Array([4]));
    stream.write(new Uint8Array([5, 6, 7]));
    await stream.end();
    expect(driver.written.map((chunk) => Array.from(chunk))).toEqual([[1, 2], [3, 4], [5, 6]]);
  });

  it("copies caller buffers, so reusing them does not change audio already written", async () => {
    const driver = new ScriptedDriver();
    const stream = open(driver);
    const buffer = new Uint8Array([1, 1, 1, 1]);
    stream.write(buffer);
    buffer.fill(9);
    expect(Array.from(driver.written[0] ?? [])).toEqual([1, 1, 1, 1]);
    await stream.close();
  });

  it("hands the caller's bytes over uncopied to a driver that copies what it keeps", async () => {
    const driver = Object.assign(new ScriptedDriver(), { copiesAudio: true });
    const stream = open(driver);
    const buffer = new Uint8Array([1, 2, 3, 4, 5]);
    stream.write(buffer);
    expect(driver.written[0]?.buffer).toBe(buffer.buffer);
    expect(Array.from(driver.written[0] ?? [])).toEqual([1, 2, 3, 4]);
    buffer.fill(9);
    stream.write(new Uint8Array([6]));
    // The split frame was kept by the stream itself, so it survives the caller reusing the buffer.
    expect(Array.from(driver.written[1] ?? [])).toEqual([5, 6]);
    await stream.close();
  });

  it("signals backpressure and resumes on drain", async () => {
    const driver = new ScriptedDriver();
    driver.saturateAfterBytes = 6400;
    const stream = open(driver);
    expect(stream.write(new Uint8Array(3200))._unsafeUnwrap()).toBe(true);
    expect(stream.write(new Uint8Array(3200))._unsafeUnwrap()).toBe(false);
    let drained = false;
    const waiting = stream.drained().then(() => {
      drained = true;
    });
    await Promise.resolve();
    expect(drained).toBe(false);
    driver.sink.drain();
    await waiting;
    expect(drained).toBe(true);
    await stream.close();
  });

  it("rejects writes after end and after close with stream-state errors, and non-bytes as invalid arguments", async () => {
    const driver = new ScriptedDriver();
    const stream = open(driver);
    expect(stream.write("audio" as unknown as Uint8Array)._unsafeUnwrapErr().kind).toBe("invalid-argument");
    const ending = stream.end();
    const afterEnd = stream.write(new Uint8Array(2))._unsafeUnwrapErr();
    expect(afterEnd).toMatchObject({ kind: "stream-state", state: "ending" });
    await ending;
    expect(stream.write(new Uint8Array(2))._unsafeUnwrapErr()).toMatchObject({ kind: "stream-state", state: "ended" });

    const closed = open(new ScriptedDriver());
    await closed.close();
    expect(closed.write(new Uint8Array(2))._unsafeUnwrapErr()).toMatchObject({ kind: "stream-state", state: "closed" });
  });

  it("makes end() and close() idempotent; close() after end() keeps the transcript", async () => {
    const driver = new ScriptedDriver();
    const stream = open(driver);
    const first = stream.end();
    const second = stream.end();
    expect(second).toBe(first);
    await Promise.all([first, second]);
    await Promise.all([stream.close(), stream.close()]);
    expect(driver.finishCalls).toBe(1);
    expect(driver.disposeCalls).toBe(1);
    expect((await stream.result()).isOk()).toBe(true);
  });

  it("close() aborts a pending end(): the result is an aborted error and the driver is disposed", async () => {
    const driver = new ScriptedDriver();
    driver.finishWith = () => new Promise(() => undefined); // the provider never answers
    const stream = open(driver);
    const ending = stream.end();
    await stream.close();
    expect((await ending)._unsafeUnwrapErr().kind).toBe("aborted");
    expect(driver.disposeCalls).toBe(1);
  });

  it("fails with a timeout when the provider goes silent after end()", async () => {
    const driver = new ScriptedDriver();
    driver.finishWith = () => new Promise(() => undefined);
    const stream = open(driver, { finishIdleTimeoutMs: 50 });
    const events = collect(stream);
    const error = (await stream.end())._unsafeUnwrapErr();
    expect(error).toMatchObject({ kind: "timeout", timeoutMs: 50, retryable: true });
    expect((await events).at(-1)).toMatchObject({ type: "error", fatal: true });
    expect(driver.disposeCalls).toBe(1);
  });

  it("keeps waiting while the provider is still delivering after end()", async () => {
    const driver = new ScriptedDriver();
    driver.finishWith = async () => {
      for (let i = 0; i < 5; i++) {
        await new Promise((resolve) => setTimeout(resolve, 30));
        driver.sink.emit({ type: "final", segment: segment(`part ${i}`, i * 100, i * 100 + 50) });
      }
      return ok(undefined);
    };
    const stream = open(driver, { finishIdleTimeoutMs: 80 });
    const transcript = (await stream.end())._unsafeUnwrap();
    expect(transcript.segments).toHaveLength(5);
  });

  it("fails the stream when the provider reports a fatal error, and writes then return that error", async () => {
    const driver = new ScriptedDriver();
    const stream = open(driver);
    const events = collect(stream);
    driver.sink.emit({ type: "final", segment: segment("kept", 0, 10) });
    driver.sink.fail(sttError({ kind: "rate-limit", provider: "test", message: "slow down" }));
    expect(stream.write(new Uint8Array(2))._unsafeUnwrapErr().kind).toBe("rate-limit");
    expect((await stream.end())._unsafeUnwrapErr().kind).toBe("rate-limit");
    expect((await events).map((e) => e.type)).toEqual(["final", "metrics", "usage", "error"]);
    expect(driver.disposeCalls).toBe(1);
  });

  it("turns an Err from finish() into a failed stream", async () => {
    const driver = new ScriptedDriver();
    driver.finishWith = () => Promise.resolve(err(sttError({ kind: "connection", message: "gone" })));
    const stream = open(driver);
    expect((await stream.end())._unsafeUnwrapErr().kind).toBe("connection");
  });

  it("contains a driver that throws, as a provider error", async () => {
    const driver = new ScriptedDriver();
    driver.write = () => {
      throw new Error("boom");
    };
    const stream = open(driver);
    expect(stream.write(new Uint8Array(2)).isErr()).toBe(true);
    const error = (await stream.result())._unsafeUnwrapErr();
    expect(error).toMatchObject({ kind: "provider", detail: "boom" });
  });

  it("closes when its AbortSignal aborts", async () => {
    const controller = new AbortController();
    const driver = new ScriptedDriver();
    const stream = open(driver, { signal: controller.signal });
    controller.abort();
    expect((await stream.result())._unsafeUnwrapErr().kind).toBe("aborted");
    expect(stream.state).toBe("closed");
  });

  it("ignores events from the driver once the stream is over", async () => {
    const driver = new ScriptedDriver();
    const stream = open(driver);
    await stream.end();
    driver.sink.emit({ type: "final", segment: segment("late", 0, 1) });
    driver.sink.fail(sttError({ kind: "connection", message: "late" }));
    expect((await stream.result())._unsafeUnwrap().segments).toHaveLength(0);
  });

  it("settles as closed without starting the driver when its AbortSignal has already aborted", async () => {
    const controller = new AbortController();
    controller.abort();
    const driver = new ScriptedDriver();
    const stream = open(driver, { signal: controller.signal });
    expect(stream.state).toBe("closed");
    expect(driver.startCalls).toBe(0);
    expect((await stream.result())._unsafeUnwrapErr().kind).toBe("aborted");
    expect(stream.write(new Uint8Array(2))._unsafeUnwrapErr()).toMatchObject({ kind: "stream-state", state: "closed" });
    expect((await collect(stream)).map((event) => event.type)).toEqual(["metrics", "usage"]);
  });

  it("fails with a provider error naming the step when the driver's start() throws", async () => {
    const driver = new ScriptedDriver();
    driver.start = () => {
      throw new Error("no socket");
    };
    const stream = open(driver);
    expect(stream.state).toBe("failed");
    const error = (await stream.result())._unsafeUnwrapErr();
    expect(error).toMatchObject({ kind: "provider", provider: "test", detail: "no socket" });
    expect(error.message).toContain("during start");
    expect((await collect(stream)).map((event) => event.type)).toEqual(["metrics", "usage", "error"]);
    expect(driver.disposeCalls).toBe(1);
  });

  it("names the step in the error of a driver whose write() throws", async () => {
    const driver = new ScriptedDriver();
    driver.write = () => {
      throw new Error("boom");
    };
    const stream = open(driver);
    const error = stream.write(new Uint8Array(2))._unsafeUnwrapErr();
    expect(error).toMatchObject({ kind: "provider", provider: "test" });
    expect(error.message).toContain("during write");
  });

  it("contains a driver whose finish() throws or rejects, as a provider error naming the step", async () => {
    for (const finishWith of [
      () => Promise.reject(new Error("kaput")),
      () => {
        throw new Error("kaput");
      },
    ]) {
      const driver = new ScriptedDriver();
      driver.finishWith = finishWith;
      const stream = open(driver);
      const error = (await stream.end())._unsafeUnwrapErr();
      expect(error).toMatchObject({ kind: "provider", provider: "test", detail: "kaput" });
      expect(error.message).toContain("during finish");
      expect(stream.state).toBe("failed");
      expect(driver.disposeCalls).toBe(1);
    }
  });

  it("explains its errors: a non-byte chunk names the argument, a refused write says why", async () => {
    const stream = open(new ScriptedDriver());
    const invalid = stream.write([1, 2] as unknown as Uint8Array)._unsafeUnwrapErr();
    expect(invalid).toMatchObject({ kind: "invalid-argument", argument: "chunk", provider: "test" });
    expect(invalid.message).toContain("Uint8Array");
    const ending = stream.end();
    expect(stream.write(new Uint8Array(2))._unsafeUnwrapErr().message).toMatch(/the stream is ending \(end\(\) was called\)\.$/);
    await ending;
    expect(stream.write(new Uint8Array(2))._unsafeUnwrapErr().message).toMatch(/the stream is ended\.$/);

    const closed = open(new ScriptedDriver());
    await closed.close();
    expect(closed.write(new Uint8Array(2))._unsafeUnwrapErr().message).toMatch(/the stream is closed\.$/);
    const aborted = (await closed.result())._unsafeUnwrapErr();
    expect(aborted).toMatchObject({ kind: "aborted", provider: "test" });
    expect(aborted.message).toContain("closed");
  });

  it("says how long the provider stayed silent when it times out", async () => {
    const driver = new ScriptedDriver();
    driver.finishWith = () => new Promise(() => undefined);
    const stream = open(driver, { finishIdleTimeoutMs: 20 });
    const error = (await stream.end())._unsafeUnwrapErr();
    expect(error.message).toContain("20 ms");
  });

  it("never hands the driver an empty chunk (some protocols read one as the end of audio)", async () => {
    const driver = new ScriptedDriver();
    const stream = open(driver);
    expect(stream.write(new Uint8Array(0))._unsafeUnwrap()).toBe(true);
    expect(stream.write(new Uint8Array([1]))._unsafeUnwrap()).toBe(true);
    expect(driver.written).toEqual([]);
    stream.write(new Uint8Array([2]));
    expect(driver.written.map((chunk) => Array.from(chunk))).toEqual([[1, 2]]);
    // Audio is counted as it reaches the driver: a held half frame is not audio yet.
    expect((await stream.end())._unsafeUnwrap().audioSeconds).toBe(2 / 32_000);
  });

  it("hands every whole-frame chunk over uncopied to a driver that copies what it keeps", async () => {
    const driver = Object.assign(new ScriptedDriver(), { copiesAudio: true });
    const stream = open(driver);
    const first = new Uint8Array([1, 2, 3, 4]);
    const second = new Uint8Array([5, 6]);
    stream.write(first);
    stream.write(second);
    expect(driver.written[0]?.buffer).toBe(first.buffer);
    expect(driver.written[1]?.buffer).toBe(second.buffer);
    await stream.close();
  });

  it("resolves drained() at once when the driver is not saturated", async () => {
    const stream = open(new ScriptedDriver());
    stream.write(new Uint8Array(2));
    expect(await settlesAtOnce(stream.drained())).toBe(true);
    await stream.close();
  });

  it("releases writers waiting on drained() when the stream is closed", async () => {
    const driver = new ScriptedDriver();
    driver.saturateAfterBytes = 2;
    const stream = open(driver);
    expect(stream.write(new Uint8Array(2))._unsafeUnwrap()).toBe(false);
    const waiting = stream.drained();
    expect(await settlesAtOnce(waiting)).toBe(false);
    await stream.close();
    expect(await settlesAtOnce(waiting)).toBe(true);
    expect(await settlesAtOnce(stream.drained())).toBe(true);
  });

  it("answers end() on a stream that is already over with its outcome, without finishing the driver", async () => {
    const closedDriver = new ScriptedDriver();
    const closed = open(closedDriver);
    await closed.close();
    expect((await closed.end())._unsafeUnwrapErr().kind).toBe("aborted");
    expect(closed.state).toBe("closed");
    expect(closedDriver.finishCalls).toBe(0);

    const failedDriver = new ScriptedDriver();
    const failed = open(failedDriver);
    failedDriver.sink.fail(sttError({ kind: "connection", provider: "test", message: "lost" }));
    expect((await failed.end())._unsafeUnwrapErr().kind).toBe("connection");
    expect(failed.state).toBe("failed");
    expect(failedDriver.finishCalls).toBe(0);
  });

  it("keeps the state it settled in, and tells onEvent nothing more, whatever happens afterwards", async () => {
    const observedEnded: string[] = [];
    const endedDriver = new ScriptedDriver();
    const ended = open(endedDriver, { onEvent: (event) => observedEnded.push(event.type) });
    await ended.end();
    endedDriver.sink.emit({ type: "final", segment: segment("late", 0, 1) });
    endedDriver.sink.fail(sttError({ kind: "connection", provider: "test", message: "late" }));
    await ended.close();
    expect(ended.state).toBe("ended");
    expect(observedEnded).toEqual(["metrics", "usage"]);

    const observedFailed: string[] = [];
    const failedDriver = new ScriptedDriver();
    const failed = open(failedDriver, { onEvent: (event) => observedFailed.push(event.type) });
    failedDriver.sink.fail(sttError({ kind: "connection", provider: "test", message: "lost" }));
    await failed.close();
    expect(failed.state).toBe("failed");
    expect(observedFailed).toEqual(["metrics", "usage", "error"]);

    const observedClosed: string[] = [];
    const closedDriver = new ScriptedDriver();
    const closed = open(closedDriver, { onEvent: (event) => observedClosed.push(event.type) });
    await closed.close();
    closedDriver.sink.emit({ type: "speech-started", offsetMs: 0 });
    closedDriver.sink.fail(sttError({ kind: "connection", provider: "test", message: "late" }));
    await closed.close();
    expect(closed.state).toBe("closed");
    expect(observedClosed).toEqual(["metrics", "usage"]);
  });

  it("stays closed, reporting usage once, when close() interrupts a pending end() and the provider then finishes", async () => {
    const observed: string[] = [];
    const driver = new ScriptedDriver();
    let finishProvider: ((result: Result<void, SttError>) => void) | undefined;
    driver.finishWith = () => new Promise((resolve) => (finishProvider = resolve));
    const stream = open(driver, { onEvent: (event) => observed.push(event.type) });
    const ending = stream.end();
    await stream.close();
    finishProvider?.(ok(undefined));
    expect((await ending)._unsafeUnwrapErr().kind).toBe("aborted");
    expect(stream.state).toBe("closed");
    expect(observed).toEqual(["metrics", "usage"]);
  });

  it("keeps reporting the first fatal error when the provider fails again", async () => {
    const driver = new ScriptedDriver();
    const stream = open(driver);
    driver.sink.fail(sttError({ kind: "rate-limit", provider: "test", message: "slow down" }));
    driver.sink.fail(sttError({ kind: "connection", provider: "test", message: "gone" }));
    expect(stream.write(new Uint8Array(2))._unsafeUnwrapErr().kind).toBe("rate-limit");
    expect((await stream.result())._unsafeUnwrapErr().kind).toBe("rate-limit");
  });

  it("treats a provider failure of kind aborted as a close: no fatal error event, and writes say the stream is closed", async () => {
    const driver = new ScriptedDriver();
    const stream = open(driver);
    driver.sink.fail(sttError({ kind: "aborted", provider: "test", message: "cancelled upstream" }));
    expect(stream.state).toBe("closed");
    expect(stream.write(new Uint8Array(2))._unsafeUnwrapErr()).toMatchObject({ kind: "stream-state", state: "closed" });
    expect((await collect(stream)).map((event) => event.type)).toEqual(["metrics", "usage"]);
  });

  it("stops listening to its AbortSignal once it is over, so a long-lived signal does not collect listeners", async () => {
    const controller = new AbortController();
    const streams = [open(new ScriptedDriver(), { signal: controller.signal }), open(new ScriptedDriver(), { signal: controller.signal })];
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(2);
    await streams[0]?.end();
    await streams[1]?.close();
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
  });

  it("reports the caller's default language on the transcript when no segment names one", async () => {
    const driver = new ScriptedDriver();
    const stream = open(driver, { language: Language.DE_DE });
    driver.sink.emit({ type: "final", segment: segment("Hallo", 0, 100) });
    expect((await stream.end())._unsafeUnwrap().language).toBe(Language.DE_DE);
  });
});

describe("callerHooks and withoutCallerHooks", () => {
  const signal = new AbortController().signal;
  const onEvent = (): void => undefined;

  it("takes the signal and onEvent the stream honours, and no key for a hook not given", () => {
    expect(callerHooks({ signal, onEvent, interimResults: true })).toEqual({ signal, onEvent });
    const onlySignal = callerHooks({ signal });
    expect(onlySignal).toEqual({ signal });
    expect(onlySignal).not.toHaveProperty("onEvent");
    const onlyObserver = callerHooks({ onEvent });
    expect(onlyObserver).toEqual({ onEvent });
    expect(onlyObserver).not.toHaveProperty("signal");
    expect(Object.keys(callerHooks({}))).toEqual([]);
  });

  it("passes every other option on, without the hooks", () => {
    const options = { signal, onEvent, interimResults: true, language: Language.FR_FR, phrases: ["sttkit"] };
    expect(withoutCallerHooks(options)).toEqual({ interimResults: true, language: Language.FR_FR, phrases: ["sttkit"] });
    expect(options.signal).toBe(signal);
  });
});

describe("end() and release", () => {
  it("settles with a failure at once, while the driver is still releasing", async () => {
    const driver = new ScriptedDriver();
    let released!: () => void;
    driver.disposeWith = new Promise((resolve) => (released = resolve));
    const failure = sttError({ kind: "timeout", timeoutMs: 10, provider: "test", message: "no answer" });
    driver.finishWith = () => Promise.resolve(err(failure));
    const stream = open(driver);
    stream.write(new Uint8Array(3_200));
    // The release never completes until the test allows it: end() must not wait for it.
    const settled = await Promise.race([stream.end(), new Promise<"waited">((resolve) => setTimeout(() => resolve("waited"), 1_000))]);
    expect(settled !== "waited" && settled._unsafeUnwrapErr()).toBe(failure);
    let closed = false;
    const closing = stream.close().then(() => (closed = true));
    await Promise.resolve();
    expect(closed).toBe(false); // close() does wait for the release
    released();
    await closing;
  });

  it("settles a success only once the driver has released everything", async () => {
    const driver = new ScriptedDriver();
    let released = false;
    driver.disposeWith = new Promise<void>((resolve) => setTimeout(() => resolve(), 20)).then(() => {
      released = true;
    });
    const stream = open(driver);
    (await stream.end())._unsafeUnwrap();
    expect(released).toBe(true);
  });
});

describe("usage is what the provider processed", () => {
  async function usageWith(processedMs: (() => number) | undefined, bytes = 32_000): Promise<{ usage: SpeechEvent[]; audioSeconds: number }> {
    const driver = new ScriptedDriver();
    if (processedMs) (driver as { processedAudioMs?: () => number }).processedAudioMs = processedMs;
    const stream = open(driver);
    const events = collect(stream);
    stream.write(new Uint8Array(bytes));
    const transcript = (await stream.end())._unsafeUnwrap();
    return { usage: (await events).filter((event) => event.type === "usage"), audioSeconds: transcript.audioSeconds };
  }

  it("reports the audio the driver says the provider processed", async () => {
    expect(await usageWith(() => 250)).toEqual({ usage: [{ type: "usage", audioSeconds: 0.25 }], audioSeconds: 0.25 });
  });

  it("never more than was written, never negative, nothing when the driver cannot say", async () => {
    expect((await usageWith(() => 5_000)).audioSeconds).toBe(1);
    expect((await usageWith(() => -3)).audioSeconds).toBe(0);
    expect((await usageWith(() => Number.NaN)).audioSeconds).toBe(0);
    expect(
      (
        await usageWith(() => {
          throw new Error("driver bug");
        })
      ).audioSeconds,
    ).toBe(0);
  });

  it("counts every byte written when the driver does not report processing", async () => {
    expect((await usageWith(undefined)).audioSeconds).toBe(1);
  });
});
