import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadFixtures } from "../manifest/load.js";
import { RECORDED_SESSION_FORMAT } from "./envelope.js";
import { audioReferenceOf, loadRecordedSession } from "./load.js";

const valid = {
  format: RECORDED_SESSION_FORMAT,
  provider: "azure",
  fixture: "one",
  audio: { file: "audio/one.wav", sha256: "ab", durationMs: 1000 },
  source: { kind: "synthesized", description: "test" },
  request: {},
  turns: [{ messages: [{ path: "turn.start", atAudioMs: 0 }] }],
};

describe("loadRecordedSession", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "sttkit-sessions-"));
    await mkdir(join(dir, "sessions", "azure"), { recursive: true });
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const write = (id: string, content: unknown) => writeFile(join(dir, "sessions", "azure", `${id}.json`), typeof content === "string" ? content : JSON.stringify(content));

  it("reads a session in the shared envelope", async () => {
    await write("one", valid);
    expect(loadRecordedSession("one", "azure", dir)._unsafeUnwrap()).toEqual(valid);
  });

  it("reports missing, malformed, unsafe and mislabelled sessions as typed errors naming the problem", async () => {
    expect(loadRecordedSession("two", "azure", dir)._unsafeUnwrapErr().message).toContain("no recorded azure session for fixture two");
    await write("bad", "{");
    expect(loadRecordedSession("bad", "azure", dir)._unsafeUnwrapErr().message).toContain("not valid JSON");
    expect(loadRecordedSession("../one", "azure", dir)._unsafeUnwrapErr()).toMatchObject({ kind: "invalid-argument", argument: "fixtures" });
    await write("one", { ...valid, format: "sttkit.recorded-session.v1" });
    expect(loadRecordedSession("one", "azure", dir)._unsafeUnwrapErr().message).toContain(`format must be "${RECORDED_SESSION_FORMAT}"`);
    await write("one", { ...valid, provider: "deepgram" });
    expect(loadRecordedSession("one", "azure", dir)._unsafeUnwrapErr().message).toContain('provider must be "azure"');
    await write("one", { ...valid, fixture: "other" });
    expect(loadRecordedSession("one", "azure", dir)._unsafeUnwrapErr().message).toContain('fixture must be "one"');
    await write("one", { ...valid, audio: undefined });
    expect(loadRecordedSession("one", "azure", dir)._unsafeUnwrapErr().message).toContain("audio must be");
    await write("one", { ...valid, turns: [{ messages: [{ path: "turn.start" }] }] });
    expect(loadRecordedSession("one", "azure", dir)._unsafeUnwrapErr().message).toContain("finite atAudioMs");
  });
});

describe("audioReferenceOf", () => {
  it("names a shipped fixture's file relative to the fixtures folder, with its hash and duration", () => {
    const [fixture] = loadFixtures()._unsafeUnwrap().fixtures;
    const reference = audioReferenceOf(fixture!);
    expect(reference.file).toBe(fixture!.audio);
    expect(reference.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(reference.durationMs).toBe(fixture!.durationMs);
  });
});
