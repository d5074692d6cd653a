import { spawnSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encodeWav, openWavFile, type AudioFormat } from "@sttkit/core";
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

/** The layout of the big files: 192 kHz 8-channel float, so 1 GB is under three minutes of audio for the engine. */
const BIG_FORMAT: AudioFormat = { sampleRate: 192_000, channels: 8, bitsPerSample: 32, encoding: "f32le" };
const MB = 1024 * 1024;

/** Writes a WAV of `bytes` of samples: a quiet 440 Hz tone on every channel, block by block. */
function writeBigWav(path: string, bytes: number): void {
  const frameBytes = 4 * BIG_FORMAT.channels;
  const frames = Math.floor(MB / frameBytes);
  const block = new Uint8Array(frames * frameBytes);
  const view = new DataView(block.buffer);
  for (let frame = 0; frame < frames; frame++) {
    const value = 0.01 * Math.sin((2 * Math.PI * 440 * frame) / BIG_FORMAT.sampleRate);
    for (let channel = 0; channel < BIG_FORMAT.channels; channel++) view.setFloat32(frame * frameBytes + channel * 4, value, true);
  }
  const blocks = Math.floor(bytes / block.byteLength);
  const fd = openSync(path, "w");
  try {
    writeSync(fd, encodeWav(new Uint8Array(0), BIG_FORMAT).subarray(0, 44));
    // The header written first says 0 bytes: fill in the real sizes once the samples are out.
    for (let index = 0; index < blocks; index++) writeSync(fd, block);
    const header = encodeWav(new Uint8Array(0), BIG_FORMAT);
    const sizes = new DataView(header.buffer);
    sizes.setUint32(4, 36 + blocks * block.byteLength, true);
    sizes.setUint32(40, blocks * block.byteLength, true);
    writeSync(fd, header.subarray(0, 44), 0, 44, 0);
  } finally {
    closeSync(fd);
  }
}

interface RssReport {
  readonly peakRssBytes: number;
  readonly rssBeforeBytes: number;
  readonly audioSeconds: number;
  readonly wallSeconds: number;
}

/** Row 2: peak RSS of transcribe() (offline adapter) on a 100 MB and a 1 GB WAV, each in its own process. */
export function measureTranscribeRss(progress: (line: string) => void): string {
  const directory = mkdtempSync(join(tmpdir(), "sttkit-formats-rss-"));
  const child = new URL("formats-rss-child.js", import.meta.url).pathname;
  const rows: string[] = [];
  try {
    for (const megabytes of [100, 1024]) {
      const path = join(directory, `big-${megabytes}.wav`);
      progress(`  writing a ${megabytes} MB WAV (192 kHz, 8 channels, float)`);
      writeBigWav(path, megabytes * MB);
      progress(`  transcribing it (offline adapter, in a child process)`);
      const run = spawnSync(process.execPath, [child, path], { encoding: "utf8", maxBuffer: MB });
      rmSync(path, { force: true });
      if (run.status !== 0) throw new Error(`the RSS child failed: ${run.stderr.slice(-1000)}`);
      const report = JSON.parse(run.stdout) as RssReport;
      rows.push(
        `  ${String(megabytes).padStart(4)} MB file: peak RSS ${(report.peakRssBytes / MB).toFixed(0)} MB (before the call ${(report.rssBeforeBytes / MB).toFixed(0)} MB), ${report.audioSeconds.toFixed(0)} s of audio in ${report.wallSeconds.toFixed(1)} s`,
      );
    }
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
  return ["Peak RSS of transcribe() on a big WAV (the file is streamed: RSS does not grow with it):", ...rows].join("\n");
}

/** `--formats`: prints the rows. */
export async function formatsOnly(progress: (line: string) => void): Promise<void> {
  progress("formats 1: resampler vs sox");
  process.stdout.write(`${await measureResampling(progress)}\n`);
  progress("formats 2: RSS of transcribe() on a 1 GB file");
  process.stdout.write(`${measureTranscribeRss(progress)}\n`);
}
