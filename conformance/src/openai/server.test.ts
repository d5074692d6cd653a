import { encodeWav, readWavFile, type WavAudio } from "@sttkit/core";
import OpenAI, { toFile } from "openai";
import { OpenAIRealtimeWS } from "openai/realtime/ws";
import { Agent } from "undici";
import WebSocket from "ws";
import { afterEach, describe, expect, it } from "vitest";
import { loadFixtures } from "../manifest/load.js";
import type { OpenAIFaults } from "./faults.js";
import { startOpenAIReplayServer, type OpenAIReplayServer } from "./server.js";
import { batchAnswer, loadOpenAISession, type RecordedOpenAISession } from "./session-format.js";

const KEY = "sk-replay-test-key";
const servers: OpenAIReplayServer[] = [];
const agents: Agent[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
  await Promise.all(agents.splice(0).map((agent) => agent.close()));
});

async function fixture(id: string): Promise<{ session: RecordedOpenAISession; audio: WavAudio; path: string }> {
  const found = loadFixtures()._unsafeUnwrap().fixtures.find((candidate) => candidate.id === id);
  if (!found) throw new Error(id);
  return { session: loadOpenAISession(id)._unsafeUnwrap(), audio: (await readWavFile(found.audioPath))._unsafeUnwrap(), path: found.audioPath };
}

async function serve(id: string, faults?: OpenAIFaults): Promise<{ server: OpenAIReplayServer; client: OpenAI; audio: WavAudio; session: RecordedOpenAISession }> {
  const { session, audio } = await fixture(id);
  const server = (await startOpenAIReplayServer({ session, audio, expectedKey: KEY, keepAudio: true, ...(faults ? { faults } : {}) }))._unsafeUnwrap();
  servers.push(server);
  const dispatcher = new Agent({ connect: { ca: server.ca } });
  agents.push(dispatcher);
  // The raw SDK, configured by hand: what the server must satisfy whatever adapter uses it.
  const client = new OpenAI({ apiKey: KEY, baseURL: server.baseURL, maxRetries: 0, logLevel: "off", fetchOptions: { dispatcher } });
  return { server, client, audio, session };
}

describe("the local OpenAI server: batch endpoint, driven by the raw SDK", () => {
  it("answers whisper-1 verbose_json with the recorded answer, words only when asked for", async () => {
    const { server, client, audio, session } = await serve("librivox-0880");
    const file = await toFile(encodeWav(audio.pcm, audio.format), "a.wav", { type: "audio/wav" });
    const answer = await client.audio.transcriptions.create({ file, model: "whisper-1", response_format: "verbose_json", timestamp_granularities: ["segment"] });
    const recorded = batchAnswer(session, "whisper-1", "verbose_json") as Record<string, unknown>;
    expect(answer.text).toBe(recorded["text"]);
    expect(answer.segments).toEqual(recorded["segments"]);
    expect(answer.words).toBeUndefined();
    const text = await client.audio.transcriptions.create({ file, model: "gpt-4o-transcribe", response_format: "text" });
    expect(text).toBe(recorded["text"]);
    expect(server.violations).toEqual([]);
  });

  it("answers a cut upload with the recorded words inside it, at their place", async () => {
    const { client, audio } = await serve("librivox-multi");
    // The first 4.2 s: the first utterance only.
    const cut = audio.pcm.subarray(0, 4200 * 32);
    const answer = await client.audio.transcriptions.create({
      file: await toFile(encodeWav(cut, audio.format), "cut.wav"),
      model: "whisper-1",
      response_format: "verbose_json",
      timestamp_granularities: ["word", "segment"],
    });
    expect(answer.text).toBe("He was not an illness those young man.");
    expect(answer.duration).toBe(4.2);
    expect(answer.words?.at(-1)).toEqual({ word: "man", start: 2.33, end: 2.8 });
  });

  it("streams gpt-4o deltas as server-sent events; refuses what the service refuses; notes what a client should not send", async () => {
    const { server, client, audio, session } = await serve("librivox-0880");
    const file = await toFile(encodeWav(audio.pcm, audio.format), "a.wav");
    const stream = await client.audio.transcriptions.create({ file, model: "gpt-4o-mini-transcribe", stream: true });
    let text = "";
    let done = "";
    for await (const event of stream) {
      if (event.type === "transcript.text.delta") text += event.delta;
      if (event.type === "transcript.text.done") done = event.text;
    }
    expect(text).toBe(done);
    expect(done).toBe((batchAnswer(session, "gpt-4o-mini-transcribe", "json") as { text: string }).text);
    await expect(client.audio.transcriptions.create({ file, model: "gpt-4o-transcribe", response_format: "verbose_json" })).rejects.toMatchObject({ status: 400 });
    await expect(client.audio.transcriptions.create({ file, model: "whisper-2" })).rejects.toMatchObject({ status: 404, code: "model_not_found" });
    await expect(client.audio.transcriptions.create({ file, model: "whisper-1", language: "english" })).rejects.toMatchObject({ status: 400 });
    await expect(client.audio.transcriptions.create({ file: await toFile(new Uint8Array([1, 2, 3]), "x.wav"), model: "whisper-1" })).rejects.toMatchObject({ status: 400 });
    expect(server.violations).toEqual([]);
    // whisper-1 with stream=true: answered as the service does (JSON), and noted: the SDK loses that text.
    const lost = await client.audio.transcriptions.create({ file, model: "whisper-1", stream: true });
    const events: unknown[] = [];
    for await (const event of lost) events.push(event);
    expect(events).toEqual([]);
    expect(server.violations.join()).toMatch(/stream=true with whisper-1/);
  });

  it("checks the key and refuses an upload over the service's limit with 413 after reading it", async () => {
    const { server, client, audio } = await serve("librivox-0880");
    const wrongKey = new OpenAI({ apiKey: "sk-wrong", baseURL: server.baseURL, maxRetries: 0, logLevel: "off", fetchOptions: { dispatcher: agents[0] } });
    await expect(wrongKey.audio.transcriptions.create({ file: await toFile(encodeWav(audio.pcm, audio.format), "a.wav"), model: "whisper-1" })).rejects.toMatchObject({ status: 401 });
    const big = new Uint8Array(26 * 1024 * 1024);
    await expect(client.audio.transcriptions.create({ file: await toFile(encodeWav(big, audio.format), "big.wav"), model: "whisper-1" })).rejects.toMatchObject({ status: 413 });
    expect(server.uploads.map((upload) => upload.status)).toEqual([401, 413]);
    expect(server.uploads.every((upload) => !JSON.stringify(upload).includes(KEY))).toBe(true);
  }, 60_000);

  it("is TLS with a certificate made for the run: a client that does not trust it is refused", async () => {
    const { server, audio } = await serve("librivox-0880");
    const untrusting = new OpenAI({ apiKey: KEY, baseURL: server.baseURL, maxRetries: 0, logLevel: "off" });
    await expect(untrusting.audio.transcriptions.create({ file: await toFile(encodeWav(audio.pcm, audio.format), "a.wav"), model: "whisper-1" })).rejects.toThrow(/Connection error/);
    expect(server.baseURL).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/v1$/);
    expect(server.uploads).toEqual([]);
  });
});

/** Opens a raw WebSocket to the server's Realtime endpoint and collects what it sends. */
async function rawRealtime(server: OpenAIReplayServer, model = "gpt-4o-transcribe"): Promise<{ ws: WebSocket; events: Array<Record<string, unknown>>; next(type: string): Promise<Record<string, unknown>> }> {
  const ws = new WebSocket(`${server.baseURL.replace(/^https/, "wss")}/realtime?model=${model}`, { ca: server.ca, headers: { Authorization: `Bearer ${KEY}` } });
  const events: Array<Record<string, unknown>> = [];
  const waiters: Array<() => void> = [];
  ws.on("message", (data) => {
    events.push(JSON.parse(data.toString()) as Record<string, unknown>);
    for (const wake of waiters.splice(0)) wake();
  });
  await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
  const next = async (type: string): Promise<Record<string, unknown>> => {
    for (;;) {
      const found = events.find((event) => event["type"] === type);
      if (found) return found;
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
  };
  return { ws, events, next };
}

const SESSION_UPDATE = {
  type: "session.update",
  session: {
    type: "transcription",
    audio: { input: { format: { type: "audio/pcm", rate: 24000 }, transcription: { model: "gpt-4o-transcribe" }, turn_detection: { type: "server_vad", threshold: 0.5, prefix_padding_ms: 300, silence_duration_ms: 500 } } },
  },
};

describe("the local OpenAI server: Realtime transcription sessions", () => {
  it("replays the session through the SDK's realtime client, timed against the audio received", async () => {
    const { server, client, session } = await serve("librivox-0880");
    const rt = new OpenAIRealtimeWS({ model: "gpt-4o-transcribe", options: { ca: server.ca } }, client);
    const received: string[] = [];
    rt.on("error", () => undefined);
    rt.on("event", (event) => received.push(event.type));
    await new Promise((resolve) => rt.socket.once("open", resolve));
    rt.send(SESSION_UPDATE as never);
    // 200 ms at 24 kHz: the recording's first event (speech_started) is due only at 370 ms.
    rt.send({ type: "input_audio_buffer.append", audio: Buffer.alloc(48 * 200).toString("base64") });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(received).toEqual(["session.created", "session.updated"]);
    const completed = new Promise((resolve) => rt.on("conversation.item.input_audio_transcription.completed", resolve));
    rt.send({ type: "input_audio_buffer.append", audio: Buffer.alloc(48 * 2790).toString("base64") });
    rt.send({ type: "input_audio_buffer.commit" });
    await completed;
    expect(received).toContain("input_audio_buffer.speech_started");
    expect(server.connections[0]?.audioBytes).toBe(48 * 2990);
    expect(session.turns[0]?.messages.length).toBeGreaterThan(3);
    rt.close();
  });

  it("answers a commit of less than 100 ms with the service's commit_empty error, naming the client's event", async () => {
    const { server } = await serve("silence-3s");
    const { ws, next } = await rawRealtime(server);
    ws.send(JSON.stringify(SESSION_UPDATE));
    ws.send(JSON.stringify({ type: "input_audio_buffer.append", audio: Buffer.alloc(48 * 50).toString("base64") }));
    ws.send(JSON.stringify({ type: "input_audio_buffer.commit", event_id: "mine" }));
    const error = await next("error");
    expect(error["error"]).toMatchObject({ code: "input_audio_buffer_commit_empty", event_id: "mine" });
    ws.close();
  });

  it("notes protocol violations: audio before the session update, a binary frame, VAD other than recorded, an unknown event", async () => {
    const { server } = await serve("librivox-0880");
    const { ws, next } = await rawRealtime(server);
    ws.send(JSON.stringify({ type: "input_audio_buffer.append", audio: Buffer.alloc(480).toString("base64") }));
    ws.send(Buffer.from([1, 2, 3]));
    const update = structuredClone(SESSION_UPDATE);
    update.session.audio.input.turn_detection.silence_duration_ms = 800;
    ws.send(JSON.stringify(update));
    ws.send(JSON.stringify({ type: "response.create", event_id: "x" }));
    expect((await next("error"))["error"]).toMatchObject({ code: "invalid_value", event_id: "x" });
    expect(server.violations.join("\n")).toMatch(/before session.update/);
    expect(server.violations.join("\n")).toMatch(/binary frame/);
    expect(server.violations.join("\n")).toMatch(/silence_duration_ms 800/);
    expect(server.violations.join("\n")).toMatch(/unexpected client event response.create/);
    ws.close();
  });

  it("refuses upgrades without the key, for a model that is not a transcription model, or as the faults ask", async () => {
    const { server } = await serve("librivox-0880", { realtime: { refuseUpgrade: 429, connections: 1 } });
    const status = (url: string, key = KEY) =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(url, { ca: server.ca, headers: { Authorization: `Bearer ${key}` } });
        ws.on("unexpected-response", (_request, response) => {
          resolve(response.statusCode ?? 0);
          ws.terminate();
        });
        ws.on("open", () => {
          resolve(101);
          ws.terminate();
        });
        ws.on("error", () => undefined);
      });
    const base = `${server.baseURL.replace(/^https/, "wss")}/realtime`;
    expect(await status(`${base}?model=gpt-4o-transcribe`)).toBe(429);
    expect(await status(`${base}?model=gpt-4o-transcribe`, "sk-wrong")).toBe(401);
    expect(await status(`${base}?model=gpt-realtime`)).toBe(400);
    expect(await status(`${base}?model=whisper-1`)).toBe(101);
    expect(server.connections.map((connection) => connection.refusedWith)).toEqual([429, 401, 400, undefined]);
  });
});
