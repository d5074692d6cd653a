import * as sdk from "microsoft-cognitiveservices-speech-sdk";
import { WebsocketMessageAdapter } from "microsoft-cognitiveservices-speech-sdk/distrib/lib/src/common.browser/WebsocketMessageAdapter.js";
import { afterEach, describe, expect, it } from "vitest";
import { startAzureReplayServer, type AzureReplayServer, type RecordedAzureSession } from "@sttkit/conformance/azure";
import { TICKS_PER_MS } from "@sttkit/core/kit";
import { createAzureSpeechToText } from "./index.js";
import { speechSdkWebSocketClient, useWsClientInSpeechSdk } from "./sdk-websocket.js";

// These tests pin the SDK behaviour sdk-websocket.ts relies on. They run on every Node version CI
// runs (scripts/test-node-versions.sh): a future SDK that drops its `forceNpmWebSocket` switch, or
// stops honouring it, fails them on Node 22 and 24.

const KEY = "sdk-websocket-test-key";
const UNTHROTTLED = { "SPEECH-TransmitLengthBeforThrottleMs": "600000" };
const nodeMajor = Number(process.versions.node.split(".")[0]);

const SESSION: RecordedAzureSession = {
  format: "sttkit.recorded-session.v2",
  audio: { file: "generated", sha256: "", durationMs: 0 },
  provider: "azure",
  fixture: "sdk-websocket-test",
  source: { kind: "synthesized", description: "built by the Azure adapter's WebSocket client tests" },
  request: { language: "en-US", format: "simple" },
  turns: [
    {
      messages: [
        { path: "turn.start", atAudioMs: 0, body: { context: { serviceTag: "sdk-websocket-test" } } },
        { path: "speech.startDetected", atAudioMs: 150, body: { Offset: 100 * TICKS_PER_MS } },
        {
          path: "speech.phrase",
          atAudioMs: 900,
          body: { RecognitionStatus: "Success", DisplayText: "Hello there.", Offset: 100 * TICKS_PER_MS, Duration: 700 * TICKS_PER_MS },
        },
        { path: "speech.endDetected", atAudioMs: 900, body: { Offset: 800 * TICKS_PER_MS } },
        { path: "turn.end", atAudioMs: 1_000, afterEndOfAudio: true },
      ],
    },
  ],
};

const servers: AzureReplayServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve(): Promise<AzureReplayServer> {
  const server = await startAzureReplayServer({ session: SESSION, expectedKey: KEY });
  servers.push(server);
  return server;
}

const silence = new Uint8Array(32 * 1_000); // 1 s of 16 kHz 16-bit mono

/** Opens a stream through the adapter, sends 1 s of audio, and times the whole run. */
async function adapterRun(server: AzureReplayServer, apiKey: string) {
  const stt = createAzureSpeechToText({ host: server.host, apiKey, sdkProperties: UNTHROTTLED, reconnect: { maxAttempts: 0 } }, {})._unsafeUnwrap();
  const started = performance.now();
  const stream = stt.stream()._unsafeUnwrap();
  const reading = (async () => {
    for await (const event of stream) void event;
  })();
  for (let at = 0; at < silence.byteLength; at += 3_200) {
    if (stream.write(silence.subarray(at, at + 3_200)).isErr()) break;
  }
  const result = await stream.end();
  const elapsedMs = performance.now() - started;
  await stream.close();
  await reading;
  return { result, elapsedMs };
}

/** The raw SDK, connected once with the right key: enough for the server to see its upgrade request. */
async function rawSdkConnect(server: AzureReplayServer): Promise<void> {
  const config = sdk.SpeechConfig.fromHost(new URL(server.host), KEY);
  config.setProperty("SPEECH-TransmitLengthBeforThrottleMs", "600000");
  const push = sdk.AudioInputStream.createPushStream(sdk.AudioStreamFormat.getWaveFormatPCM(16_000, 16, 1));
  const recognizer = new sdk.SpeechRecognizer(config, sdk.AudioConfig.fromStreamInput(push));
  const stopped = new Promise<void>((resolve) => {
    recognizer.sessionStopped = () => resolve();
    recognizer.canceled = (_, event) => {
      if (event.reason === sdk.CancellationReason.Error) resolve();
    };
  });
  await new Promise<void>((resolve, reject) => recognizer.startContinuousRecognitionAsync(resolve, reject));
  push.write(silence.slice().buffer);
  push.close();
  await stopped;
  await new Promise<void>((resolve) => recognizer.close(resolve, () => resolve()));
  config.close();
}

describe(`the Speech SDK's WebSocket client (Node ${process.versions.node})`, () => {
  it("the SDK still has its static forceNpmWebSocket switch", () => {
    expect(typeof (WebsocketMessageAdapter as unknown as { forceNpmWebSocket?: unknown }).forceNpmWebSocket).toBe("boolean");
  });

  it("Node 22 and later have the built-in WebSocket the SDK would otherwise prefer", () => {
    expect(typeof (globalThis as { WebSocket?: unknown }).WebSocket).toBe(nodeMajor >= 22 ? "function" : "undefined");
  });

  it("the adapter makes the SDK dial with the ws package: the upgrade carries the headers only ws sends", async () => {
    const server = await serve();
    const { result } = await adapterRun(server, KEY);
    expect(result._unsafeUnwrap().text).toBe("Hello there.");
    expect(speechSdkWebSocketClient()).toBe("ws");
    expect(WebsocketMessageAdapter.forceNpmWebSocket).toBe(true);
    const connection = server.connections[0]!;
    expect(connection.headers["ocp-apim-subscription-key"]).toBe(KEY);
    expect(connection.headers["x-connectionid"]).toBe(connection.query["X-ConnectionId"]);
  });

  it("a wrong key (HTTP 401 on the upgrade) is an authentication error in under 2 s", async () => {
    const server = await serve();
    const { result, elapsedMs } = await adapterRun(server, "not-the-key");
    expect(result._unsafeUnwrapErr()).toMatchObject({ kind: "authentication", provider: "azure" });
    expect(result._unsafeUnwrapErr().detail).toContain("401");
    expect(server.connections.every((connection) => connection.refusedWith === 401)).toBe(true);
    expect(elapsedMs).toBeLessThan(2_000);
  });

  it("without the switch, the SDK picks the built-in WebSocket on Node 22+ (why the adapter sets it)", async () => {
    const server = await serve();
    const switchBefore = WebsocketMessageAdapter.forceNpmWebSocket;
    WebsocketMessageAdapter.forceNpmWebSocket = false;
    try {
      expect(speechSdkWebSocketClient()).toBe(nodeMajor >= 22 ? "native" : "ws");
      await rawSdkConnect(server);
    } finally {
      WebsocketMessageAdapter.forceNpmWebSocket = switchBefore;
    }
    // The built-in client sends none of the SDK's headers; the key still travels in the query.
    const headers = server.connections[0]!.headers;
    expect(headers["x-connectionid"] === undefined).toBe(nodeMajor >= 22);
    expect(useWsClientInSpeechSdk()).toBe("ws");
  });
});
