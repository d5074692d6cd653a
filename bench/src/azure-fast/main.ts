/**
 * The fast transcription benchmark: the Azure adapter's `transcribe()` through the fast
 * transcription API against a plain `fetch` of the same multipart request, to the same local
 * double, in the same run. `npm run bench:azure-fast [-- --quick]`. The table to stdout, every
 * sample to `bench/results/azure-fast-latest.json`.
 *
 * Two files, made in a temporary folder and deleted afterwards: a 10-minute recording (the 60 s
 * fixture ten times over) and a 1 GiB WAV (a header, then a sparse run of silence: read from the
 * page cache's zero pages, so the disk is not what is measured). Requests run in fresh child
 * processes after two warm-up requests per side: wall time with both sides taking turns in one
 * child (process-wide noise falls on both), memory with one side alone in its child.
 *
 * @module
 */
import { mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { encodeWav } from "@sttkit/core";
import { startAzureReplayServer } from "@sttkit/conformance/azure";
import { runScriptInChild } from "../child-run.js";
import { loadBenchAudio, loadOneTurnSession, repeatPcm } from "../fixtures.js";
import { comparisonTable, formatNumber, renderTable, type ComparisonRow } from "../report.js";
import { median, summarise } from "../stats.js";
import type { FastJob, FastReport, FastSide } from "./protocol.js";

const QUICK = process.argv.includes("--quick");
const KEY = "bench-fast-key";
const MB = 1024 * 1024;
const GIB = 1024 * MB;
/** The goal: the adapter's wall time at most 5 % over the raw request's. */
const WALL_GOAL = 1.05;
/** The bound stated for the adapter's RSS growth while it uploads 1 GiB: its fixed buffers, not the file. */
const RSS_BOUND_MB = 64;
/**
 * Wall time: children running both sides in turn (children × rounds requests per side). Memory:
 * children running one side, one 1 GiB request each.
 */
const PLAN = {
  tenMinutes: { children: QUICK ? 1 : 3, rounds: QUICK ? 4 : 6 },
  gibWall: { children: 1, rounds: QUICK ? 2 : 4 },
  gibMemory: { children: QUICK ? 1 : 2 },
};

function progress(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** The 10-minute file: the long fixture ten times over, as a canonical WAV. */
function writeTenMinutes(directory: string): { file: string; bytes: number } {
  const audio = loadBenchAudio("espeak-long-60s");
  const wav = encodeWav(repeatPcm(audio.pcm, 10), audio.format);
  const file = join(directory, "ten-minutes.wav");
  writeFileSync(file, wav);
  return { file, bytes: wav.byteLength };
}

/** The 1 GiB file: a canonical header for 16 kHz mono, then silence as a sparse file. */
function writeGib(directory: string): { file: string; bytes: number } {
  const format = { sampleRate: 16_000, channels: 1, bitsPerSample: 16 } as const;
  const dataBytes = GIB - 44;
  const header = encodeWav(new Uint8Array(0), format);
  const view = new DataView(header.buffer);
  view.setUint32(4, 36 + dataBytes, true);
  view.setUint32(40, dataBytes, true);
  const file = join(directory, "one-gib.wav");
  writeFileSync(file, header);
  truncateSync(file, GIB);
  return { file, bytes: GIB };
}

interface Target {
  readonly file: string;
  readonly bytes: number;
  readonly label: string;
}

async function runChild(origin: string, warmUpFile: string, target: Target, sides: readonly FastSide[], rounds: number, label: string): Promise<FastReport> {
  const job: FastJob = { sides, origin, key: KEY, file: target.file, warmUpFile, fileBytes: target.bytes, rounds };
  const report = await runScriptInChild<FastReport>(new URL("./worker.js", import.meta.url), job, 900_000, label);
  const times = sides.map((side) => `${side} ${report.wallMs[side].map((ms) => formatNumber(ms, 0)).join(", ")} ms`).join("; ");
  progress(`${label}: ${times}; RSS +${formatNumber((report.rssPeak - report.rssBefore) / MB, 1)} MB; ${report.phrases} phrases`);
  return report;
}

/** Wall time, both sides in each child (alternating within it, and which side goes first alternating between children). */
async function measureWall(origin: string, warmUpFile: string, target: Target, plan: { readonly children: number; readonly rounds: number }): Promise<Record<FastSide, number[]>> {
  const samples: Record<FastSide, number[]> = { raw: [], adapter: [] };
  for (let child = 0; child < plan.children; child++) {
    const sides: FastSide[] = child % 2 === 0 ? ["raw", "adapter"] : ["adapter", "raw"];
    const report = await runChild(origin, warmUpFile, target, sides, plan.rounds, `${target.label} wall #${child + 1}`);
    for (const side of sides) samples[side].push(...report.wallMs[side]);
  }
  return samples;
}

/** Memory: each side alone in its child, one request. */
async function measureMemory(origin: string, warmUpFile: string, target: Target, children: number): Promise<Record<FastSide, FastReport[]>> {
  const reports: Record<FastSide, FastReport[]> = { raw: [], adapter: [] };
  for (let child = 0; child < children; child++) {
    for (const side of (child % 2 === 0 ? ["raw", "adapter"] : ["adapter", "raw"]) as FastSide[]) {
      reports[side].push(await runChild(origin, warmUpFile, target, [side], 1, `${target.label} memory ${side} #${child + 1}`));
    }
  }
  return reports;
}

function wallRow(label: string, samples: Record<FastSide, number[]>): ComparisonRow {
  const ratio = median(samples.adapter) / median(samples.raw);
  return {
    goal: "fast wall time",
    metric: `${label}: request to parsed answer, ms`,
    raw: summarise(samples.raw),
    adapter: summarise(samples.adapter),
    comparison: `${formatNumber(ratio, 3)}x`,
    target: `<= ${WALL_GOAL}x`,
    verdict: ratio <= WALL_GOAL ? "met" : "MISSED",
  };
}

function rssRow(reports: Record<FastSide, FastReport[]>): ComparisonRow {
  const growth = (side: FastSide): number[] => reports[side].map((report) => (report.rssPeak - report.rssBefore) / MB);
  const adapterWorst = Math.max(...growth("adapter"));
  return {
    goal: "fast memory",
    metric: "1 GiB upload: RSS growth (peak - before), MB",
    raw: summarise(growth("raw")),
    adapter: summarise(growth("adapter")),
    comparison: `${formatNumber(median(growth("adapter")) - median(growth("raw")), 1)} MB`,
    target: `adapter <= ${RSS_BOUND_MB} MB`,
    verdict: adapterWorst <= RSS_BOUND_MB ? "met" : "MISSED",
  };
}

async function main(): Promise<void> {
  const directory = mkdtempSync(join(tmpdir(), "sttkit-bench-fast-"));
  const server = await startAzureReplayServer({ session: loadOneTurnSession("librivox-multi"), expectedKey: KEY, maxUploadBytes: 2 * GIB });
  const loadBefore = loadavg();
  try {
    // Warm-up on the 10-minute file: the same code path as the measured requests, hundreds of blocks.
    const tenMinutes = { ...writeTenMinutes(directory), label: "10 min (19 MB)" };
    const tenWall = await measureWall(server.origin, tenMinutes.file, tenMinutes, PLAN.tenMinutes);
    const gib = { ...writeGib(directory), label: "1 GiB" };
    const gibWall = await measureWall(server.origin, tenMinutes.file, gib, PLAN.gibWall);
    const gibMemory = await measureMemory(server.origin, tenMinutes.file, gib, PLAN.gibMemory.children);
    const problems = server.fastRequests.flatMap((request) => request.problems);
    if (problems.length > 0) throw new Error(`the double refused a request: ${problems.join("; ")}`);
    const rows = [wallRow("10 min (19 MB) file", tenWall), wallRow("1 GiB file", gibWall), rssRow(gibMemory)];
    console.log(renderTable(comparisonTable(rows, (row) => (row.goal === "fast memory" ? 1 : 0))));
    console.log(`\nmachine: ${cpus().length} CPUs, load ${loadBefore.map((l) => l.toFixed(2)).join(" ")} before, ${loadavg().map((l) => l.toFixed(2)).join(" ")} after`);
    mkdirSync(new URL("../../results/", import.meta.url), { recursive: true });
    writeFileSync(
      new URL("../../results/azure-fast-latest.json", import.meta.url),
      `${JSON.stringify({ quick: QUICK, rows, samples: { tenMinutesWall: tenWall, gibWall, gibMemory }, loadBefore, loadAfter: loadavg() }, null, 1)}\n`,
    );
  } finally {
    await server.close();
    rmSync(directory, { recursive: true, force: true });
  }
}

await main();
