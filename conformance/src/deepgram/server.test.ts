import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { startDeepgramServer, type DeepgramServer } from "./server.js";
import { heardAfter, loadDeepgramSession, type RecordedDeepgramSession } from "./session-format.js";

const session = loadDeepgramSession("librivox-multi")._unsafeUnwrap();
const QUERY = "model=nova-3&language=en-US&encoding=linear16&sample_rate=16000&channels=1&interim_results=true";

let server: DeepgramServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function connect(url: string, key = "k"): Promise<{ socket: WebSocket; status?: number; closed: Promise<{ code: number; reason: string }>; messages: unknown[] }> {
  const socket = new WebSocket(url, { headers: { Authorization: `Token ${key}` } });
  const messages: unknown[] = [];
  socket.on("message", (data) => messages.push(JSON.parse(data.toString())));
  const closed = new Promise<{ code: number; reason: string }>((resolve) => socket.on("close", (code, reason) => resolve({ code, reason: reason.toString() })));
  return new Promise((resolve) => {
    socket.on("open", () => resolve({ socket, closed, messages }));
    socket.on("unexpected-response", (_request, response) => {
      response.resume();
      socket.terminate();
      resolve({ socket, status: response.statusCode ?? 0, closed, messages });
    });
    socket.on("error", () => undefined);
  });
}

describe("the local Deepgram server speaks the listen protocol", () => {
  it("refuses a wrong key with 401, an unknown parameter with 400 and reports it", async () => {
    server = await startDeepgramServer({ session, expectedKey: "k" });
    const ws = server.baseUrl.replace("http", "ws");
    expect((await connect(`${ws}/v1/listen?${QUERY}`, "wrong")).status).toBe(401);
    expect((await connect(`${ws}/v1/listen?${QUERY}&colour=blue`)).status).toBe(400);
    expect((await connect(`${ws}/v1/listen?model=nova-3&encoding=linear16&sample_rate=16000&keywords=x`)).status).toBe(400);
    expect(server.violations).toEqual(["connection #1: unknown query parameter colour", "connection #2: keywords with a Nova-3 model (Deepgram refuses them; use keyterm)"]);
  });

  it("closes an idle stream with 1011 NET-0001, and KeepAlive keeps it open", async () => {
    server = await startDeepgramServer({ session, expectedKey: "k", idleCloseMs: 300 });
    const ws = server.baseUrl.replace("http", "ws");
    const idle = await connect(`${ws}/v1/listen?${QUERY}`);
    expect(await idle.closed).toMatchObject({ code: 1011, reason: expect.stringContaining("NET-0001") });
    const kept = await connect(`${ws}/v1/listen?${QUERY}`);
    const timer = setInterval(() => kept.socket.send(JSON.stringify({ type: "KeepAlive" })), 100);
    await new Promise((resolve) => setTimeout(resolve, 700));
    clearInterval(timer);
    expect(kept.socket.readyState).toBe(WebSocket.OPEN);
    kept.socket.send(JSON.stringify({ type: "CloseStream" }));
    expect((await kept.closed).code).toBe(1000);
    // CloseStream without audio: the recording's closing answer, then a normal close.
    expect(kept.messages.some((message) => (message as { type: string }).type === "Metadata")).toBe(true);
  });

  it("replays the session as the audio arrives and reports audio after CloseStream", async () => {
    server = await startDeepgramServer({ session, expectedKey: "k" });
    const client = await connect(`${server.baseUrl.replace("http", "ws")}/v1/listen?${QUERY}`);
    client.socket.send(new Uint8Array(32_000 * 4));
    client.socket.send(JSON.stringify({ type: "CloseStream" }));
    client.socket.send(new Uint8Array(320));
    await client.closed;
    const types = client.messages.map((message) => (message as { type: string }).type);
    expect(types[0]).toBe("SpeechStarted");
    expect(types.at(-1)).toBe("Metadata");
    expect(server.violations).toEqual(["connection #0: audio after CloseStream"]);
  });

  it("a stream joining mid-recording hears only what follows its first audio", () => {
    const first = session.turns[0]!.messages.find((message) => message.type === "Results" && message["is_final"] === true)!;
    const end = ((first["start"] as number) + (first["duration"] as number)) * 1000;
    expect(heardAfter(first, end)).toBeUndefined();
    expect(heardAfter(first, 0)).toBe(first);
  });
});
