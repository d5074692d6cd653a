import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadFixtures } from "../manifest/load.js";
import { recordDeepgramCli } from "./record-cli.js";
import { startDeepgramServer } from "./server.js";
import { deepgramFinalTexts, loadDeepgramSession, type RecordedDeepgramSession } from "./session-format.js";

const KEY = "recorder-secret-key-42";

describe("record-deepgram", () => {
  it("records a fixture from the configured upstream (here the local server), with the key nowhere in the file", async () => {
    const fixture = loadFixtures()._unsafeUnwrap().fixtures.find((f) => f.id === "librivox-0880");
    const session = loadDeepgramSession("librivox-0880")._unsafeUnwrap();
    const server = await startDeepgramServer({ session, expectedKey: KEY });
    const out = await mkdtemp(join(tmpdir(), "record-deepgram-"));
    try {
      const code = await recordDeepgramCli(["--upstream", server.baseUrl, "--out", out, "--speed", "16", "librivox-0880"], { DEEPGRAM_API_KEY: KEY });
      expect(code).toBe(0);
      const text = await readFile(join(out, "librivox-0880.json"), "utf8");
      expect(text).not.toContain(KEY);
      const recorded = JSON.parse(text) as RecordedDeepgramSession;
      expect(recorded.source.kind).toBe("service");
      expect(recorded.audio.durationMs).toBe(fixture?.durationMs);
      expect(deepgramFinalTexts(recorded)).toEqual(deepgramFinalTexts(session));
      expect(recorded.batch?.status).toBe(200);
      expect(server.violations).toEqual([]);
      expect(server.connections[0]?.headers["authorization"]).toBe(`Token ${KEY}`);
    } finally {
      await server.close();
      await rm(out, { recursive: true, force: true });
    }
  });

  it("refuses to run without a key, and refuses an upstream with credentials", async () => {
    expect(await recordDeepgramCli(["librivox-0880"], {})).toBe(2);
    expect(await recordDeepgramCli(["--upstream", "https://user:pw@example.invalid", "--out", tmpdir(), "librivox-0880"], { DEEPGRAM_API_KEY: KEY })).toBe(1);
  });
});
