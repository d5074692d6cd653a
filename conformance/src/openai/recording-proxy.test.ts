import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readWavFile } from "@sttkit/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadFixtures } from "../manifest/load.js";
import { recordOpenAICli } from "./record-cli.js";
import { recordOpenAISessions } from "./record-sessions.js";
import { startOpenAIReplayServer } from "./server.js";
import { loadOpenAISession, type RecordedOpenAISession } from "./session-format.js";

const KEY = "sk-recorder-test-key-0123456789";
let dir = "";
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "sttkit-record-openai-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("the OpenAI recorder (the real SDK through a recording proxy to the service)", () => {
  it("records the batch answers of every model and the Realtime events where in the audio they came, never the key", async () => {
    const fixture = loadFixtures()._unsafeUnwrap().fixtures.find((f) => f.id === "librivox-multi");
    if (!fixture) throw new Error("librivox-multi");
    const original = loadOpenAISession(fixture.id)._unsafeUnwrap();
    const audio = (await readWavFile(fixture.audioPath))._unsafeUnwrap();
    // The local OpenAI server stands in for the service, replaying a known session.
    const service = (await startOpenAIReplayServer({ session: original, audio, expectedKey: KEY }))._unsafeUnwrap();
    try {
      const result = await recordOpenAISessions({ fixtures: [fixture], outDir: dir, upstream: service.baseURL, upstreamCa: service.ca, apiKey: KEY, env: {}, speed: 4 });
      const realtime = original.turns[0]?.messages ?? [];
      expect(result._unsafeUnwrap()).toEqual([{ fixture: fixture.id, file: join(dir, `${fixture.id}.json`), events: realtime.length + 2, finals: 3, answers: 3 }]);
      const text = await readFile(join(dir, `${fixture.id}.json`), "utf8");
      expect(text).not.toContain(KEY);
      const recorded = JSON.parse(text) as RecordedOpenAISession;
      expect(recorded.source.kind).toBe("service");
      expect(recorded.request.realtime).toEqual({ model: "gpt-4o-transcribe", language: "en", turnDetection: original.request.realtime.turnDetection });
      expect(recorded.batch?.body).toEqual(original.batch?.body);
      const got = (recorded.turns[0]?.messages ?? []).filter(({ event }) => !event.type.startsWith("session."));
      expect(got.map(({ event }) => event)).toEqual(realtime.map(({ event }) => event));
      got.forEach((message, index) => {
        const want = realtime[index];
        if (!want) return;
        // An event the service sends only after the end of the audio is recorded so; any other may
        // also arrive after the recorder sent its last audio on a loaded machine, which it notes.
        if (want.afterEndOfAudio) expect(message.afterEndOfAudio, `${message.event.type} #${index}`).toBe(true);
        // The service sends an event once it has the audio; the recording notes how much it had.
        if (!message.afterEndOfAudio) expect(message.atAudioMs).toBeGreaterThanOrEqual(want.atAudioMs);
      });
      expect(service.violations).toEqual([]);
    } finally {
      await service.close();
    }
  }, 60_000);

  it("forwards a refusal as the same failure, and needs the key before connecting anywhere", async () => {
    const fixture = loadFixtures()._unsafeUnwrap().fixtures.find((f) => f.id === "librivox-0880");
    if (!fixture) throw new Error("librivox-0880");
    const service = (await startOpenAIReplayServer({ session: loadOpenAISession(fixture.id)._unsafeUnwrap(), expectedKey: "sk-another-key" }))._unsafeUnwrap();
    try {
      const result = await recordOpenAISessions({ fixtures: [fixture], outDir: dir, upstream: service.baseURL, upstreamCa: service.ca, apiKey: KEY, env: {} });
      expect(result._unsafeUnwrapErr()).toMatchObject({ kind: "connection", detail: expect.stringContaining("401") });
      expect(result._unsafeUnwrapErr().detail).not.toContain(KEY);
    } finally {
      await service.close();
    }
    const missing = await recordOpenAISessions({ fixtures: [], outDir: dir, env: {} });
    expect(missing._unsafeUnwrapErr()).toMatchObject({ kind: "authentication" });
    expect(missing._unsafeUnwrapErr().message).toContain("OPENAI_API_KEY");
    expect(await recordOpenAICli([], {})).toBe(2);
    expect(await recordOpenAICli(["no-such-fixture"], { OPENAI_API_KEY: "x" })).toBe(2);
  });
});
