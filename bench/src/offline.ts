import { spawn } from "node:child_process";
import { createOfflineSpeechToText } from "@sttkit/offline";
import { corpusWordErrorRate, type WerResult } from "@sttkit/core/wer";
import { SIDES, type Side } from "./client.js";
import { loadBenchAudio } from "./fixtures.js";

/** Debian's English model, as the adapter uses it by default. */
const MODEL = "/usr/share/pocketsphinx/model/en-us";
const ENGINE = "pocketsphinx_continuous";
/** The engine's flags: the adapter's command line, with the file given directly instead of stdin. */
function engineArguments(path: string): string[] {
  return ["-infile", path, "-time", "yes", "-logfn", "/dev/null", "-hmm", `${MODEL}/en-us`, "-dict", `${MODEL}/cmudict-en-us.dict`, "-lm", `${MODEL}/en-us.lm.bin`];
}
/** `word start end posterior` lines of `-time yes`; every other non-empty line is an utterance's hypothesis. */
const TIMED_WORD = /^\S+ \d+(?:\.\d+)? \d+(?:\.\d+)? \d+(?:\.\d+)?$/;

/** The engine's own CLI on the file; its transcript is its hypothesis lines, as it prints them. */
function rawEngine(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const engine = spawn(ENGINE, engineArguments(path), { stdio: ["ignore", "pipe", "ignore"] });
    let output = "";
    engine.stdout.setEncoding("utf8");
    engine.stdout.on("data", (text: string) => {
      output += text;
    });
    engine.once("error", reject);
    engine.once("close", (code) => {
      if (code !== 0) return reject(new Error(`${ENGINE} exited with ${String(code)}`));
      const hypotheses = output.split("\n").map((line) => line.trim()).filter((line) => line.length > 0 && !TIMED_WORD.test(line));
      resolve(hypotheses.join(" "));
    });
  });
}

export interface OfflineSamples {
  /**
   * Wall time / audio time over the whole set of files, one per repetition (each file's own
   * factor is dominated by model loading for short files, so files are not mixed as samples).
   */
  readonly realTimeFactor: Record<Side, number[]>;
  /** Wall time / audio time of each file, per repetition, for reference. */
  readonly perFile: Array<{ fixture: string; repetition: number; raw: number; adapter: number }>;
  /** Corpus WER over the fixtures (first repetition; the engine is deterministic). */
  readonly wer: Record<Side, WerResult>;
  /** Per fixture: the hypothesis of each side, to show where they differ. */
  readonly transcripts: Array<{ fixture: string; reference: string; raw: string; adapter: string }>;
}

/** Goal 2: the offline adapter's `transcribe({ path })` against the engine's CLI on the same files. */
export async function measureOffline(fixtureIds: readonly string[], repetitions: number): Promise<OfflineSamples> {
  const stt = createOfflineSpeechToText({})._unsafeUnwrap();
  const adapter = async (path: string): Promise<string> => {
    const transcript = await stt.transcribe({ path });
    if (transcript.isErr()) throw new Error(`offline transcribe failed: ${transcript.error.kind}: ${transcript.error.message}`);
    return transcript.value.text;
  };
  const recognise: Record<Side, (path: string) => Promise<string>> = { raw: rawEngine, adapter };
  const realTimeFactor: Record<Side, number[]> = { raw: [], adapter: [] };
  const perFile: OfflineSamples["perFile"] = [];
  const transcripts: OfflineSamples["transcripts"] = [];
  for (let repetition = 0; repetition < repetitions; repetition++) {
    const wallMs: Record<Side, number> = { raw: 0, adapter: 0 };
    let audioMs = 0;
    for (const [index, id] of fixtureIds.entries()) {
      const audio = loadBenchAudio(id);
      audioMs += audio.durationMs;
      const text: Record<Side, string> = { raw: "", adapter: "" };
      const fileRtf: Record<Side, number> = { raw: 0, adapter: 0 };
      // Alternate which side runs first, so neither is always the one on a warm page cache.
      for (const side of (repetition + index) % 2 === 0 ? SIDES : [...SIDES].reverse()) {
        const started = performance.now();
        text[side] = await recognise[side](audio.fixture.audioPath);
        const elapsed = performance.now() - started;
        wallMs[side] += elapsed;
        fileRtf[side] = elapsed / audio.durationMs;
      }
      perFile.push({ fixture: id, repetition, ...fileRtf });
      if (repetition === 0) transcripts.push({ fixture: id, reference: audio.fixture.reference, ...text });
    }
    for (const side of SIDES) realTimeFactor[side].push(wallMs[side] / audioMs);
  }
  const werOf = (side: Side): WerResult => corpusWordErrorRate(transcripts.map((entry) => ({ reference: entry.reference, hypothesis: entry[side] })));
  return { realTimeFactor, perFile, wer: { raw: werOf("raw"), adapter: werOf("adapter") }, transcripts };
}
