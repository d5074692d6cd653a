import { createServer as createHttpServer, type IncomingMessage } from "node:http";
import { connect, type Socket } from "node:net";
import type { Duplex } from "node:stream";
import { describe, expect, it } from "vitest";
import type { SpeechToText } from "@sttkit/core";
import { startAzureReplayServer, type AzureReplayServer } from "../../../conformance/src/azure/server.js";
import { createAzureSpeechToText, type AzureConfig } from "./index.js";
import { validateAzureConfig } from "./validate-config.js";
import { checkHandlesAfterEach, expectedSegments, noise, runStream, segmentsOf, sessionOf } from "./synthetic-session.test-support.js";

const KEY = "proxy-test-key";
const UNTHROTTLED = { "SPEECH-TransmitLengthBeforThrottleMs": "600000" };
const USER = "proxy-user";
const PASSWORD = "pr0xy-s3cret-pa55";

const cleanups: Array<() => Promise<void>> = [];
checkHandlesAfterEach(cleanups);

/** A small HTTP CONNECT proxy: records each tunnel it was asked for, checks Basic credentials when given. */
interface ConnectProxy {
  readonly port: number;
  /** `host:port` of every CONNECT, and the Proxy-Authorization header it came with. */
  readonly tunnels: Array<{ readonly target: string; readonly authorization: string | undefined; readonly allowed: boolean }>;
}

async function startConnectProxy(credentials?: { readonly user: string; readonly password: string }): Promise<ConnectProxy> {
  const sockets = new Set<Socket | Duplex>();
  const tunnels: ConnectProxy["tunnels"] = [];
  const expected = credentials ? `Basic ${Buffer.from(`${credentials.user}:${credentials.password}`).toString("base64")}` : undefined;
  const server = createHttpServer((_, response) => response.writeHead(405).end());
  server.on("connect", (request: IncomingMessage, client: Duplex, head: Buffer) => {
    sockets.add(client);
    client.on("close", () => sockets.delete(client));
    client.on("error", () => undefined);
    const authorization = request.headers["proxy-authorization"];
    const allowed = expected === undefined || authorization === expected;
    tunnels.push({ target: request.url ?? "", authorization, allowed });
    if (!allowed) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const [host, port] = (request.url ?? "").split(":");
    const upstream = connect(Number(port), host ?? "", () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on("close", () => {
      sockets.delete(upstream);
      client.destroy();
    });
    upstream.on("error", () => client.destroy());
    client.on("close", () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanups.push(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const address = server.address();
  return { port: typeof address === "object" && address ? address.port : 0, tunnels };
}

async function serve(count: number): Promise<AzureReplayServer> {
  const server = await startAzureReplayServer({ session: sessionOf(count), expectedKey: KEY });
  cleanups.push(() => server.close());
  return server;
}

function adapter(server: AzureReplayServer, config: AzureConfig, env: Record<string, string> = {}): SpeechToText {
  return createAzureSpeechToText({ host: server.host, apiKey: KEY, sdkProperties: UNTHROTTLED, reconnect: { maxAttempts: 0 }, ...config }, env)._unsafeUnwrap();
}

function targetOf(server: AzureReplayServer): string {
  return new URL(server.host).host;
}

describe("the SDK reaches the service through an HTTP proxy (ws client)", () => {
  it("a configured proxy with credentials carries every connection; the proxy checks Proxy-Authorization", async () => {
    const proxy = await startConnectProxy({ user: USER, password: PASSWORD });
    const server = await serve(3);
    const { result, events } = await runStream(adapter(server, { proxy: { host: "127.0.0.1", port: proxy.port, username: USER, password: PASSWORD } }), 3_000);
    expect(result._unsafeUnwrap().segments.map(({ text, startMs, endMs }) => ({ text, startMs, endMs }))).toEqual(expectedSegments(3));
    expect(segmentsOf(events)).toEqual(expectedSegments(3));
    // Every connection the double saw came through a tunnel the proxy allowed, to the double.
    expect(proxy.tunnels.length).toBeGreaterThanOrEqual(server.connections.length);
    expect(proxy.tunnels.every((tunnel) => tunnel.allowed && tunnel.target === targetOf(server))).toBe(true);
    expect(server.connections.length).toBeGreaterThan(0);
  });

  it("a proxy without credentials works too, and no Proxy-Authorization is sent", async () => {
    const proxy = await startConnectProxy();
    const server = await serve(2);
    const { result } = await runStream(adapter(server, { proxy: { host: "127.0.0.1", port: proxy.port } }), 2_000);
    expect(result._unsafeUnwrap().segments).toHaveLength(2);
    expect(proxy.tunnels.length).toBeGreaterThan(0);
    expect(proxy.tunnels.every((tunnel) => tunnel.authorization === undefined)).toBe(true);
  });

  it("a wrong proxy password is an authentication error that never echoes the password", async () => {
    const proxy = await startConnectProxy({ user: USER, password: PASSWORD });
    const server = await serve(1);
    const wrong = "wr0ng-pa55w0rd-xyz";
    const { result, events } = await runStream(adapter(server, { proxy: { host: "127.0.0.1", port: proxy.port, username: USER, password: wrong } }), 1_000);
    const error = result._unsafeUnwrapErr();
    expect(error).toMatchObject({ kind: "authentication", provider: "azure" });
    expect(error.message).toContain("407");
    expect(server.connections).toEqual([]);
    expect(proxy.tunnels.some((tunnel) => !tunnel.allowed)).toBe(true);
    const everything = JSON.stringify({ message: error.message, detail: error.detail, events });
    expect(everything).not.toContain(wrong);
    expect(everything).not.toContain(Buffer.from(`${USER}:${wrong}`).toString("base64"));
  });

  it("an unreachable proxy is a connection error that never echoes the password", async () => {
    const closed = await startConnectProxy();
    const port = closed.port;
    await cleanups.pop()?.();
    const server = await serve(1);
    const { result, events } = await runStream(adapter(server, { proxy: { host: "127.0.0.1", port, username: USER, password: PASSWORD }, connectTimeoutMs: 3_000 }), 500);
    const error = result._unsafeUnwrapErr();
    expect(["connection", "timeout"]).toContain(error.kind);
    expect(JSON.stringify({ message: error.message, detail: error.detail, events })).not.toContain(PASSWORD);
  });

  it('proxy: "env" takes HTTP_PROXY (with credentials) for a ws:// host, and NO_PROXY exempts it', async () => {
    const proxy = await startConnectProxy({ user: USER, password: PASSWORD });
    const server = await serve(2);
    const env = { HTTP_PROXY: `http://${USER}:${encodeURIComponent(PASSWORD)}@127.0.0.1:${proxy.port}` };
    const { result } = await runStream(adapter(server, { proxy: "env" }, env), 2_000);
    expect(result._unsafeUnwrap().segments).toHaveLength(2);
    expect(proxy.tunnels.length).toBeGreaterThan(0);
    expect(proxy.tunnels.every((tunnel) => tunnel.allowed)).toBe(true);

    const tunnelsBefore = proxy.tunnels.length;
    const exempt = await runStream(adapter(server, { proxy: "env" }, { ...env, NO_PROXY: "localhost,127.0.0.1" }), 2_000);
    expect(exempt.result._unsafeUnwrap().segments).toHaveLength(2);
    expect(proxy.tunnels.length).toBe(tunnelsBefore);
  });
});

describe("proxy and transcribe()", () => {
  it("behind a proxy, transcribe() goes through a real-time stream, through the proxy; fast transcription is refused", async () => {
    const proxy = await startConnectProxy();
    const server = await serve(2);
    const stt = adapter(server, { proxy: { host: "127.0.0.1", port: proxy.port } });
    const pcm = noise(2_000 * 32, 7);
    const transcript = await stt.transcribe({ pcm, format: { sampleRate: 16_000, channels: 1, bitsPerSample: 16 } });
    expect(transcript._unsafeUnwrap().route).toMatchObject({ method: "stream", reason: expect.stringContaining("azure.proxy") });
    expect(server.fastRequests).toEqual([]);
    expect(proxy.tunnels.length).toBeGreaterThan(0);
    const refused = createAzureSpeechToText({ host: server.host, apiKey: KEY, proxy: { host: "127.0.0.1", port: proxy.port }, transcribeWith: "fast" }, {});
    expect(refused._unsafeUnwrapErr()).toMatchObject({ kind: "invalid-argument", argument: "azure.transcribeWith" });
  });
});

describe("proxy settings", () => {
  const region = { apiKey: "k", region: "westeurope" };
  const proxyOf = (settings: object, env: Record<string, string> = {}) => validateAzureConfig({ ...region, ...settings }, env)._unsafeUnwrap().proxy;

  it("a configured proxy is used as given; none by default, whatever the environment says", () => {
    expect(proxyOf({ proxy: { host: "proxy.corp", port: 3128, username: "u", password: " p " } })).toEqual({ host: "proxy.corp", port: 3128, username: "u", password: " p " });
    expect(proxyOf({}, { HTTPS_PROXY: "http://proxy.corp:3128" })).toBeUndefined();
  });

  it('"env" reads HTTPS_PROXY for the public cloud (wss), lower-case too, with default port 80 and decoded credentials', () => {
    expect(proxyOf({ proxy: "env" }, { HTTPS_PROXY: "http://u%40corp:p%3Aw@proxy.corp:8080" })).toEqual({ host: "proxy.corp", port: 8080, username: "u@corp", password: "p:w" });
    expect(proxyOf({ proxy: "env" }, { https_proxy: "proxy.corp" })).toEqual({ host: "proxy.corp", port: 80 });
    expect(proxyOf({ proxy: "env" }, { HTTP_PROXY: "http://proxy.corp:8080" })).toBeUndefined();
    expect(proxyOf({ proxy: "env" }, {})).toBeUndefined();
  });

  it.each([
    ["*", true],
    ["speech.microsoft.com", true],
    [".speech.microsoft.com", true],
    ["*.stt.speech.microsoft.com", true],
    ["westeurope.stt.speech.microsoft.com:443", true],
    ["westeurope.stt.speech.microsoft.com:8443", false],
    ["microsoft.co", false],
    ["other.example, 10.0.0.1", false],
  ])("NO_PROXY=%s exempts the westeurope service: %s", (noProxy, exempt) => {
    const proxy = proxyOf({ proxy: "env" }, { HTTPS_PROXY: "http://proxy.corp:3128", NO_PROXY: noProxy });
    expect(proxy === undefined).toBe(exempt);
  });

  it.each([
    [{ proxy: "yes" }, "azure.proxy"],
    [{ proxy: { host: "p" } }, "azure.proxy"],
    [{ proxy: { host: "p", port: 0 } }, "azure.proxy.port"],
    [{ proxy: { host: "p", port: 3128, password: PASSWORD } }, "azure.proxy"],
    [{ proxy: { host: "p", port: 3128, user: "u" } }, "azure.proxy.user"],
  ])("rejects %j without echoing a password", (settings, argument) => {
    const error = validateAzureConfig({ ...region, ...settings }, {})._unsafeUnwrapErr();
    expect(error).toMatchObject({ kind: "invalid-argument", argument });
    expect(JSON.stringify(error)).not.toContain(PASSWORD);
  });

  it.each([
    ["https://u:" + PASSWORD + "@proxy.corp:443", "http:// only"],
    ["http://u:" + PASSWORD + "@[bad", "not a proxy URL"],
  ])("an unusable HTTPS_PROXY (%s) is an invalid-argument error naming the variable, not its value", (value, why) => {
    const error = validateAzureConfig({ ...region, proxy: "env" }, { HTTPS_PROXY: value })._unsafeUnwrapErr();
    expect(error).toMatchObject({ kind: "invalid-argument", argument: "azure.proxy" });
    expect(error.message).toContain("HTTPS_PROXY");
    expect(error.message).toContain(why);
    expect(JSON.stringify(error)).not.toContain(PASSWORD);
  });
});
