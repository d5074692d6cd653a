import { afterEach, describe, expect, it } from "vitest";
import { Language, type SpeechEvent, type SttError, type TranscriptSegment } from "@sttkit/core";
import { loadFixtures, type ResolvedFixture } from "../../../../conformance/src/manifest/load.js";
import { startAzureReplayServer, type AzureReplayServer } from "../../../../conformance/src/azure/server.js";
import { loadAzureSession, type RecordedAzureSession } from "../../../../conformance/src/azure/session-format.js";
import type { AzureFaults } from "../../../../conformance/src/azure/faults.js";
import { countOpenHandles, settleHandles } from "../../../../conformance/src/suite/open-handles.js";
import { createAzureSpeechToText, type AzureConfig } from "../index.js";
import { SecretRedactor } from "@sttkit/core/kit";
import { errorFromAnswer } from "./http-errors.js";

const KEY = "fast-test-key-0123456789";
const fixtures = loadFixtures()._unsafeUnwrap().fixtures;
const fixture = (id: string): ResolvedFixture => fixtures.find((f) => f.id === id) as ResolvedFixture;

interface RecordedPhrase {
  readonly offsetMilliseconds: number;
  readonly durationMilliseconds: number;
  readonly text: string;
  readonly confidence: number;
  readonly locale: string;
  readonly words: ReadonlyArray<{ readonly text: string; readonly offsetMilliseconds: number; readonly durationMilliseconds: number }>;
  readonly speaker?: number;
}

function phrasesOf(session: RecordedAzureSession): RecordedPhrase[] {
  return (session.batch?.body as { phrases: RecordedPhrase[] }).phrases;
}

let servers: AzureReplayServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((server) => server.close()));
  servers = [];
});

async function serve(session: RecordedAzureSession, options: { faults?: AzureFaults; maxUploadBytes?: number } = {}): Promise<AzureReplayServer> {
  const server = await startAzureReplayServer({ session, expectedKey: KEY, ...options });
  servers.push(server);
  return server;
}

function adapter(server: AzureReplayServer, config: AzureConfig = {}) {
  return createAzureSpeechToText({ host: server.host, apiKey: KEY, sdkProperties: { "SPEECH-TransmitLengthBeforThrottleMs": "600000" }, ...config }, {})._unsafeUnwrap();
}

describe("transcribe() through the fast transcription API, against the local double", () => {
  it.each(fixtures.map((f) => [f.id, f] as const))("%s: one multipart request, the recorded phrases as segments", async (_id, current) => {
    const session = loadAzureSession(current.id)._unsafeUnwrap();
    const server = await serve(session);
    const events: SpeechEvent[] = [];
    const result = await adapter(server).transcribe({ path: current.audioPath }, { onEvent: (event) => events.push(event) });
    const transcript = result._unsafeUnwrap();
    const expected = phrasesOf(session).map((phrase) => ({
      text: phrase.text,
      startMs: phrase.offsetMilliseconds,
      endMs: phrase.offsetMilliseconds + phrase.durationMilliseconds,
      language: phrase.locale,
      confidence: phrase.confidence,
    }));
    expect(transcript.segments).toEqual(expected);
    expect(transcript.text).toBe(expected.map((segment) => segment.text).join(" "));
    expect(transcript.route).toEqual({ method: "file" });
    expect(transcript.audioSeconds).toBeCloseTo(current.durationMs / 1000, 1);
    expect(events.filter((event) => event.type === "final").map((event) => (event as { segment: TranscriptSegment }).segment)).toEqual(transcript.segments);
    expect(events.at(-1)?.type).toBe("usage");
    // The request, as the service sees it: no recognition WebSocket at all.
    expect(server.connections).toHaveLength(0);
    const [request] = server.fastRequests;
    expect(server.fastRequests).toHaveLength(1);
    expect(request?.problems).toEqual([]);
    expect(request?.query).toEqual({ "api-version": "2024-11-15" });
    expect(request?.headers["ocp-apim-subscription-key"]).toBe(KEY);
    expect(request?.parts.map((part) => part.name)).toEqual(["definition", "audio"]);
    expect(request?.definition).toEqual({ locales: ["en-US"] });
    // The fixture's file, byte for byte (its header is canonical).
    expect(request?.audioSha256).toBe(session.audio.sha256);
  });

  it("passes the definition's fields through: locales, profanity, diarization, phrase list", async () => {
    const server = await serve(loadAzureSession("librivox-0880")._unsafeUnwrap());
    const stt = adapter(server, { profanity: "raw", diarization: true, fastTranscription: { maxSpeakers: 3 }, phrases: ["Dashwood"] });
    await stt.transcribe({ path: fixture("librivox-0880").audioPath }, { language: [Language.EN_US, Language.DE_DE], phrases: ["Norland"] });
    expect(server.fastRequests[0]?.definition).toEqual({
      locales: ["en-US", "de-DE"],
      profanityFilterMode: "None",
      diarization: { enabled: true, maxSpeakers: 3 },
      phraseList: { phrases: ["Dashwood", "Norland"] },
    });
    expect(server.fastRequests[0]?.problems).toEqual([]);
  });

  it("maps words (display form) when asked, and speakers numbered from 0 in order of speaking", async () => {
    const session = loadAzureSession("librivox-multi")._unsafeUnwrap();
    const recorded = phrasesOf(session);
    // The service numbers speakers from 1 in no particular order.
    const diarized: RecordedAzureSession = { ...session, batch: { status: 200, body: { ...(session.batch?.body as object), phrases: recorded.map((phrase, index) => ({ ...phrase, speaker: [2, 1, 2][index] })) } } };
    const server = await serve(diarized);
    const transcript = (await adapter(server, { diarization: true }).transcribe({ path: fixture("librivox-multi").audioPath }, { wordTimings: true }))._unsafeUnwrap();
    expect(transcript.segments.map((segment) => segment.speaker)).toEqual([0, 1, 0]);
    const first = transcript.segments[0];
    expect(first?.words?.[0]).toEqual({ text: recorded[0]?.words[0]?.text, startMs: recorded[0]?.words[0]?.offsetMilliseconds, endMs: (recorded[0]?.words[0]?.offsetMilliseconds ?? 0) + (recorded[0]?.words[0]?.durationMilliseconds ?? 0), speaker: 0 });
    expect(first?.words?.map((word) => word.text).join(" ")).toBe(first?.text);
    expect(transcript.segments[1]?.words?.every((word) => word.speaker === 1)).toBe(true);
  });

  it("a stereo file is transcribed channel by channel: each segment says its channel", async () => {
    const current = fixture("librivox-0880");
    const session = loadAzureSession(current.id)._unsafeUnwrap();
    const [phrase] = phrasesOf(session);
    // The service's answer with channels: one phrase per channel, the second party later.
    const later = { ...phrase, offsetMilliseconds: (phrase?.offsetMilliseconds ?? 0) + 500, text: "Second channel.", channel: 1 };
    const stereoSession: RecordedAzureSession = { ...session, batch: { status: 200, body: { ...(session.batch?.body as object), phrases: [later, { ...phrase, channel: 0 }] } } };
    const server = await serve(stereoSession);
    const { readFile } = await import("node:fs/promises");
    const mono = new Uint8Array(await readFile(current.audioPath)).subarray(44);
    const stereo = new Uint8Array(mono.byteLength * 2);
    for (let at = 0; at + 1 < mono.byteLength; at += 2) {
      stereo.set(mono.subarray(at, at + 2), at * 2);
      stereo.set(mono.subarray(at, at + 2), at * 2 + 2);
    }
    const transcript = (await adapter(server).transcribe({ pcm: stereo, format: { sampleRate: 16_000, channels: 2, bitsPerSample: 16 } }))._unsafeUnwrap();
    expect(server.fastRequests[0]?.definition).toEqual({ locales: ["en-US"], channels: [0, 1] });
    expect(transcript.segments.map((segment) => [segment.channel, segment.text])).toEqual([
      [0, phrase?.text],
      [1, "Second channel."],
    ]);
    expect(transcript.route).toEqual({ method: "file" });
    // Real-time recognition takes mono only: a stereo stream is mixed down by the shared stream.
    const mixed = adapter(server).stream({ format: { sampleRate: 16_000, channels: 2, bitsPerSample: 16 } })._unsafeUnwrap();
    expect(mixed.conversion?.to).toEqual({ sampleRate: 16_000, channels: 1, bitsPerSample: 16 });
    await mixed.close();
  });

  it("sends bytes and PCM in memory as a WAV file too", async () => {
    const current = fixture("librivox-0880");
    const session = loadAzureSession(current.id)._unsafeUnwrap();
    const server = await serve(session);
    const { readFile } = await import("node:fs/promises");
    const bytes = new Uint8Array(await readFile(current.audioPath));
    const fromBytes = (await adapter(server).transcribe(bytes))._unsafeUnwrap();
    const fromPcm = (await adapter(server).transcribe({ pcm: bytes.subarray(44), format: { sampleRate: 16_000, channels: 1, bitsPerSample: 16 } }))._unsafeUnwrap();
    expect(fromBytes.text).toBe(phrasesOf(session)[0]?.text);
    expect(fromPcm.text).toBe(fromBytes.text);
    expect(server.fastRequests.map((request) => request.audioSha256)).toEqual([session.audio.sha256, session.audio.sha256]);
  });
});

describe("fast transcription of a pipe", () => {
  it("a file whose size is not known in advance (a FIFO) is sent chunked, with no Content-Length", async () => {
    const { execFileSync } = await import("node:child_process");
    const { mkdtemp, readFile, rm, writeFile } = await import("node:fs/promises");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const current = fixture("librivox-0880");
    const session = loadAzureSession(current.id)._unsafeUnwrap();
    const server = await serve(session);
    const directory = await mkdtemp(join(tmpdir(), "sttkit-fast-fifo-"));
    try {
      const fifo = join(directory, "audio.wav");
      execFileSync("mkfifo", [fifo]);
      const bytes = await readFile(current.audioPath);
      const writing = writeFile(fifo, bytes);
      const transcript = (await adapter(server).transcribe({ path: fifo }))._unsafeUnwrap();
      await writing;
      expect(transcript.route).toEqual({ method: "file" });
      expect(transcript.text).toBe(phrasesOf(session)[0]?.text);
      const [request] = server.fastRequests;
      expect(request?.headers["content-length"]).toBeUndefined();
      expect(request?.headers["transfer-encoding"]).toBe("chunked");
      // The samples as read, behind a header that says their size is unknown.
      expect(request?.audioBytes).toBe(bytes.byteLength);
      expect(request?.problems).toEqual([]);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});

describe("fast transcription errors", () => {
  const cases: Array<[number, SttError["kind"]]> = [
    [400, "bad-request"],
    [401, "authentication"],
    [403, "forbidden"],
    [413, "bad-request"],
    [415, "bad-request"],
    [429, "rate-limit"],
    [500, "connection"],
  ];
  it.each(cases)("HTTP %i from the service is a %s error, with the service's detail and without the key", async (status, kind) => {
    const server = await serve(loadAzureSession("librivox-0880")._unsafeUnwrap(), { faults: { fastTranscription: { status, retryAfterSeconds: 7 } } });
    const error = (await adapter(server).transcribe({ path: fixture("librivox-0880").audioPath }))._unsafeUnwrapErr();
    expect(error).toMatchObject({ kind, provider: "azure" });
    expect(error.detail).toMatch(/\S/);
    if (status === 429) expect(error).toMatchObject({ retryAfterMs: 7_000, retryable: true });
    expect(JSON.stringify(error)).not.toContain(KEY);
  });

  it("a wrong key is an authentication error that does not echo the key; so is a wrong token", async () => {
    const server = await serve(loadAzureSession("librivox-0880")._unsafeUnwrap());
    const wrongKey = "wrong-key-abcdefghijklmnop";
    const byKey = (await adapter(server, { apiKey: wrongKey }).transcribe({ path: fixture("librivox-0880").audioPath }))._unsafeUnwrapErr();
    expect(byKey.kind).toBe("authentication");
    expect(JSON.stringify(byKey)).not.toContain(wrongKey);
    const token = "wrong-token-abcdefghijklmnop";
    const stt = createAzureSpeechToText({ host: server.host, authorizationToken: token }, {})._unsafeUnwrap();
    const byToken = (await stt.transcribe({ path: fixture("librivox-0880").audioPath }))._unsafeUnwrapErr();
    expect(byToken.kind).toBe("authentication");
    expect(server.fastRequests[1]?.headers["authorization"]).toBe(`Bearer ${token}`);
    expect(JSON.stringify(byToken)).not.toContain(token);
  });

  it("a key the service echoes in its error body is redacted", () => {
    const error = errorFromAnswer(400, JSON.stringify({ code: "InvalidRequest", message: `key ${KEY} is not valid here` }), null, new SecretRedactor([KEY]));
    expect(error.kind).toBe("bad-request");
    expect(error.detail).toContain("InvalidRequest");
    expect(JSON.stringify(error)).not.toContain(KEY);
  });

  it("a service that does not answer is a timeout error after azure.fastTranscription.responseTimeoutMs", async () => {
    const server = await serve(loadAzureSession("librivox-0880")._unsafeUnwrap(), { faults: { fastTranscription: { delayMs: 60_000 } } });
    const error = (await adapter(server, { fastTranscription: { responseTimeoutMs: 300 } }).transcribe({ path: fixture("librivox-0880").audioPath }))._unsafeUnwrapErr();
    expect(error).toMatchObject({ kind: "timeout", timeoutMs: 300, retryable: true });
  });

  it("a slow service that answers within the timeout is waited for", async () => {
    const server = await serve(loadAzureSession("librivox-0880")._unsafeUnwrap(), { faults: { fastTranscription: { delayMs: 200 } } });
    const result = await adapter(server, { fastTranscription: { responseTimeoutMs: 30_000 } }).transcribe({ path: fixture("librivox-0880").audioPath });
    expect(result._unsafeUnwrap().segments).toHaveLength(1);
  });

  it("an upload the service finds too large (413) is a bad-request error", async () => {
    const server = await serve(loadAzureSession("librivox-0880")._unsafeUnwrap(), { maxUploadBytes: 10_000 });
    const error = (await adapter(server).transcribe({ path: fixture("librivox-0880").audioPath }))._unsafeUnwrapErr();
    expect(error.kind).toBe("bad-request");
    expect(server.fastRequests[0]?.status).toBe(413);
  });

  it("an unreachable service is a connection error", async () => {
    const server = await serve(loadAzureSession("librivox-0880")._unsafeUnwrap());
    const host = server.host;
    await server.close();
    const error = (await createAzureSpeechToText({ host, apiKey: KEY }, {})._unsafeUnwrap().transcribe({ path: fixture("librivox-0880").audioPath }))._unsafeUnwrapErr();
    expect(error.kind).toBe("connection");
    expect(JSON.stringify(error)).not.toContain(KEY);
  });
});

describe("fast transcription: cancel", () => {
  it("aborting the signal while the service works aborts the request and releases the file", async () => {
    const baseline = countOpenHandles();
    const server = await serve(loadAzureSession("librivox-0880")._unsafeUnwrap(), { faults: { fastTranscription: { delayMs: 60_000 } } });
    const controller = new AbortController();
    const pending = adapter(server).transcribe({ path: fixture("librivox-0880").audioPath }, { signal: controller.signal });
    // Abort once the service has the whole upload.
    while (server.fastRequests[0]?.audioSha256 === undefined) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();
    expect((await pending)._unsafeUnwrapErr().kind).toBe("aborted");
    await server.close();
    expect(await settleHandles(baseline)).toEqual({});
  });

  it("an already aborted signal sends nothing", async () => {
    const server = await serve(loadAzureSession("librivox-0880")._unsafeUnwrap());
    const controller = new AbortController();
    controller.abort();
    const error = (await adapter(server).transcribe({ path: fixture("librivox-0880").audioPath }, { signal: controller.signal }))._unsafeUnwrapErr();
    expect(error.kind).toBe("aborted");
    expect(server.fastRequests).toHaveLength(0);
  });
});

describe("which way transcribe() goes", () => {
  it("a file over the fast API's limits goes through a real-time stream, the reason in the transcript", async () => {
    const current = fixture("librivox-0880");
    const server = await serve(loadAzureSession(current.id)._unsafeUnwrap());
    const bySize = (await adapter(server, { fastTranscription: { maxUploadBytes: 1_024 } }).transcribe({ path: current.audioPath }))._unsafeUnwrap();
    expect(bySize.route?.method).toBe("stream");
    expect(bySize.route?.reason).toMatch(/maxUploadBytes/);
    const byLength = (await adapter(server, { fastTranscription: { maxAudioSeconds: 1 } }).transcribe({ path: current.audioPath }))._unsafeUnwrap();
    expect(byLength.route?.reason).toMatch(/maxAudioSeconds/);
    expect(server.fastRequests).toHaveLength(0);
    expect(server.connections.length).toBeGreaterThan(0);
    // The same recognition, through the other path.
    expect(bySize.text).toBe(phrasesOf(loadAzureSession(current.id)._unsafeUnwrap())[0]?.text);
  });

  it("a service with no fast transcription API (HTTP 404, a Speech container) gets the file through a stream", async () => {
    const current = fixture("librivox-0880");
    const session = loadAzureSession(current.id)._unsafeUnwrap();
    const server = await serve(session, { faults: { fastTranscription: { status: 404 } } });
    const usage: SpeechEvent[] = [];
    const transcript = (await adapter(server).transcribe({ path: current.audioPath }, { onEvent: (event) => event.type === "usage" && usage.push(event) }))._unsafeUnwrap();
    expect(transcript.route?.method).toBe("stream");
    expect(transcript.route?.reason).toMatch(/HTTP 404/);
    expect(transcript.text).toBe(phrasesOf(session)[0]?.text);
    expect(server.fastRequests).toHaveLength(1);
    expect(server.connections.length).toBeGreaterThan(0);
    // One usage event, the stream's: the failed request reports none of its own.
    expect(usage).toHaveLength(1);
  });

  it('azure.transcribeWith "realtime" streams; a custom model (endpointId) streams by default and refuses "fast"', async () => {
    const current = fixture("librivox-0880");
    const server = await serve(loadAzureSession(current.id)._unsafeUnwrap());
    const realtime = (await adapter(server, { transcribeWith: "realtime" }).transcribe({ path: current.audioPath }))._unsafeUnwrap();
    expect(realtime.route).toEqual({ method: "stream", reason: 'azure.transcribeWith is "realtime"' });
    const custom = (await adapter(server, { endpointId: "my-model" }).transcribe({ path: current.audioPath }))._unsafeUnwrap();
    expect(custom.route?.method).toBe("stream");
    expect(custom.route?.reason).toMatch(/endpointId/);
    expect(server.fastRequests).toHaveLength(0);
    expect(createAzureSpeechToText({ host: server.host, endpointId: "my-model", transcribeWith: "fast" }, {})._unsafeUnwrapErr()).toMatchObject({
      kind: "invalid-argument",
      argument: "azure.transcribeWith",
    });
    expect(createAzureSpeechToText({ host: server.host, transcribeWith: "quick" as never }, {})._unsafeUnwrapErr().kind).toBe("invalid-argument");
  });
});
