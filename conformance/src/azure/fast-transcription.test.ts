import { request as httpRequest } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { startAzureReplayServer, type AzureReplayServer } from "./server.js";
import { loadAzureSession } from "./session-format.js";
import { definitionProblems } from "./fast-transcription.js";

const KEY = "double-test-key";
const BOUNDARY = "test-boundary-1234";
const session = loadAzureSession("librivox-0880")._unsafeUnwrap();

let server: AzureReplayServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function body(definition: string, audio: Buffer = Buffer.from("RIFF....WAVEfmt audio bytes")): Buffer {
  return Buffer.concat([
    Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="definition"\r\nContent-Type: application/json\r\n\r\n${definition}\r\n`),
    Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="audio"; filename="a.wav"\r\nContent-Type: audio/wav\r\n\r\n`),
    audio,
    Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
  ]);
}

/** Posts `payload` in chunks of `chunkBytes` (1: every byte on its own), returning the status and parsed body. */
async function post(payload: Buffer, options: { path?: string; headers?: Record<string, string>; chunkBytes?: number } = {}): Promise<{ status: number; body: unknown; retryAfter?: string }> {
  const url = new URL(options.path ?? "/speechtotext/transcriptions:transcribe?api-version=2024-11-15", (server as AzureReplayServer).origin);
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: "POST", headers: { "content-type": `multipart/form-data; boundary=${BOUNDARY}`, "ocp-apim-subscription-key": KEY, ...options.headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString("utf8")) as unknown, ...(res.headers["retry-after"] ? { retryAfter: res.headers["retry-after"] } : {}) }));
    });
    req.on("error", reject);
    const step = options.chunkBytes ?? payload.length;
    for (let at = 0; at < payload.length; at += step) req.write(payload.subarray(at, at + step));
    req.end();
  });
}

describe("the double's fast transcription endpoint", () => {
  it("reads a body split anywhere (byte by byte) and answers with the recorded answer", async () => {
    server = await startAzureReplayServer({ session, expectedKey: KEY });
    const audio = Buffer.alloc(5_000, 7);
    const answer = await post(body('{"locales":["en-US"]}', audio), { chunkBytes: 1 });
    expect(answer).toEqual({ status: 200, body: session.batch?.body });
    const [observed] = server.fastRequests;
    expect(observed?.audioBytes).toBe(5_000);
    expect(observed?.definition).toEqual({ locales: ["en-US"] });
    expect(observed?.parts.map((part) => [part.name, part.filename, part.contentType])).toEqual([
      ["definition", undefined, "application/json"],
      ["audio", "a.wav", "audio/wav"],
    ]);
  });

  it("answers the service's errors: 400 for a bad api-version or definition, 415 for another body type, 401 without the key, 404 elsewhere", async () => {
    server = await startAzureReplayServer({ session, expectedKey: KEY });
    const badVersion = await post(body("{}"), { path: "/speechtotext/transcriptions:transcribe?api-version=2020-01-01" });
    expect(badVersion.status).toBe(400);
    expect(badVersion.body).toMatchObject({ code: "InvalidRequest" });
    expect((await post(body('{"locales":"en-US"}'))).status).toBe(400);
    expect((await post(body('{"locale":["en-US"]}'))).status).toBe(400);
    expect((await post(body("not json"))).status).toBe(400);
    expect((await post(body("{}"), { headers: { "content-type": "application/json" } })).status).toBe(415);
    const unauthorized = await post(body("{}"), { headers: { "ocp-apim-subscription-key": "other" } });
    expect(unauthorized).toMatchObject({ status: 401, body: { error: { code: "401" } } });
    expect((await post(body("{}"), { path: "/speechtotext/other" })).status).toBe(404);
    const cut = body("{}").subarray(0, 150);
    expect((await post(cut)).status).toBe(400);
    expect(server.fastRequests.every((request) => request.problems.length > 0)).toBe(true);
    // Protocol problems are the server's violations (a conformance scenario fails on them); a refused key is not.
    expect(server.violations).toHaveLength(server.fastRequests.length - 1);
    expect(server.violations.join("\n")).toMatch(/api-version/);
  });

  it("injects faults: a status with Retry-After for 429", async () => {
    server = await startAzureReplayServer({ session, expectedKey: KEY, faults: { fastTranscription: { status: 429, retryAfterSeconds: 3 } } });
    expect(await post(body("{}"))).toMatchObject({ status: 429, retryAfter: "3", body: { error: { code: "429" } } });
  });

  it("checks every definition field of api-version 2024-11-15", () => {
    expect(definitionProblems({ locales: ["en-US", "de-DE"], profanityFilterMode: "Masked", diarization: { enabled: true, maxSpeakers: 4 }, channels: [0, 1], phraseList: { phrases: ["Contoso"] } })).toEqual([]);
    expect(definitionProblems({ profanityFilterMode: "masked" })).toHaveLength(1);
    expect(definitionProblems({ diarization: { enabled: true, maxSpeakers: 1 } })).toHaveLength(1);
    expect(definitionProblems({ diarization: true })).toHaveLength(1);
    expect(definitionProblems({ channels: [2] })).toHaveLength(1);
    expect(definitionProblems({ phraseList: { phrases: [""] } })).toHaveLength(1);
    expect(definitionProblems([])).toHaveLength(1);
  });
});
