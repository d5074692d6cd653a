import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadDeepgramSession, startDeepgramServer } from "@sttkit/conformance/deepgram";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readWavFile } from "@sttkit/core";
import { loadOpenAISession, startOpenAIReplayServer } from "@sttkit/conformance/openai";
import { EXIT_FAILURE, EXIT_USAGE, main } from "./main.js";
import { parseSubtitles } from "./subtitles.js";

const audio = (name: string): string => fileURLToPath(new URL(`../../conformance/fixtures/audio/${name}`, import.meta.url));

async function runCli(argv: string[], env: Record<string, string | undefined> = {}) {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text), isTTY: false },
    env: { PATH: process.env["PATH"], ...env },
  });
  return { code, stdout, stderr };
}

let dir = "";
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "sttkit-cli-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("sttkit transcribe", () => {
  it("transcribes with the offline default, printing timed finals and the WER", async () => {
    const { code, stdout, stderr } = await runCli(["transcribe", audio("librivox-multi.wav"), "--reference-file", audio("librivox-multi.txt")]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const lines = stdout.trim().split("\n");
    // Three utterances, each a final, then the WER line.
    expect(lines).toHaveLength(4);
    for (const line of lines.slice(0, -1)) expect(line).toMatch(/^\[\d\d:\d\d\.\d{3} → \d\d:\d\d\.\d{3}\] \S/);
    expect(lines.at(-1)).toMatch(/^WER \d+\.\d% \(\d+ substitutions, \d+ deletions, \d+ insertions, 30 reference words\)$/);
  });

  it("prints the transcript as JSON with --json", async () => {
    const { code, stdout } = await runCli(["transcribe", audio("librivox-0880.wav"), "--json", "--reference", "he was not an ill disposed young man"]);
    expect(code).toBe(0);
    const json = JSON.parse(stdout) as { provider: string; text: string; segments: unknown[]; wer: { referenceWords: number } };
    expect(json.provider).toBe("offline");
    expect(json.segments.length).toBeGreaterThan(0);
    expect(json.text.length).toBeGreaterThan(0);
    expect(json.wer.referenceWords).toBe(8);
  });

  it("writes SubRip or WebVTT subtitles, to a file with --output, cut at words with --words", async () => {
    const srtFile = join(dir, "multi.srt");
    const written = await runCli(["transcribe", audio("librivox-multi.wav"), "--format", "srt", "--words", "--output", srtFile, "--no-progress"]);
    expect(written).toMatchObject({ code: 0, stdout: "" });
    const srt = parseSubtitles(await readFile(srtFile, "utf8"), "srt");
    expect(srt.length).toBeGreaterThanOrEqual(3);
    let previousEnd = 0;
    for (const cue of srt) {
      expect(cue.startMs).toBeGreaterThanOrEqual(previousEnd);
      expect(cue.endMs - cue.startMs).toBeLessThanOrEqual(7_000);
      for (const line of cue.lines) expect(line.length).toBeLessThanOrEqual(42);
      previousEnd = cue.endMs;
    }
    const vtt = await runCli(["transcribe", audio("librivox-0880.wav"), "--format", "vtt", "--no-progress"]);
    expect(vtt.code).toBe(0);
    expect(vtt.stdout.startsWith("WEBVTT\n\n00:00:")).toBe(true);
    expect(parseSubtitles(vtt.stdout, "vtt").length).toBeGreaterThan(0);
    expect(await runCli(["transcribe", audio("librivox-0880.wav"), "--format", "docx"])).toMatchObject({ code: EXIT_USAGE, stderr: expect.stringContaining("--format must be one of") });
  });

  it("shows progress on stderr for long files", async () => {
    const { code, stderr } = await runCli(["transcribe", audio("espeak-long-60s.wav")]);
    expect(code).toBe(0);
    expect(stderr).toMatch(/progress: \[[#-]{20}\] \d+% \(\d\d:\d\d\.\d{3} of 01:00\.000\)/);
  }, 60_000);

  it.each([
    [[], "Give a command"],
    [["transcribe"], "Give the audio file(s) to transcribe"],
    [["transcribe", "-", "-"], "Standard input (-) can be given once"],
    [["transcribe", "a.wav", "--bogus"], "Unknown option --bogus"],
    [["transcribe", "a.wav", "--language"], "--language needs a value"],
    [["listen", "a.wav"], 'Unknown command "listen": the commands are "transcribe" and "conformance"'],
  ])("rejects %j with exit status 2 and a clear message", async (argv, message) => {
    const { code, stderr } = await runCli(argv);
    expect(code).toBe(EXIT_USAGE);
    expect(stderr).toContain(message);
    expect(stderr).toContain("Usage: sttkit transcribe");
  });

  it("rejects bad files, languages and providers with exit status 2", async () => {
    const notWav = join(dir, "not.wav");
    await writeFile(notWav, "hello");
    // Not WAV: ffmpeg's reason (it finds no audio in five bytes of text).
    expect(await runCli(["transcribe", notWav])).toMatchObject({ code: EXIT_USAGE, stderr: expect.stringMatching(/invalid-audio.*(Invalid data found|no audio track)/) });
    expect(await runCli(["transcribe", join(dir, "missing.wav")])).toMatchObject({ code: EXIT_USAGE, stderr: expect.stringContaining("Cannot read audio file") });
    // Endless or huge input is refused from its first bytes, not read: /dev/zero, a directory.
    expect(await runCli(["transcribe", "/dev/zero"])).toMatchObject({ code: EXIT_USAGE, stderr: expect.stringContaining("Invalid data found") });
    expect(await runCli(["transcribe", dir])).toMatchObject({ code: EXIT_USAGE, stderr: expect.stringContaining("it is a directory") });
    expect(await runCli(["transcribe", audio("librivox-0880.wav"), "--language", "klingon"])).toMatchObject({ code: EXIT_USAGE, stderr: expect.stringContaining('"klingon"') });
    expect(await runCli(["transcribe", audio("librivox-0880.wav"), "--provider", "nope"])).toMatchObject({ code: EXIT_USAGE, stderr: expect.stringContaining('Unknown speech-to-text provider "nope"') });
  });

  it("takes the provider from configuration: azure without credentials is a clear error", async () => {
    const { code, stderr } = await runCli(["transcribe", audio("librivox-0880.wav")], { STT_PROVIDER: "azure" });
    expect(code).toBe(EXIT_USAGE);
    expect(stderr).toContain("AZURE_SPEECH_API_KEY");
  });

  it("transcribes with --provider deepgram, configured by file, against the local Deepgram server", async () => {
    const session = loadDeepgramSession("librivox-multi")._unsafeUnwrap();
    const server = await startDeepgramServer({ session, expectedKey: "cli-key" });
    try {
      const config = join(dir, "deepgram.json");
      await writeFile(config, JSON.stringify({ deepgram: { baseUrl: server.baseUrl, apiKey: "cli-key" } }));
      const { code, stdout, stderr } = await runCli(["transcribe", audio("librivox-multi.wav"), "--provider", "deepgram", "--config", config, "--json"]);
      expect(stderr).toBe("");
      expect(code).toBe(0);
      const result = JSON.parse(stdout) as { provider: string; segments: unknown[] };
      expect(result.provider).toBe("deepgram");
      expect(result.segments).toHaveLength(3);
      expect(server.requests).toHaveLength(1);
    } finally {
      await server.close();
    }
  });

  it("refuses a language the provider cannot do with exit status 2 and the reason, once for several files", async () => {
    const { code, stderr } = await runCli(["transcribe", audio("librivox-0880.wav"), audio("librivox-0930.wav"), "--language", "de-DE", "--output", dir]);
    expect(code).toBe(EXIT_USAGE);
    expect(stderr).toContain("unsupported-language");
    expect(stderr).toContain("en-US only");
    expect(stderr.match(/unsupported-language/g)).toHaveLength(1);
  });

  it("transcribes several files of any format in one call: one output per input with the format's extension, a progress line per file", async () => {
    const out = join(dir, "subtitles");
    await mkdir(out);
    const mp3 = join(dir, "talk.mp3");
    execFileSync("ffmpeg", ["-y", "-loglevel", "error", "-i", audio("librivox-0930.wav"), "-ar", "44100", "-ac", "2", mp3], { stdio: "ignore" });
    const { code, stdout, stderr } = await runCli(["transcribe", audio("librivox-0880.wav"), mp3, "--format", "srt", "--output", out]);
    expect(stderr).toBe(`[1/2] ${audio("librivox-0880.wav")}: done -> ${join(out, "librivox-0880.srt")}\n[2/2] ${mp3}: done -> ${join(out, "talk.srt")}\n`);
    expect(code).toBe(0);
    expect(stdout).toBe("");
    for (const name of ["librivox-0880.srt", "talk.srt"]) expect(parseSubtitles(await readFile(join(out, name), "utf8"), "srt").length).toBeGreaterThan(0);
    // Several files and an --output that is not a directory: refused before anything runs.
    expect((await runCli(["transcribe", mp3, audio("librivox-0880.wav"), "--format", "json", "--output", join(dir, "nowhere.json")])).code).toBe(EXIT_USAGE);
  });

  it("reads standard input (-), any format, as it arrives", () => {
    const mp3 = join(dir, "stdin.mp3");
    execFileSync("ffmpeg", ["-y", "-loglevel", "error", "-i", audio("librivox-0880.wav"), mp3], { stdio: "ignore" });
    const bin = fileURLToPath(new URL("../bin/sttkit.js", import.meta.url));
    const run = spawnSync(process.execPath, [bin, "transcribe", "-", "--format", "json"], { input: readFileSync(mp3), encoding: "utf8", timeout: 60_000 });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect((JSON.parse(run.stdout) as { text: string }).text.length).toBeGreaterThan(0);
  }, 60_000);

  it("takes the provider from configuration: openai without a key is a clear error", async () => {
    const { code, stderr } = await runCli(["transcribe", audio("librivox-0880.wav"), "--provider", "openai"]);
    expect(code).toBe(EXIT_USAGE);
    expect(stderr).toContain("OPENAI_API_KEY");
  });

  it("transcribes with --provider openai through the batch endpoint (the local OpenAI server standing in for the service)", async () => {
    const session = loadOpenAISession("librivox-multi")._unsafeUnwrap();
    const wav = (await readWavFile(audio("librivox-multi.wav")))._unsafeUnwrap();
    const server = (await startOpenAIReplayServer({ session, audio: wav, expectedKey: "sk-cli-test" }))._unsafeUnwrap();
    try {
      const config = join(dir, "openai.json");
      await writeFile(config, JSON.stringify({ openai: { apiKey: "sk-cli-test", baseURL: server.baseURL, ca: server.ca, batch: { model: "whisper-1" } } }));
      const { code, stdout, stderr } = await runCli(["transcribe", audio("librivox-multi.wav"), "--provider", "openai", "--config", config, "--language", "en-US"]);
      expect(stderr).toBe("");
      expect(code).toBe(0);
      const lines = stdout.trim().split("\n");
      expect(lines).toHaveLength(3);
      expect(lines[0]).toMatch(/^\[00:00\.210 → 00:02\.800\] He was not an illness those young man\.$/);
      const json = await runCli(["transcribe", audio("librivox-multi.wav"), "--json"], { STT_PROVIDER: "openai", STT_CONFIG: config });
      expect(JSON.parse(json.stdout)).toMatchObject({ provider: "openai", text: expect.stringContaining("amiable himself") });
      expect(server.uploads.map((upload) => upload.fields.find(([name]) => name === "language")?.[1])).toEqual(["en", undefined]);
      expect(server.violations).toEqual([]);
    } finally {
      await server.close();
    }
  });
});
