import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, truncateSync, writeFileSync, readFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openAudioFile, readAudioFile } from "./audio-file.js";
import type { AudioFileStream } from "./audio-file.js";
import { encodeWav } from "./wav.js";

const FIXTURE = new URL("../../../conformance/fixtures/audio/librivox-0880.wav", import.meta.url).pathname;
let directory = "";

/** Runs ffmpeg or sox with an argument list (the files are made here, from a fixture). */
function make(command: "ffmpeg" | "sox", args: readonly string[]): void {
  execFileSync(command, command === "ffmpeg" ? ["-y", "-loglevel", "error", ...args] : args, { stdio: "ignore" });
}

async function drain(file: AudioFileStream): Promise<number> {
  let bytes = 0;
  for await (const block of file.pcm) bytes += block.byteLength;
  return bytes;
}

/** ffmpeg processes that are children of this process (none may outlive a decode). */
function ffmpegChildren(): string[] {
  // ps exits 1 when the process has no children at all.
  const listing = spawnSync("ps", ["-o", "pid=,comm=", "--ppid", String(process.pid)], { encoding: "utf8" }).stdout;
  return listing.split("\n").filter((line) => line.includes("ffmpeg"));
}

beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), "sttkit-audio-file-"));
  make("sox", [FIXTURE, "-r", "44100", "-c", "2", join(directory, "stereo-44k.wav")]);
  make("ffmpeg", ["-i", join(directory, "stereo-44k.wav"), "-b:a", "128k", join(directory, "speech.mp3")]);
  writeFileSync(join(directory, "truncated.mp3"), readFileSync(join(directory, "speech.mp3")).subarray(0, 20_000));
  make("sox", [FIXTURE, "-b", "24", join(directory, "24bit.wav")]);
  mkdirSync(join(directory, "a-directory"));
  writeFileSync(join(directory, "sparse.bin"), "");
  truncateSync(join(directory, "sparse.bin"), 3 * 1024 ** 3);
  // A WAV header claiming 4 GB of samples, followed by one second.
  const liar = encodeWav(new Uint8Array(32_000), { sampleRate: 16_000, channels: 1, bitsPerSample: 16 });
  new DataView(liar.buffer).setUint32(40, 0xfffffff0, true);
  writeFileSync(join(directory, "claims-4gb.wav"), liar);
  writeFileSync(join(directory, "not-audio.txt"), "definitely not audio ".repeat(100));
});

afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe("openAudioFile", () => {
  it("reads a 44.1 kHz stereo WAV directly, in its own format, without ffmpeg", async () => {
    const file = (await openAudioFile(join(directory, "stereo-44k.wav"), { command: "/nonexistent/ffmpeg" }))._unsafeUnwrap();
    expect(file.format).toEqual({ sampleRate: 44_100, channels: 2, bitsPerSample: 16 });
    expect(await drain(file)).toBeGreaterThan(44_100 * 4 * 2.9);
  });

  it("decodes an MP3 and a 24-bit WAV through ffmpeg in their own rate and channels as they are read, and reaps ffmpeg", async () => {
    for (const [name, format] of [
      ["speech.mp3", { sampleRate: 44_100, channels: 2, bitsPerSample: 16 }],
      ["24bit.wav", { sampleRate: 16_000, channels: 1, bitsPerSample: 16 }],
    ] as const) {
      const file = (await openAudioFile(join(directory, name)))._unsafeUnwrap();
      expect(file.format).toEqual(format);
      // librivox-0880 is 2.99 s: ffmpeg gives every sample (an MP3 encoder adds a little padding).
      expect((await drain(file)) / (format.sampleRate * format.channels * 2)).toBeCloseTo(2.99, 1);
      expect(file.failure()).toBeUndefined();
    }
    expect(ffmpegChildren()).toEqual([]);
  });

  it("has ffmpeg convert as it decodes when asked (audio held whole in memory)", async () => {
    const file = (await openAudioFile(join(directory, "speech.mp3"), { convertTo: { sampleRate: 16_000, channels: 1 } }))._unsafeUnwrap();
    expect(file.format).toEqual({ sampleRate: 16_000, channels: 1, bitsPerSample: 16 });
    expect((await drain(file)) / 32_000).toBeCloseTo(2.99, 1);
    const whole = (await readAudioFile(join(directory, "speech.mp3")))._unsafeUnwrap();
    expect(whole.format).toEqual({ sampleRate: 16_000, channels: 1, bitsPerSample: 16 });
    expect(ffmpegChildren()).toEqual([]);
  });

  it("stops and reaps ffmpeg when closed part-way", async () => {
    const file = (await openAudioFile(join(directory, "speech.mp3")))._unsafeUnwrap();
    for await (const _block of file.pcm) break;
    await file.close();
    expect(ffmpegChildren()).toEqual([]);
  });

  it("streams what a truncated MP3 holds", async () => {
    const file = (await openAudioFile(join(directory, "truncated.mp3")))._unsafeUnwrap();
    const seconds = (await drain(file)) / (file.format.sampleRate * file.format.channels * 2);
    expect(seconds).toBeGreaterThan(0.5);
    expect(seconds).toBeLessThan(2.99);
  });

  it.each([
    ["a directory", "a-directory", "unreadable-file"],
    ["a missing file", "missing.mp3", "unreadable-file"],
    ["a 3 GB sparse file (zeros: no container)", "sparse.bin", "undecodable"],
    ["a WAV header claiming 4 GB", "claims-4gb.wav", "truncated"],
    ["a text file", "not-audio.txt", "undecodable"],
  ])("refuses %s with a typed error", async (_label, name, reason) => {
    const opened = await openAudioFile(join(directory, name));
    expect(opened._unsafeUnwrapErr()).toMatchObject({ kind: "invalid-audio", reason });
    if (reason === "undecodable") expect(opened._unsafeUnwrapErr().message).toMatch(/Invalid data found|no audio track/);
  });

  it("refuses /dev/zero, an endless device, with a typed error", async () => {
    expect((await openAudioFile("/dev/zero"))._unsafeUnwrapErr().kind).toBe("invalid-audio");
  });

  it("says which package to install when a file needs ffmpeg and it is missing", async () => {
    const error = (await openAudioFile(join(directory, "speech.mp3"), { command: "/nonexistent/ffmpeg" }))._unsafeUnwrapErr();
    expect(error).toMatchObject({ kind: "engine-unavailable", install: ["ffmpeg"] });
    expect(error.message).toContain("apt-get install ffmpeg");
  });
});

describe("readAudioFile", () => {
  it("reads a whole MP3 into memory as 16 kHz mono, and stops with a typed error past its limit", async () => {
    const whole = (await readAudioFile(join(directory, "speech.mp3")))._unsafeUnwrap();
    expect(whole.format).toEqual({ sampleRate: 16_000, channels: 1, bitsPerSample: 16 });
    expect(whole.pcm.byteLength / 32_000).toBeCloseTo(2.99, 1);
    expect((await readAudioFile(join(directory, "speech.mp3"), 1))._unsafeUnwrapErr()).toMatchObject({ kind: "invalid-audio", message: expect.stringContaining("more than 1 s") });
    expect(ffmpegChildren()).toEqual([]);
  });
});
