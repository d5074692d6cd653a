import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer, connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readWavFile } from "@sttkit/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadFixtures } from "../manifest/load.js";
import { loadAzureSession } from "./session-format.js";
import { recordCli } from "./record-cli.js";
import { startRecordingProxy } from "./recording-proxy.js";
import { recordFixtureSessions } from "./record-sessions.js";
import { startAzureReplayServer } from "./server.js";
import type { RecordedAzureSession } from "./session-format.js";

const KEY = "recorder-test-key";
let dir = "";
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "sttkit-record-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("the recorder (a proxy between the real SDK and the service)", () => {
  it("records what the service sends, where in the audio it sends it, through to a session file", async () => {
    const fixture = loadFixtures()._unsafeUnwrap().fixtures.find((f) => f.id === "librivox-multi");
    const original = loadAzureSession("librivox-multi")._unsafeUnwrap();
    // The replay server stands in for the service, replaying a known session.
    const service = await startAzureReplayServer({ session: original, expectedKey: KEY });
    try {
      const result = await recordFixtureSessions({ fixtures: [fixture!], outDir: dir, upstream: service.host, apiKey: KEY, env: {}, speed: 4 });
      expect(result._unsafeUnwrap()).toEqual([{ fixture: "librivox-multi", file: join(dir, "librivox-multi.json"), messages: original.turns[0]!.messages.length, phrases: 3 }]);
      const recorded = JSON.parse(await readFile(join(dir, "librivox-multi.json"), "utf8")) as RecordedAzureSession;
      expect(recorded.source.kind).toBe("service");
      expect(recorded.turns).toHaveLength(1);
      const got = recorded.turns[0]!.messages;
      const want = original.turns[0]!.messages;
      expect(got.map((m) => m.path)).toEqual(want.map((m) => m.path));
      expect(got.map((m) => m.body)).toEqual(want.map((m) => m.body));
      for (const [index, message] of got.entries()) {
        const expected = want[index]!;
        // A message due past the end of the audio can only go out after it.
        const dueAfterEnd = expected.afterEndOfAudio || expected.atAudioMs > fixture!.durationMs;
        expect(Boolean(message.afterEndOfAudio), `${message.path} #${index}`).toBe(Boolean(dueAfterEnd));
        // The service sends a message once it has the audio; the recording notes how much it had.
        if (!dueAfterEnd) expect(message.atAudioMs).toBeGreaterThanOrEqual(expected.atAudioMs);
      }
      // Every byte of the fixture went through the proxy to the service, with the key.
      const pcm = (await readWavFile(fixture!.audioPath))._unsafeUnwrap().pcm;
      expect(Buffer.from(service.pcmOf(service.connections[0]!)).equals(Buffer.from(pcm))).toBe(true);
      expect(service.violations).toEqual([]);
    } finally {
      await service.close();
    }
  });

  it("reports a key the service refuses as an authentication error, HTTP status in the detail", async () => {
    const fixture = loadFixtures()._unsafeUnwrap().fixtures.find((f) => f.id === "librivox-0880");
    const service = await startAzureReplayServer({ session: loadAzureSession("librivox-0880")._unsafeUnwrap(), expectedKey: "other" });
    try {
      const result = await recordFixtureSessions({ fixtures: [fixture!], outDir: dir, upstream: service.host, apiKey: KEY, env: {} });
      const error = result._unsafeUnwrapErr();
      expect(error.kind).toBe("authentication");
      expect(error.detail).toContain("401");
      expect(await recordCli(["--upstream", service.host, "--out", dir, "librivox-0880"], { AZURE_SPEECH_API_KEY: KEY })).toBe(2);
    } finally {
      await service.close();
    }
  });

  it("needs credentials, and says which, before connecting anywhere", async () => {
    const result = await recordFixtureSessions({ fixtures: [], outDir: dir, env: {} });
    expect(result._unsafeUnwrapErr()).toMatchObject({ kind: "authentication" });
    expect(result._unsafeUnwrapErr().message).toContain("AZURE_SPEECH_API_KEY");
    expect(await recordCli([], {})).toBe(2);
    expect(await recordCli(["no-such-fixture"], { AZURE_SPEECH_API_KEY: KEY, AZURE_SPEECH_REGION: "westeurope" })).toBe(2);
  });
});

/** Sends a raw WebSocket upgrade request with this request target; resolves with the status line. */
function upgradeStatus(proxyHost: string, target: string): Promise<string> {
  const { hostname, port } = new URL(proxyHost);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname, () => {
      socket.write(
        [
          `GET ${target} HTTP/1.1`,
          `Host: ${hostname}:${port}`,
          "Upgrade: websocket",
          "Connection: Upgrade",
          "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
          "Sec-WebSocket-Version: 13",
          "Ocp-Apim-Subscription-Key: the-client-key",
          "",
          "",
        ].join("\r\n"),
      );
    });
    let response = "";
    socket.on("data", (data) => {
      response += data.toString("latin1");
      // The status line is all the test needs: close at once rather than hold an open WebSocket.
      if (response.includes("\r\n")) socket.destroy();
    });
    socket.on("error", () => undefined);
    socket.on("close", () => resolve(response.split("\r\n")[0] ?? ""));
    socket.setTimeout(10_000, () => socket.destroy());
  });
}

describe("the recording proxy forwards only to its upstream", () => {
  it.each([
    ["a protocol-relative target naming another host", (other: string) => `//${other}/speech/recognition/conversation/cognitiveservices/v1?language=en-US`],
    ["an absolute URL naming another host", (other: string) => `ws://${other}/speech/recognition/conversation/cognitiveservices/v1?language=en-US`],
    ["a backslash the URL parser reads as a slash", (other: string) => `/\\${other}/speech/recognition/conversation/cognitiveservices/v1`],
    ["a path that is not a recognition endpoint", () => "/some/other/path?language=en-US"],
  ])("refuses %s, and connects nowhere with the key", async (_what, targetFor) => {
    // Another local service the client would like the key sent to, and the real upstream.
    const reached: string[] = [];
    const other = createServer((socket) => {
      reached.push("other");
      socket.destroy();
    });
    await new Promise<void>((resolve) => other.listen(0, "127.0.0.1", resolve));
    const otherAddress = other.address();
    const otherHost = `127.0.0.1:${typeof otherAddress === "object" && otherAddress ? otherAddress.port : 0}`;
    const upstream = await startAzureReplayServer({ session: loadAzureSession("librivox-0880")._unsafeUnwrap() });
    const proxy = await startRecordingProxy({ upstream: upstream.host, apiKey: "the-configured-key" });
    try {
      const status = await upgradeStatus(proxy.host, targetFor(otherHost));
      expect(status).toMatch(/^HTTP\/1\.1 4\d\d /);
      expect(reached).toEqual([]);
      expect(upstream.connections).toHaveLength(0);
    } finally {
      await proxy.close();
      await upstream.close();
      await new Promise((resolve) => other.close(resolve));
    }
  });

  it("forwards a recognition request to the upstream, with the configured key", async () => {
    const upstream = await startAzureReplayServer({ session: loadAzureSession("librivox-0880")._unsafeUnwrap(), expectedKey: "the-configured-key" });
    const proxy = await startRecordingProxy({ upstream: upstream.host, apiKey: "the-configured-key" });
    try {
      const status = await upgradeStatus(proxy.host, "/speech/recognition/conversation/cognitiveservices/v1?language=en-US&X-ConnectionId=0123456789abcdef0123456789abcdef");
      expect(status).toMatch(/^HTTP\/1\.1 101 /);
      expect(upstream.connections).toHaveLength(1);
      expect(upstream.connections[0]?.headers["ocp-apim-subscription-key"]).toBe("the-configured-key");
    } finally {
      await proxy.close();
      await upstream.close();
    }
  });
});
