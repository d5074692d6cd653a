import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { batchAnswer } from "@sttkit/conformance/openai";
import { startLocalOpenAI, type LocalOpenAI } from "./local-server.test-support.js";

/**
 * transcribe({ path }) of files in other formats through the batch endpoint (real SDK, local
 * server): the file is read or decoded by the core (ffmpeg for MP3), converted to 16-bit mono, and
 * uploaded as WAV of the fixture's length.
 */
describe("OpenAI batch transcribe() of an MP3 and a float stereo WAV", () => {
  let local: LocalOpenAI;
  let directory = "";

  beforeAll(async () => {
    local = await startLocalOpenAI("librivox-multi");
    directory = mkdtempSync(join(tmpdir(), "sttkit-openai-formats-"));
  });
  afterAll(async () => {
    await local?.server.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it("uploads a float stereo WAV as the 16-bit mono WAV of the same samples, and returns the service's transcript", async () => {
    // 16 kHz, both channels the fixture, as float: converting back is exact, so the double (which
    // answers only the fixture's own samples) recognises the upload.
    const float = join(directory, "speech.float-stereo.wav");
    execFileSync("sox", [local.fixture.audioPath, "-c", "2", "-e", "floating-point", "-b", "32", float]);
    const transcript = (await local.adapter().transcribe({ path: float }))._unsafeUnwrap();
    expect(transcript.text).toBe((batchAnswer(local.session, "gpt-4o-transcribe", "json") as { text: string }).text);
    expect(local.server.uploads.at(-1)?.file?.format).toEqual({ sampleRate: 16_000, channels: 1, bitsPerSample: 16 });
    expect(local.server.violations).toEqual([]);
  });

  it("decodes a 44.1 kHz stereo MP3 with ffmpeg and uploads 16 kHz mono WAV of the recording's length", async () => {
    const mp3 = join(directory, "speech.mp3");
    execFileSync("ffmpeg", ["-y", "-loglevel", "error", "-i", local.fixture.audioPath, "-ar", "44100", "-ac", "2", mp3], { stdio: "ignore" });
    const result = await local.adapter().transcribe({ path: mp3 });
    // The double answers only byte-exact fixture audio, which lossy MP3 is not: it says so (400).
    expect(result._unsafeUnwrapErr().detail).toContain("not the fixture's audio");
    const upload = local.server.uploads.at(-1)?.file;
    expect(upload?.format).toEqual({ sampleRate: 16_000, channels: 1, bitsPerSample: 16 });
    expect((upload?.durationMs ?? 0) / 1000).toBeCloseTo(local.fixture.durationMs / 1000, 1);
  });

  it("refuses a file ffmpeg cannot decode with its reason, before any upload", async () => {
    const uploads = local.server.uploads.length;
    const error = (await local.adapter().transcribe({ path: "/dev/zero" }))._unsafeUnwrapErr();
    expect(error).toMatchObject({ kind: "invalid-audio", reason: "undecodable", provider: "openai" });
    expect(local.server.uploads.length).toBe(uploads);
  });
});
