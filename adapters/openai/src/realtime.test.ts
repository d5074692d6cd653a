import { createServer, type Server } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Language, type SpeechEvent } from "@sttkit/core";
import { driveStream, finalsOf } from "@sttkit/conformance";
import { expectedOpenAIFinals } from "@sttkit/conformance/openai";
import { createOpenAISpeechToText } from "./index.js";
import { startLocalOpenAI, TEST_KEY, type LocalOpenAI } from "./local-server.test-support.js";

const FAST = { speed: 16 };

describe("stream() on a Realtime transcription session, real SDK against the local server", () => {
  let local: LocalOpenAI;

  beforeAll(async () => {
    local = await startLocalOpenAI("librivox-multi");
  });
  afterAll(async () => {
    await local?.server.close();
  });

  it("opens a transcription session with the model, language, prompt, noise reduction and VAD from the options", async () => {
    local.server.setFaults(undefined);
    const since = local.server.connections.length;
    const stt = local.adapter({ prompt: "A novel.", phrases: ["Dashwood"], realtime: { noiseReduction: "far_field", model: "gpt-4o-mini-transcribe" } });
    const run = await driveStream(stt, local.audio, { ...FAST, streamOptions: { language: Language.EN_GB, phrases: ["Norland"] } });
    expect(run.result?.isOk()).toBe(true);
    const connection = local.server.connections[since];
    expect(connection?.path).toBe("/v1/realtime");
    expect(connection?.query).toEqual({ model: "gpt-4o-mini-transcribe" });
    expect(connection?.sessionUpdates).toEqual([
      {
        type: "session.update",
        session: {
          type: "transcription",
          audio: {
            input: {
              format: { type: "audio/pcm", rate: 24_000 },
              transcription: { model: "gpt-4o-mini-transcribe", language: "en", prompt: "A novel. Dashwood, Norland" },
              noise_reduction: { type: "far_field" },
              turn_detection: { type: "server_vad", threshold: 0.5, prefix_padding_ms: 300, silence_duration_ms: 500 },
            },
          },
        },
      },
    ]);
    expect(finalsOf(run).every((segment) => segment.language === Language.EN_GB)).toBe(true);
    expect(local.server.violations).toEqual([]);
  });

  it("sends the audio as PCM16 at 24 kHz whatever the stream's rate, the same length of time", async () => {
    local.server.setFaults(undefined);
    for (const sampleRate of [8_000, 16_000, 48_000]) {
      const since = local.server.connections.length;
      const stream = local.adapter().stream({ format: { sampleRate, channels: 1, bitsPerSample: 16 } })._unsafeUnwrap();
      const reading = (async () => {
        for await (const _event of stream);
      })();
      // One second in odd pieces (the resampler streams across writes).
      for (let written = 0; written < sampleRate; written += 997) stream.write(new Uint8Array(Math.min(997, sampleRate - written) * 2));
      await stream.end();
      await reading;
      expect(local.server.connections[since]?.audioBytes, `${sampleRate} Hz`).toBe(48_000);
    }
  });

  it("finals are exactly the session's, with interim results before each and speech events around them", async () => {
    local.server.setFaults(undefined);
    const run = await driveStream(local.adapter(), local.audio, FAST);
    expect(finalsOf(run)).toEqual(expectedOpenAIFinals(local.session));
    const types = run.events.map(({ event }) => event.type);
    expect(types.filter((type) => type === "speech-started")).toHaveLength(3);
    expect(types.filter((type) => type === "speech-ended")).toHaveLength(2); // the last utterance runs to the end of the audio
    expect(types.indexOf("interim")).toBeLessThan(types.indexOf("final"));
  });

  it("interimResults: false sends no interim events", async () => {
    local.server.setFaults(undefined);
    const run = await driveStream(local.adapter(), local.audio, { ...FAST, streamOptions: { interimResults: false } });
    expect(run.events.some(({ event }) => event.type === "interim")).toBe(false);
    expect(finalsOf(run)).toHaveLength(3);
  });

  it.each([
    [401, "authentication"],
    [403, "forbidden"],
    [429, "rate-limit"],
    [500, "connection"],
  ] as const)("a refused upgrade (HTTP %i) is a typed %s error", async (status, kind) => {
    local.server.setFaults({ realtime: { refuseUpgrade: status } });
    const run = await driveStream(local.adapter(), local.audio, FAST);
    expect(run.result?._unsafeUnwrapErr()).toMatchObject({ kind, provider: "openai" });
  });

  it("a failed transcription is a provider error after the finals before it", async () => {
    local.server.setFaults({ realtime: { failedAfterFinals: 1 } });
    const run = await driveStream(local.adapter(), local.audio, FAST);
    expect(run.result?._unsafeUnwrapErr()).toMatchObject({ kind: "provider", detail: expect.stringContaining("audio_unintelligible") });
    expect(finalsOf(run)).toHaveLength(1);
  });

  it.each([
    [{ type: "invalid_request_error", code: "invalid_api_key", message: "Incorrect API key" }, "authentication"],
    [{ type: "invalid_request_error", code: "rate_limit_exceeded", message: "Slow down" }, "rate-limit"],
    [{ type: "invalid_request_error", code: "session_expired", message: "Your session hit the maximum duration of 60 minutes." }, "connection"],
    [{ type: "server_error", message: "Internal" }, "provider"],
  ] as const)("a Realtime error event %j is a typed %s error", async (error, kind) => {
    local.server.setFaults({ realtime: { errorAfterFinals: { finals: 0, error } } });
    const run = await driveStream(local.adapter(), local.audio, FAST);
    expect(run.result?._unsafeUnwrapErr().kind).toBe(kind);
  });

  it("never lets the key out of a Realtime error", async () => {
    local.server.setFaults({ realtime: { errorAfterFinals: { finals: 0, error: { type: "invalid_request_error", code: "invalid_api_key", message: `Incorrect API key provided: ${TEST_KEY}.` } } } });
    const run = await driveStream(local.adapter(), local.audio, FAST);
    const error = run.result?._unsafeUnwrapErr();
    expect(`${error?.message} ${error?.detail} ${JSON.stringify(error)}`).not.toContain(TEST_KEY);
    expect(error?.detail).toContain("***");
    const events = run.events.map(({ event }) => JSON.stringify(event)).join("\n");
    expect(events).not.toContain(TEST_KEY);
  });

  it("a server that never completes the upgrade is a timeout after connectTimeoutMs", async () => {
    local.server.setFaults({ realtime: { stallUpgrade: true } });
    const started = performance.now();
    const run = await driveStream(local.adapter({ connectTimeoutMs: 800 }), local.audio, { speed: 64 });
    expect(run.result?._unsafeUnwrapErr()).toMatchObject({ kind: "timeout" });
    expect(performance.now() - started).toBeGreaterThanOrEqual(700);
  });

  it("close() mid-stream releases the session; writes afterwards are refused", async () => {
    local.server.setFaults(undefined);
    const run = await driveStream(local.adapter(), local.audio, { ...FAST, closeAfterMs: 3000 });
    expect(run.result?._unsafeUnwrapErr().kind).toBe("aborted");
    expect(run.iterationFinished).toBe(true);
  });
});

describe("stream() when the service cannot be reached", () => {
  let closed: Server;
  let port = 0;

  beforeAll(async () => {
    // A port that was just free: nothing listens there any more.
    closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    port = (closed.address() as { port: number }).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
  });

  it("a refused connection is a retryable connection error", async () => {
    const stt = createOpenAISpeechToText({ apiKey: TEST_KEY, baseURL: `https://127.0.0.1:${port}/v1` }, {})._unsafeUnwrap();
    const events: SpeechEvent[] = [];
    const stream = stt.stream({ onEvent: (event) => events.push(event) })._unsafeUnwrap();
    stream.write(new Uint8Array(3200));
    expect((await stream.end())._unsafeUnwrapErr()).toMatchObject({ kind: "connection", retryable: true });
    expect(events.at(-1)).toMatchObject({ type: "error", fatal: true });
  });

  it("a certificate it does not trust is refused (verification is never off): a connection error", async () => {
    const local = await startLocalOpenAI("librivox-0880");
    try {
      const untrusting = createOpenAISpeechToText({ apiKey: TEST_KEY, baseURL: local.server.baseURL }, {})._unsafeUnwrap();
      const stream = untrusting.stream()._unsafeUnwrap();
      stream.write(new Uint8Array(3200));
      const error = (await stream.end())._unsafeUnwrapErr();
      expect(error.kind).toBe("connection");
      expect(error.detail).toMatch(/certificate/i);
      const batch = (await untrusting.transcribe({ path: local.fixture.audioPath }))._unsafeUnwrapErr();
      expect(batch.kind).toBe("connection");
      expect(local.server.connections.every((connection) => connection.sessionUpdates.length === 0)).toBe(true);
    } finally {
      await local.server.close();
    }
  });
});
