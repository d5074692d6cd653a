import { createServer, type Socket } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ErrorEvent, SpeechEvent, SpeechToText, SttError, Transcript } from "@sttkit/core";
import { TICKS_PER_MS } from "@sttkit/core/kit";
import type { Result } from "neverthrow";
import { startAzureReplayServer } from "../../../conformance/src/azure/server.js";
import { countOpenHandles, settleHandles, type HandleCounts } from "../../../conformance/src/suite/open-handles.js";
import type { AzureFaults } from "../../../conformance/src/azure/faults.js";
import type { RecordedAzureMessage, RecordedAzureSession } from "../../../conformance/src/azure/session-format.js";
import { createAzureSpeechToText, type AzureConfig } from "./index.js";

const KEY = "faults-test-key";
const BYTES_PER_MS = 32; // 16 kHz, 16-bit mono
const UNTHROTTLED = { "SPEECH-TransmitLengthBeforThrottleMs": "600000" };
const FAST_RECOVERY = { maxAttempts: 2, backoffMs: 10 };
/** A refused upgrade takes tens of milliseconds; the bound leaves room for a loaded machine. */
const REFUSAL_BOUND_MS = 2_000;

/**
 * `count` utterances, one per second of audio; each final is sent 100 ms after its speech ends.
 * `lastPhraseAtEnd` holds the last final until the end of the audio, as the service does for
 * speech still going on when the audio stops.
 */
function sessionOf(count: number, options: { readonly lastPhraseAtEnd?: boolean } = {}): RecordedAzureSession {
  const messages: RecordedAzureMessage[] = [{ path: "turn.start", atAudioMs: 0, body: { context: { serviceTag: "faults-test" } } }];
  for (let index = 0; index < count; index += 1) {
    const startMs = index * 1_000 + 100;
    const endMs = startMs + 700;
    const text = `Sentence ${index + 1} is here.`;
    const atEnd = options.lastPhraseAtEnd === true && index === count - 1 ? { afterEndOfAudio: true } : {};
    messages.push(
      { path: "speech.startDetected", atAudioMs: startMs + 50, body: { Offset: startMs * TICKS_PER_MS } },
      { path: "speech.hypothesis", atAudioMs: startMs + 400, body: { Text: `sentence ${index + 1}`, Offset: startMs * TICKS_PER_MS, Duration: 300 * TICKS_PER_MS } },
      {
        path: "speech.phrase",
        atAudioMs: endMs + 100,
        ...atEnd,
        body: { RecognitionStatus: "Success", DisplayText: text, Offset: startMs * TICKS_PER_MS, Duration: (endMs - startMs) * TICKS_PER_MS },
      },
      { path: "speech.endDetected", atAudioMs: endMs + 100, ...atEnd, body: { Offset: endMs * TICKS_PER_MS } },
    );
  }
  messages.push({ path: "turn.end", atAudioMs: count * 1_000, afterEndOfAudio: true });
  return {
    format: "sttkit.recorded-session.v2",
    audio: { file: "generated", sha256: "", durationMs: 0 },
    provider: "azure",
    fixture: "adapter-faults-test",
    source: { kind: "synthesized", description: "built by the Azure adapter's fault tests" },
    request: { language: "en-US", format: "simple" },
    turns: [{ messages }],
  };
}

function expectedSegments(count: number) {
  return Array.from({ length: count }, (_, index) => ({
    text: `Sentence ${index + 1} is here.`,
    startMs: index * 1_000 + 100,
    endMs: index * 1_000 + 800,
  }));
}

type ReplayServer = Awaited<ReturnType<typeof startAzureReplayServer>>;
const cleanups: Array<() => Promise<void>> = [];

async function serve(count: number, faults?: AzureFaults, session: { readonly lastPhraseAtEnd?: boolean } = {}): Promise<ReplayServer> {
  const server = await startAzureReplayServer({ session: sessionOf(count, session), expectedKey: KEY, ...(faults ? { faults } : {}) });
  cleanups.push(() => server.close());
  return server;
}

let handlesBefore: HandleCounts = {};
beforeEach(() => {
  handlesBefore = countOpenHandles();
});

// Every fault must leave nothing behind: no socket, timer or server of the adapter's still open.
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
  expect(await settleHandles(handlesBefore), "handles left open").toEqual({});
});

function adapter(host: string, config: AzureConfig = {}): SpeechToText {
  return createAzureSpeechToText({ host, apiKey: KEY, sdkProperties: UNTHROTTLED, reconnect: { maxAttempts: 0 }, ...config }, {})._unsafeUnwrap();
}

interface Run {
  readonly result: Result<Transcript, SttError>;
  readonly events: SpeechEvent[];
}

/**
 * Noise from a fixed seed: every stretch of it is unique, as real audio is, which the replay
 * server needs to recognise a new recognizer resuming a stream from where the last final ended.
 */
function noise(byteLength: number, seed: number): Uint8Array {
  const pcm = new Uint8Array(byteLength);
  let state = seed >>> 0 || 1;
  for (let index = 0; index < byteLength; index += 1) {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    pcm[index] = state >>> 24;
  }
  return pcm;
}

/** Streams `audioMs` of audio; `readDelayMs` makes the application slow to take each event. */
async function runStream(stt: SpeechToText, audioMs: number, readDelayMs = 0): Promise<Run> {
  const stream = stt.stream()._unsafeUnwrap();
  const events: SpeechEvent[] = [];
  const reading = (async () => {
    for await (const event of stream) {
      events.push(event);
      if (readDelayMs > 0) await sleep(readDelayMs);
    }
  })();
  const audio = noise(audioMs * BYTES_PER_MS, audioMs);
  for (let sent = 0; sent < audioMs; sent += 100) {
    if (stream.write(audio.subarray(sent * BYTES_PER_MS, (sent + 100) * BYTES_PER_MS)).isErr()) break;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  const result = await stream.end();
  await stream.close();
  await reading;
  return { result, events };
}

function segmentsOf(events: readonly SpeechEvent[]) {
  return events.flatMap((event) => (event.type === "final" ? [{ text: event.segment.text, startMs: event.segment.startMs, endMs: event.segment.endMs }] : []));
}

function errorsOf(events: readonly SpeechEvent[]): ErrorEvent[] {
  return events.filter((event): event is ErrorEvent => event.type === "error");
}

describe("cancellations map to typed errors", () => {
  it.each([
    [401, "authentication"],
    [403, "forbidden"],
    [429, "rate-limit"],
    [500, "connection"],
  ] as const)("a refused upgrade with HTTP %i is a %s error, within 2 s", async (status, kind) => {
    const server = await serve(2, { refuseUpgrade: status });
    const started = performance.now();
    const { result, events } = await runStream(adapter(server.host), 2_000);
    expect(result._unsafeUnwrapErr()).toMatchObject({ kind, provider: "azure" });
    expect(errorsOf(events).at(-1)).toMatchObject({ fatal: true, error: { kind } });
    // Milliseconds on every Node version (the SDK dials with `ws`, see sdk-websocket.ts); without
    // that, Node 22 waits for the 10 s connect timeout and Node 24 loses the status.
    expect(performance.now() - started).toBeLessThan(REFUSAL_BOUND_MS);
  });

  it("a wrong key is an authentication error, within 2 s", async () => {
    const server = await serve(1);
    const started = performance.now();
    const { result } = await runStream(adapter(server.host, { apiKey: "not-the-key" }), 1_000);
    expect(result._unsafeUnwrapErr().kind).toBe("authentication");
    expect(performance.now() - started).toBeLessThan(REFUSAL_BOUND_MS);
  });

  it.each([
    ["Error", "provider"],
    ["TooManyRequests", "rate-limit"],
    ["BadRequest", "bad-request"],
    ["Forbidden", "forbidden"],
  ] as const)("a %s status after two phrases is a %s error, after both finals", async (status, kind) => {
    const server = await serve(4, { statusAfterPhrases: { phrases: 2, status } });
    const { result, events } = await runStream(adapter(server.host), 4_000);
    expect(result._unsafeUnwrapErr().kind).toBe(kind);
    expect(segmentsOf(events)).toEqual(expectedSegments(2));
  });

  it.each([
    [1007, "bad-request"],
    [4000, "connection"],
  ] as const)("close code %i is a %s error when recovery is off", async (code, kind) => {
    const server = await serve(3, { closeAfterPhrases: { phrases: 1, code } });
    const { result } = await runStream(adapter(server.host), 3_000);
    expect(result._unsafeUnwrapErr().kind).toBe(kind);
  });
});

describe("timeouts of the adapter's own", () => {
  it("a service that accepts but never answers is a timeout after connectTimeoutMs", async () => {
    const server = await serve(2, { stall: true });
    const started = Date.now();
    const { result } = await runStream(adapter(server.host, { connectTimeoutMs: 600 }), 2_000);
    expect(result._unsafeUnwrapErr()).toMatchObject({ kind: "timeout", timeoutMs: 600, retryable: true });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("a service that stops answering mid-stream is a timeout after finishTimeoutMs, finals kept", async () => {
    const server = await serve(3, { stallAfterPhrases: 2 });
    const started = Date.now();
    const { result, events } = await runStream(adapter(server.host, { finishTimeoutMs: 800 }), 3_000);
    expect(result._unsafeUnwrapErr()).toMatchObject({ kind: "timeout", timeoutMs: 800 });
    expect(segmentsOf(events)).toEqual(expectedSegments(2));
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("a server that never completes the WebSocket upgrade is a timeout, not a hang", async () => {
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    cleanups.push(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    });
    const address = silent.address();
    const port = typeof address === "object" && address ? address.port : 0;
    const { result } = await runStream(adapter(`ws://127.0.0.1:${port}`, { connectTimeoutMs: 500 }), 1_000);
    expect(result._unsafeUnwrapErr()).toMatchObject({ kind: "timeout", timeoutMs: 500 });
  });
});

describe("reconnect without losing audio", () => {
  it("a socket dropped mid-stream is resumed by the SDK: every final exactly once, on the stream's time line", async () => {
    const server = await serve(5, { dropAfterPhrases: 2, connections: 1 });
    const { result, events } = await runStream(adapter(server.host), 5_000);
    expect(result._unsafeUnwrap().segments.map(({ text, startMs, endMs }) => ({ text, startMs, endMs }))).toEqual(expectedSegments(5));
    expect(segmentsOf(events)).toEqual(expectedSegments(5));
    expect(events.filter((event) => event.type === "speech-started")).toHaveLength(5);
    expect(server.connections.length).toBeGreaterThanOrEqual(2);
  });

  it("when the SDK gives up, the adapter starts over, replays the audio and reports a recovered error", async () => {
    const server = await serve(5, { closeAfterPhrases: { phrases: 2, code: 4000 }, connections: 1 });
    const { result, events } = await runStream(adapter(server.host, { reconnect: FAST_RECOVERY }), 5_000);
    expect(segmentsOf(events)).toEqual(expectedSegments(5));
    expect(events.filter((event) => event.type === "speech-started")).toHaveLength(5);
    expect(result._unsafeUnwrap().text).toBe(expectedSegments(5).map((segment) => segment.text).join(" "));
    const recovered = errorsOf(events);
    expect(recovered).toHaveLength(1);
    expect(recovered[0]).toMatchObject({ fatal: false, error: { kind: "connection" } });
    expect(server.connections.length).toBeGreaterThanOrEqual(2);
  });

  it("recovers again and again when every connection fails after one final, each final once", async () => {
    const server = await serve(4, { closeAfterPhrases: { phrases: 1, code: 4000 } });
    const { result, events } = await runStream(adapter(server.host, { reconnect: { maxAttempts: 1, backoffMs: 10 } }), 4_000);
    expect(segmentsOf(events)).toEqual(expectedSegments(4));
    expect(result._unsafeUnwrap().segments).toHaveLength(4);
    expect(errorsOf(events).every((event) => !event.fatal)).toBe(true);
    expect(server.connections.length).toBeGreaterThanOrEqual(4);
  });

  it("gives up with a connection error once the recovery attempts are spent without progress", async () => {
    const server = await serve(3, { refuseUpgrade: 503 });
    const started = performance.now();
    const { result, events } = await runStream(adapter(server.host, { reconnect: FAST_RECOVERY }), 3_000);
    expect(result._unsafeUnwrapErr().kind).toBe("connection");
    expect(errorsOf(events).map((event) => event.fatal)).toEqual([false, false, true]);
    // Three refused recognizers, each told at once: no connect timeout involved.
    expect(performance.now() - started).toBeLessThan(REFUSAL_BOUND_MS);
  });
});

describe("the connection lost with the end of the audio", () => {
  // The SDK reconnects, but sends only speech.config, speech.context and a RIFF header: its upload
  // loop ended with the end-of-audio frame, so neither the audio nor its end is ever sent again.
  it("the adapter replays the audio since the last final itself: the last final arrives once, end() resolves", async () => {
    const server = await serve(3, { dropOnEndOfAudio: true, connections: 1 }, { lastPhraseAtEnd: true });
    const { result, events } = await runStream(adapter(server.host, { reconnect: FAST_RECOVERY, finishTimeoutMs: 15_000 }), 3_000);
    expect(server.connections[0]?.closed).toBe("dropped");
    expect(segmentsOf(events)).toEqual(expectedSegments(3));
    expect(result._unsafeUnwrap().text).toBe(expectedSegments(3).map((segment) => segment.text).join(" "));
    expect(errorsOf(events).map((event) => [event.fatal, event.error.kind])).toEqual([[false, "connection"]]);
  });

  it("with recovery turned off it is a connection error at once, not a wait for finishTimeoutMs", async () => {
    const server = await serve(3, { dropOnEndOfAudio: true, connections: 1 }, { lastPhraseAtEnd: true });
    const { result, events } = await runStream(adapter(server.host, { finishTimeoutMs: 15_000 }), 3_000);
    expect(result._unsafeUnwrapErr()).toMatchObject({ kind: "connection", retryable: true });
    expect(segmentsOf(events)).toEqual(expectedSegments(2));
  });
});

/** A TCP server that accepts connections and never answers; it records when each socket closes. */
async function silentServer(): Promise<{ readonly host: string; readonly accepted: Socket[]; readonly closed: Set<Socket> }> {
  const accepted: Socket[] = [];
  const closed = new Set<Socket>();
  const silent = createServer((socket) => {
    accepted.push(socket);
    socket.resume();
    socket.on("close", () => closed.add(socket));
  });
  await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
  cleanups.push(async () => {
    for (const socket of accepted) socket.destroy();
    await new Promise((resolve) => silent.close(resolve));
  });
  const address = silent.address();
  return { host: `ws://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`, accepted, closed };
}

/** Waits, up to a generous limit, for `condition`; the limit only turns a hang into a failure. */
async function eventually(condition: () => boolean, limitMs = 10_000): Promise<boolean> {
  const deadline = Date.now() + limitMs;
  while (!condition() && Date.now() < deadline) await sleep(20);
  return condition();
}

describe("a service that accepts the TCP connection and never answers the upgrade", () => {
  it("releases the SDK's socket once the stream fails with its timeout", async () => {
    const server = await silentServer();
    const { result } = await runStream(adapter(server.host, { connectTimeoutMs: 500 }), 1_000);
    expect(result._unsafeUnwrapErr()).toMatchObject({ kind: "timeout", timeoutMs: 500 });
    expect(server.accepted.length).toBeGreaterThan(0);
    // The client must close its end: the server never does.
    expect(await eventually(() => server.accepted.every((socket) => server.closed.has(socket)))).toBe(true);
  });

  it("releases the SDK's socket when the stream is closed while connecting", async () => {
    const server = await silentServer();
    const stream = adapter(server.host).stream()._unsafeUnwrap();
    stream.write(new Uint8Array(100 * BYTES_PER_MS));
    expect(await eventually(() => server.accepted.length > 0)).toBe(true);
    await stream.close();
    expect((await stream.result())._unsafeUnwrapErr().kind).toBe("aborted");
    expect(await eventually(() => server.accepted.every((socket) => server.closed.has(socket)))).toBe(true);
  });

  it("end() settles with the fatal error itself, not after the release", async () => {
    const server = await silentServer();
    let releasedMeanwhile: boolean | undefined;
    const stream = adapter(server.host, { connectTimeoutMs: 500 })
      .stream({
        onEvent: (event) => {
          // Anything that waits for I/O (as closing sockets does) runs after this immediate.
          if (event.type === "error" && event.fatal) {
            releasedMeanwhile = false;
            setImmediate(() => (releasedMeanwhile = true));
          }
        },
      })
      ._unsafeUnwrap();
    stream.write(new Uint8Array(200 * BYTES_PER_MS));
    const result = await stream.end();
    expect(result._unsafeUnwrapErr().kind).toBe("timeout");
    expect(releasedMeanwhile).toBe(false);
    await stream.close();
  });
});

describe("usage is the audio the service processed", () => {
  it("a stream refused with HTTP 401 reports no audio processed", async () => {
    const server = await serve(2, { refuseUpgrade: 401 });
    const { result, events } = await runStream(adapter(server.host), 2_000);
    expect(result._unsafeUnwrapErr().kind).toBe("authentication");
    expect(events.find((event) => event.type === "usage")).toEqual({ type: "usage", audioSeconds: 0 });
  });

  it("transcribe() under 401 reports no audio processed, through a stream and through fast transcription", async () => {
    const server = await serve(3, { refuseUpgrade: 401, fastTranscription: { status: 401 } });
    const fast: SpeechEvent[] = [];
    const failed = await adapter(server.host).transcribe(
      { pcm: noise(3_000 * BYTES_PER_MS, 3), format: { sampleRate: 16_000, channels: 1, bitsPerSample: 16 } },
      { onEvent: (event) => event.type === "usage" && fast.push(event) },
    );
    expect(failed._unsafeUnwrapErr().kind).toBe("authentication");
    expect(fast).toEqual([{ type: "usage", audioSeconds: 0 }]);
    const usage: SpeechEvent[] = [];
    const result = await adapter(server.host, { transcribeWith: "realtime" }).transcribe(
      { pcm: noise(3_000 * BYTES_PER_MS, 3), format: { sampleRate: 16_000, channels: 1, bitsPerSample: 16 } },
      { onEvent: (event) => event.type === "usage" && usage.push(event) },
    );
    expect(result._unsafeUnwrapErr().kind).toBe("authentication");
    expect(usage).toEqual([{ type: "usage", audioSeconds: 0 }]);
  });

  it("a stream that fails mid-way reports what the service had answered for, a stream that ends all of it", async () => {
    const failing = await serve(4, { statusAfterPhrases: { phrases: 2, status: "Error" } });
    const failed = await runStream(adapter(failing.host), 4_000);
    expect(failed.result._unsafeUnwrapErr().kind).toBe("provider");
    const partial = failed.events.find((event) => event.type === "usage");
    // Two finals (to 1.8 s) and the start of the third utterance, not the 4 s written.
    expect(partial?.type === "usage" && partial.audioSeconds).toBeGreaterThanOrEqual(1.8);
    expect(partial?.type === "usage" && partial.audioSeconds).toBeLessThan(3);

    const whole = await serve(3);
    const done = await runStream(adapter(whole.host), 3_000);
    expect(done.result._unsafeUnwrap().audioSeconds).toBe(3);
    expect(done.events.find((event) => event.type === "usage")).toEqual({ type: "usage", audioSeconds: 3 });
  });
});

describe("backpressure into the Speech SDK", () => {
  it("write() returns false once more than maxUnsentAudioMs waits unsent, and a writer that waits holds no more", async () => {
    const server = await silentServer();
    const stream = adapter(server.host, { maxUnsentAudioMs: 1_000, connectTimeoutMs: 1_500 }).stream()._unsafeUnwrap();
    const reading = (async () => {
      for await (const _event of stream);
    })();
    const answers: boolean[] = [];
    let accepted = 0;
    // A writer that honours backpressure, with a minute of audio: nothing can be sent, so it must stop at the bound.
    for (let chunk = 0; chunk < 600; chunk += 1) {
      const written = stream.write(noise(100 * BYTES_PER_MS, chunk + 1));
      if (written.isErr()) break;
      accepted += 100;
      answers.push(written.value);
      if (!written.value) await stream.drained();
    }
    expect(answers.slice(0, 11)).toEqual([...Array<boolean>(10).fill(true), false]);
    // drained() resolved only when the stream failed (nothing was ever sent); the writer then stopped.
    expect(accepted).toBe(1_100);
    expect((await stream.result())._unsafeUnwrapErr().kind).toBe("timeout");
    await stream.close();
    await reading;
  });

  it("drained() resolves as the SDK sends the audio at its own pace, and every final arrives", async () => {
    const server = await serve(4);
    // The SDK paces its upload at twice real time from the first byte.
    const stt = adapter(server.host, { maxUnsentAudioMs: 500, sdkProperties: { "SPEECH-TransmitLengthBeforThrottleMs": "0" } });
    const stream = stt.stream()._unsafeUnwrap();
    const events: SpeechEvent[] = [];
    const reading = (async () => {
      for await (const event of stream) events.push(event);
    })();
    const audio = noise(4_000 * BYTES_PER_MS, 4_000);
    let refusals = 0;
    for (let sent = 0; sent < 4_000; sent += 100) {
      const written = stream.write(audio.subarray(sent * BYTES_PER_MS, (sent + 100) * BYTES_PER_MS))._unsafeUnwrap();
      if (!written) {
        refusals += 1;
        await stream.drained();
      }
    }
    const result = await stream.end();
    await reading;
    expect(refusals).toBeGreaterThan(0);
    expect(segmentsOf(events)).toEqual(expectedSegments(4));
    expect(result._unsafeUnwrap().segments).toHaveLength(4);
  });
});

/** A port on the loopback interface that nothing listens on. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const address = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  return typeof address === "object" && address ? address.port : 0;
}

describe("unreachable or misbehaving services", () => {
  it("a refused connection is a retryable typed error within connectTimeoutMs, not a hang", async () => {
    const port = await closedPort();
    const started = Date.now();
    const { result, events } = await runStream(adapter(`ws://127.0.0.1:${port}`, { connectTimeoutMs: 1_000 }), 1_000);
    const error = result._unsafeUnwrapErr();
    expect(["connection", "timeout"]).toContain(error.kind);
    expect(error.retryable).toBe(true);
    expect(errorsOf(events).at(-1)).toMatchObject({ fatal: true, error: { kind: error.kind } });
    expect(Date.now() - started).toBeLessThan(6_000);
  });

  it("a key written into the endpoint URL is never echoed in an error's message or detail", async () => {
    const secret = "endpoint-secret-0123456789abcdef";
    const port = await closedPort();
    const endpoint = `ws://user:${secret}@127.0.0.1:${port}/speech/recognition/conversation/cognitiveservices/v1?Ocp-Apim-Subscription-Key=${secret}`;
    const { result, events } = await runStream(createAzureSpeechToText({ endpoint, sdkProperties: UNTHROTTLED, reconnect: { maxAttempts: 0 }, connectTimeoutMs: 3_000 }, {})._unsafeUnwrap(), 500);
    const error = result._unsafeUnwrapErr();
    expect(error.detail ?? error.message).toContain(`127.0.0.1:${port}`);
    for (const { error: reported } of errorsOf(events)) expect(`${reported.message} ${reported.detail ?? ""}`).not.toContain(secret);
    expect(`${error.message} ${error.detail ?? ""}`).not.toContain(secret);
    // Nor in the settings' own validation errors.
    const invalid = createAzureSpeechToText({ host: `ws://user:${secret}@ not a host` }, {})._unsafeUnwrapErr();
    expect(`${invalid.message} ${invalid.detail ?? ""}`).not.toContain(secret);
  });

  it("a host name that does not resolve is a retryable typed error, not a hang", async () => {
    const started = Date.now();
    const { result } = await runStream(adapter("wss://no-such-host.invalid", { connectTimeoutMs: 2_000 }), 1_000);
    const error = result._unsafeUnwrapErr();
    expect(["connection", "timeout"]).toContain(error.kind);
    expect(error.retryable).toBe(true);
    expect(Date.now() - started).toBeLessThan(8_000);
  });

  it("a message that is not USP is a typed error once the service goes quiet, finals before it kept once", async () => {
    const server = await serve(3, { malformedAfterPhrases: 1 });
    const { result, events } = await runStream(adapter(server.host, { finishTimeoutMs: 800 }), 3_000);
    expect(result.isErr() && result.error.kind).toMatch(/^(timeout|provider|connection)$/);
    expect(segmentsOf(events)).toEqual(expectedSegments(1));
  });

  it("a slow consumer of events still gets every final exactly once and in order, with interims coalesced", async () => {
    const server = await serve(5);
    const { result, events } = await runStream(adapter(server.host), 5_000, 40);
    expect(segmentsOf(events)).toEqual(expectedSegments(5));
    expect(result._unsafeUnwrap().segments).toHaveLength(5);
    const order = events.map((event) => event.type).filter((type) => type === "speech-started" || type === "speech-ended");
    expect(order).toEqual(Array.from({ length: 5 }, () => ["speech-started", "speech-ended"]).flat());
    expect(events.at(-1)?.type).toBe("usage");
  });
});
