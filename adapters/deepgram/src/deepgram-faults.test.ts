import { createServer, type Server, type Socket } from "node:net";
import type { DeepgramFaults } from "@sttkit/conformance/deepgram";
import type { SpeechEvent, SttError, TranscriptSegment } from "@sttkit/core";
import { describe, expect, it } from "vitest";
import { createDeepgramSpeechToText, type DeepgramConfig } from "./index.js";
import { currentServer, fixture, startLocalServer, wav } from "./local-server.test-support.js";

const KEY = "fault-test-key-abcdef0123456789";

interface Run {
  readonly events: SpeechEvent[];
  readonly error: SttError | undefined;
  readonly finals: TranscriptSegment[];
}

/**
 * Streams the fixture in 100 ms chunks at 10x real time against a server with `faults`; with
 * `reuseBuffer`, through one buffer the caller overwrites after every write, as audio callbacks do.
 */
async function run(faults: DeepgramFaults | undefined, config: DeepgramConfig = {}, reuseBuffer = false): Promise<Run> {
  const server = await startLocalServer({ expectedKey: KEY, ...(faults ? { faults } : {}) });
  const stt = createDeepgramSpeechToText({ baseUrl: server.baseUrl, apiKey: KEY, finishTimeoutMs: 2_000, reconnect: { backoffMs: 20 }, ...config }, {})._unsafeUnwrap();
  const stream = stt.stream({ format: wav.format })._unsafeUnwrap();
  const events: SpeechEvent[] = [];
  const reading = (async () => {
    for await (const event of stream) events.push(event);
  })();
  const scratch = new Uint8Array(3_200);
  for (let at = 0; at < wav.pcm.byteLength; at += 3_200) {
    const chunk = wav.pcm.subarray(at, at + 3_200);
    const written = reuseBuffer ? (scratch.set(chunk), stream.write(scratch.subarray(0, chunk.byteLength))) : stream.write(chunk);
    if (reuseBuffer) scratch.fill(0xee);
    if (written.isErr()) break;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const result = await stream.end();
  await reading;
  const finals = events.flatMap((event) => (event.type === "final" ? [event.segment] : []));
  return { events, error: result.isErr() ? result.error : undefined, finals };
}

function expectNoKey(value: unknown): void {
  expect(JSON.stringify(value, (_key, inner) => (inner instanceof Error ? inner.message : inner))).not.toContain(KEY);
}

describe("error mapping: every failure is a typed SttError, and the key appears in none", () => {
  const refused: Array<[number, SttError["kind"], boolean]> = [
    [401, "authentication", false],
    [403, "forbidden", false],
    [429, "rate-limit", true],
    [400, "bad-request", false],
    [503, "connection", true],
  ];
  for (const [status, kind, retryable] of refused) {
    it(`a refused upgrade ${status} is ${kind}${retryable ? " (retryable)" : ""}`, async () => {
      const outcome = await run({ refuseUpgrade: status }, { reconnect: { maxAttempts: 1, backoffMs: 20 } });
      expect(outcome.error?.kind).toBe(kind);
      expect(outcome.error?.retryable).toBe(retryable);
      expect(outcome.error?.provider).toBe("deepgram");
      expect(outcome.error?.detail).toContain(String(status));
      // Refused: the service processed none of the audio.
      expect(outcome.events.find((event) => event.type === "usage")).toEqual({ type: "usage", audioSeconds: 0 });
      expectNoKey(outcome);
    });
  }

  const closes: Array<[string, DeepgramFaults, SttError["kind"]]> = [
    ["close 1008 DATA-0000", { closeAfterFinals: { finals: 1, code: 1008, reason: "DATA-0000: The payload cannot be decoded as audio." } }, "bad-request"],
    ["close 1011 NET-0001 with recovery off", { closeAfterFinals: { finals: 1, code: 1011, reason: "NET-0001: no audio received" } }, "connection"],
    ["close 1011 NET-0000 with recovery off", { closeAfterFinals: { finals: 1, code: 1011, reason: "NET-0000: internal" } }, "connection"],
    ["close 4429", { closeAfterFinals: { finals: 1, code: 4429, reason: "too many requests" } }, "rate-limit"],
    ["close 4099", { closeAfterFinals: { finals: 1, code: 4099, reason: "unknown" } }, "provider"],
    ["an Error message", { errorAfterFinals: { finals: 1, description: "Something failed", code: "INTERNAL" } }, "provider"],
    ["a malformed message", { malformedAfterFinals: 1 }, "provider"],
    ["a dropped socket with recovery off", { dropAfterFinals: 1 }, "connection"],
    ["a stalled service", { stallAfterFinals: 1 }, "timeout"],
  ];
  for (const [what, faults, kind] of closes) {
    it(`${what} is ${kind}`, async () => {
      const outcome = await run(faults, { reconnect: { maxAttempts: 0 } });
      expect(outcome.error?.kind).toBe(kind);
      expect(outcome.finals.length).toBeGreaterThanOrEqual(1);
      const last = outcome.events.at(-1);
      expect(last?.type === "error" && last.fatal).toBe(true);
      expectNoKey(outcome);
    });
  }

  it("no answer to the upgrade within connectTimeoutMs is a timeout", async () => {
    const sockets = new Set<Socket>();
    const silent: Server = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const port = (silent.address() as { port: number }).port;
    try {
      const stt = createDeepgramSpeechToText({ baseUrl: `http://127.0.0.1:${port}`, apiKey: KEY, connectTimeoutMs: 300 }, {})._unsafeUnwrap();
      const stream = stt.stream()._unsafeUnwrap();
      stream.write(new Uint8Array(3200));
      const result = await stream.result();
      expect(result._unsafeUnwrapErr().kind).toBe("timeout");
      expectNoKey(result);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  const rest: Array<[number, SttError["kind"]]> = [
    [400, "bad-request"],
    [401, "authentication"],
    [403, "forbidden"],
    [429, "rate-limit"],
    [500, "connection"],
    [503, "connection"],
  ];
  for (const [status, kind] of rest) {
    it(`transcribe(): REST ${status} with Deepgram's error body is ${kind}`, async () => {
      const server = await startLocalServer({ expectedKey: KEY, faults: { restStatus: status } });
      const stt = createDeepgramSpeechToText({ baseUrl: server.baseUrl, apiKey: KEY, requestRetries: 0 }, {})._unsafeUnwrap();
      const result = await stt.transcribe({ path: fixture.audioPath });
      const error = result._unsafeUnwrapErr();
      expect(error.kind).toBe(kind);
      expect(error.detail).toMatch(/request 00000000/);
      if (error.kind === "rate-limit") expect(error.retryAfterMs).toBe(1000);
      expectNoKey(result);
    });
  }

  it("transcribe() with a wrong key is authentication, and the key is not echoed", async () => {
    const server = await startLocalServer({ expectedKey: KEY });
    const stt = createDeepgramSpeechToText({ baseUrl: server.baseUrl, apiKey: "not-the-key" }, {})._unsafeUnwrap();
    const result = await stt.transcribe({ path: fixture.audioPath });
    expect(result._unsafeUnwrapErr().kind).toBe("authentication");
    expect(JSON.stringify(result)).not.toContain("not-the-key");
  });
});

describe("recovery: a lost connection is replaced, the audio since the last final replayed, every final once", () => {
  const comparable = (finals: readonly TranscriptSegment[]) => finals.map((s) => ({ text: s.text, startMs: s.startMs, endMs: s.endMs }));

  for (const [what, faults] of [
    ["a socket dropped mid-utterance", { dropAfterFinals: 1, connections: 1 }],
    ["an idle close 1011 NET-0001", { closeAfterFinals: { finals: 1, code: 1011, reason: "NET-0001" }, connections: 1 }],
  ] as Array<[string, DeepgramFaults]>) {
    it(`after ${what}`, async () => {
      const reference = await run(undefined);
      await currentServer()?.close();
      const outcome = await run(faults);
      expect(outcome.error).toBeUndefined();
      expect(comparable(outcome.finals)).toEqual(comparable(reference.finals));
      const warnings = outcome.events.filter((event) => event.type === "error");
      expect(warnings).toHaveLength(1);
      expect(warnings[0]?.type === "error" && !warnings[0].fatal && warnings[0].error.kind).toBe("connection");
      const [first, second] = currentServer()?.connections ?? [];
      expect(currentServer()?.connections).toHaveLength(2);
      // The new connection got the audio from the end of the last final on, not from the start.
      expect(second?.startMs).toBeGreaterThan(0);
      expect((first?.audioBytes ?? 0) > 0 && (second?.audioBytes ?? 0) < wav.pcm.byteLength).toBe(true);
      expect(currentServer()?.violations).toEqual([]);
      expectNoKey(outcome);
    });
  }

  it("after a dropped socket, replays the audio the caller wrote even when it reuses one buffer for every chunk", async () => {
    const reference = await run(undefined);
    await currentServer()?.close();
    const outcome = await run({ dropAfterFinals: 1, connections: 1 }, {}, true);
    expect(outcome.error).toBeUndefined();
    expect(comparable(outcome.finals)).toEqual(comparable(reference.finals));
    // The server finds each connection's first audio in the recording: overwritten audio would not be found.
    expect(currentServer()?.connections).toHaveLength(2);
    expect(currentServer()?.connections[1]?.startMs).toBeGreaterThan(0);
    expect(currentServer()?.violations).toEqual([]);
  });

  it("gives up after maxAttempts connections without progress", async () => {
    const outcome = await run({ refuseUpgrade: 503 }, { reconnect: { maxAttempts: 2, backoffMs: 10 } });
    expect(outcome.error?.kind).toBe("connection");
    expect(currentServer()?.connections).toHaveLength(3);
    expect(outcome.events.filter((event) => event.type === "error" && !event.fatal)).toHaveLength(2);
  });
});
