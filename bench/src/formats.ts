import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openWavFile, type AudioFormat } from "@sttkit/core";
import { PcmConverter } from "@sttkit/core/kit";
import { fixtureById } from "./fixtures.js";

/**
 * `npm run bench -- --formats`: the audio-conversion rows of issue 14, each measured in one run.
 *
 * 1. Resampling a 44.1 kHz stereo WAV to 16 kHz mono: audio seconds per CPU second for the core's
 *    streaming converter (read block by block, as transcribe() does) and for `sox` on the same file
 *    (its user + system time from /usr/bin/time); goal: ours >= 0.5x sox's speed.
 * 2. Peak RSS of transcribe() on a 1 GB WAV (made in a temp dir, deleted after), in a child process.
 */
const RESAMPLE_FIXTURE = "espeak-long-60s";
const RESAMPLE_REPEATS = 5;
const MONO_16K: AudioFormat = { sampleRate: 16_000, channels: 1, bitsPerSample: 16 };

function run(command: string, args: readonly string[]): string {
  const result = spawnSync(command, args, { encoding: "utf8", maxBuffer: 1024 * 1024 });
  if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr.slice(-500)}`);
  return result.stderr;
}

/** CPU seconds of the core converter over the whole file, read as transcribe() reads it. */
async function oursCpuSeconds(path: string): Promise<number> {
  const file = await openWavFile(path);
  if (file.isErr()) throw new Error(file.error.message);
  const converter = new PcmConverter(file.value.format, MONO_16K);
  const started = process.cpuUsage();
  let bytes = 0;
  for await (const block of file.value.pcm) bytes += converter.push(block).byteLength;
  bytes += converter.flush().byteLength;
  const used = process.cpuUsage(started);
  if (bytes === 0) throw new Error("the converter produced nothing");
  return (used.user + used.system) / 1e6;
}

/** CPU seconds of `sox in -r 16000 -c 1 out` (user + system, from /usr/bin/time). */
function soxCpuSeconds(input: string, output: string): number {
  const report = run("/usr/bin/time", ["-f", "cpu %U %S", "sox", input, "-r", "16000", "-c", "1", "-b", "16", output]);
  const match = /cpu (\d+(?:\.\d+)?) (\d+(?:\.\d+)?)/.exec(report);
  if (!match) throw new Error(`no CPU time from /usr/bin/time: ${report}`);
  return Number(match[1]) + Number(match[2]);
}

/** Row 1: ours vs sox, best of three each (the machine is shared: the best is the least disturbed). */
export async function measureResampling(progress: (line: string) => void): Promise<string> {
  const directory = mkdtempSync(join(tmpdir(), "sttkit-formats-"));
  try {
    const source = fixtureById(RESAMPLE_FIXTURE).audioPath;
    const input = join(directory, "stereo-44k.wav");
    // The fixture five times over, at 44.1 kHz stereo: about five minutes of the commonest WAV.
    run("sox", [...Array.from({ length: RESAMPLE_REPEATS }, () => source), "-r", "44100", "-c", "2", input]);
    const audioSeconds = (statSync(input).size - 44) / (44_100 * 4);
    const ours: number[] = [];
    const sox: number[] = [];
    for (let round = 0; round < 3; round++) {
      ours.push(await oursCpuSeconds(input));
      sox.push(soxCpuSeconds(input, join(directory, "sox-16k.wav")));
      progress(`  round ${round + 1}: ours ${ours.at(-1)?.toFixed(2)} CPU s, sox ${sox.at(-1)?.toFixed(2)} CPU s`);
    }
    const oursSpeed = audioSeconds / Math.min(...ours);
    const soxSpeed = audioSeconds / Math.max(0.01, Math.min(...sox));
    const ratio = oursSpeed / soxSpeed;
    return [
      `Resampling 44.1 kHz stereo -> 16 kHz mono, ${audioSeconds.toFixed(0)} s of audio (best of 3):`,
      `  ours (PcmConverter, streamed) ${oursSpeed.toFixed(0)} audio s per CPU s`,
      `  sox ${soxSpeed.toFixed(0)} audio s per CPU s`,
      `  ours / sox = ${ratio.toFixed(2)}x (goal >= 0.5x): ${ratio >= 0.5 ? "MET" : "NOT MET"}`,
    ].join("\n");
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

/** `--formats`: prints the rows. */
export async function formatsOnly(progress: (line: string) => void): Promise<void> {
  progress("formats 1: resampler vs sox");
  process.stdout.write(`${await measureResampling(progress)}\n`);
}
