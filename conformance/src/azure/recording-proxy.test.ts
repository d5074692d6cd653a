import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readWavFile } from "@sttkit/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadFixtures } from "../manifest/load.js";
import { loadAzureSession } from "./session-format.js";
import { recordCli } from "./record-cli.js";
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

  it("forwards a refused upgrade as the same failure", async () => {
    const fixture = loadFixtures()._unsafeUnwrap().fixtures.find((f) => f.id === "librivox-0880");
    const service = await startAzureReplayServer({ session: loadAzureSession("librivox-0880")._unsafeUnwrap(), expectedKey: "other" });
    try {
      const result = await recordFixtureSessions({ fixtures: [fixture!], outDir: dir, upstream: service.host, apiKey: KEY, env: {} });
      const error = result._unsafeUnwrapErr();
      expect(error.kind).toBe("connection");
      expect(error.detail).toContain("401");
    } finally {
      await service.close();
    }
  });

  it("needs credentials, and says which, before connecting anywhere", async () => {
    const result = await recordFixtureSessions({ fixtures: [], outDir: dir, env: {} });
    expect(result._unsafeUnwrapErr()).toMatchObject({ kind: "authentication" });
    expect(result._unsafeUnwrapErr().message).toContain("AZURE_SPEECH_API_KEY");
    expect(await recordCli([], {})).toBe(2);
  });
});
