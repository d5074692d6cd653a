import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { parseArgs } from "node:util";
import { recordedFinalTexts, startAzureReplayServer } from "@sttkit/conformance/azure";
import { runScriptInChild } from "./child-run.js";
import { loadBenchAudio } from "./fixtures.js";
import { loadOneTurnSession, repeatSession } from "./azure-sessions.js";
import { formatNumber, renderTable } from "./report.js";
import type { SoakJob, SoakReport, SoakSample } from "./soak-protocol.js";

const FIXTURE = "espeak-long-60s";
const WORKER = new URL("./soak-worker.js", import.meta.url);

/** The full soak (the figures) and the short form CI runs. */
const PLANS = {
  full: { streams: 100, minutes: 10, speed: 4, faultyShare: 0.1 },
  short: { streams: 20, minutes: 2, speed: 8, faultyShare: 0.1 },
} as const;

/** Finals missing from `received`, and finals received more often than sent (multiset difference). */
function compareFinals(expected: readonly string[], received: readonly string[]): { lost: number; duplicated: number; inOrder: boolean } {
  const counts = new Map<string, number>();
  for (const text of expected) counts.set(text, (counts.get(text) ?? 0) + 1);
  let duplicated = 0;
  for (const text of received) {
    const left = counts.get(text) ?? 0;
    if (left > 0) counts.set(text, left - 1);
    else duplicated += 1;
  }
  const lost = [...counts.values()].reduce((sum, left) => sum + left, 0);
  return { lost, duplicated, inOrder: lost === 0 && duplicated === 0 && expected.every((text, index) => received[index] === text) };
}

/** Least-squares slope of y over x. */
function slope(points: ReadonlyArray<readonly [number, number]>): number {
  const n = points.length;
  if (n < 2) return Number.NaN;
  const meanX = points.reduce((sum, [x]) => sum + x, 0) / n;
  const meanY = points.reduce((sum, [, y]) => sum + y, 0) / n;
  const numerator = points.reduce((sum, [x, y]) => sum + (x - meanX) * (y - meanY), 0);
  const denominator = points.reduce((sum, [x]) => sum + (x - meanX) ** 2, 0);
  return denominator === 0 ? Number.NaN : numerator / denominator;
}

/**
 * Memory after warm-up: the samples while every stream is still running, from the first fifth of
 * that span on. Flat memory shows as a slope near 0 MB per minute of audio per stream.
 */
function memoryTrend(samples: readonly SoakSample[], streams: number) {
  const running = samples.filter((sample) => sample.openStreams === streams);
  const warm = running.slice(Math.floor(running.length / 5));
  const first = warm[0];
  const last = warm.at(-1);
  const perStreamAudioMinute = (sample: SoakSample): number => sample.audioSeconds / 60 / streams;
  return {
    afterWarmUpMb: first?.rssMb ?? Number.NaN,
    atEndMb: last?.rssMb ?? Number.NaN,
    peakMb: Math.max(...samples.map((sample) => sample.rssMb)),
    mbPerAudioMinute: slope(warm.map((sample) => [perStreamAudioMinute(sample), sample.rssMb] as const)),
    heapMbPerAudioMinute: slope(warm.map((sample) => [perStreamAudioMinute(sample), sample.heapUsedMb] as const)),
  };
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      short: { type: "boolean", default: false },
      streams: { type: "string" },
      minutes: { type: "string" },
      speed: { type: "string" },
      "time-limit-s": { type: "string" },
    },
  });
  const plan = values.short ? PLANS.short : PLANS.full;
  const streams = Number(values.streams ?? plan.streams);
  const minutes = Number(values.minutes ?? plan.minutes);
  const speed = Number(values.speed ?? plan.speed);
  if (![streams, minutes, speed].every((value) => Number.isFinite(value) && value > 0) || !Number.isInteger(minutes)) {
    console.error("usage: npm run soak -- [--short] [--streams N] [--minutes WHOLE_MINUTES] [--speed X] [--time-limit-s S]");
    return 2;
  }
  const timeLimitMs = Number(values["time-limit-s"] ?? Math.ceil(((minutes * 60) / speed) * 3 + 120)) * 1000;
  const audio = loadBenchAudio(FIXTURE);
  const session = repeatSession(loadOneTurnSession(FIXTURE), audio.durationMs, minutes);
  const expected = recordedFinalTexts(session);
  const faultyStreams = Math.round(streams * plan.faultyShare);
  console.error(`soak: ${streams} streams × ${minutes} min of audio at ${speed}× real time (${faultyStreams} of them lose their connection once), limit ${timeLimitMs / 1000} s`);

  const clean = await startAzureReplayServer({ session });
  // The SDK resumes a dropped connection by itself, replaying from the last final: nothing may be lost or doubled.
  const faulty = await startAzureReplayServer({ session, faults: { dropAfterPhrases: 3, connections: faultyStreams } });
  const started = new Date();
  let report: SoakReport;
  let reconnections = 0;
  try {
    const job: SoakJob = { cleanHost: clean.host, faultyHost: faulty.host, faultyStreams, streams, fixtureId: FIXTURE, repeats: minutes, speed, sampleMs: 1_000, timeLimitMs };
    report = await runScriptInChild<SoakReport>(WORKER, job, timeLimitMs + 60_000, "soak");
    reconnections = faulty.connections.length - faultyStreams;
  } finally {
    await Promise.all([clean.close(), faulty.close()]);
  }

  const perStream = report.outcomes.map((outcome) => ({ ...outcome, ...compareFinals(expected, outcome.finals) }));
  const lost = perStream.reduce((sum, stream) => sum + stream.lost, 0);
  const duplicated = perStream.reduce((sum, stream) => sum + stream.duplicated, 0);
  const failed = perStream.filter((stream) => stream.error !== undefined);
  const outOfOrder = perStream.filter((stream) => !stream.inOrder).length;
  const restarts = perStream.reduce((sum, stream) => sum + stream.recovered, 0);
  const trend = memoryTrend(report.samples, streams);
  const audioMinutes = (streams * minutes);

  const every = Math.max(1, Math.ceil(report.samples.length / 12));
  const series = report.samples.filter((_, index) => index % every === 0 || index === report.samples.length - 1);
  console.log(
    renderTable({
      title: `RSS over time (child process with the ${streams} streams; baseline after warm-up ${formatNumber(report.baselineRssMb, 1)} MB)`,
      header: ["t (s)", "audio sent (min per stream)", "open streams", "RSS MB", "heap used MB"],
      rows: series.map((sample) => [
        formatNumber(sample.atSeconds, 0),
        formatNumber(sample.audioSeconds / 60 / streams, 2),
        String(sample.openStreams),
        formatNumber(sample.rssMb, 1),
        formatNumber(sample.heapUsedMb, 1),
      ]),
    }),
  );
  console.log();
  console.log(
    renderTable({
      title: "Soak summary",
      header: ["figure", "value"],
      rows: [
        ["streams (of which lose their connection once)", `${streams} (${faultyStreams})`],
        ["audio per stream / in total", `${minutes} min / ${audioMinutes} min`],
        ["finals expected per stream", String(expected.length)],
        ["finals lost", String(lost)],
        ["finals duplicated", String(duplicated)],
        ["streams with finals out of order", String(outOfOrder)],
        ["streams failed", String(failed.length)],
        ["reconnections after a dropped connection (SDK resumes) / adapter restarts", `${reconnections} / ${restarts}`],
        ["RSS after warm-up → at end of streaming (MB)", `${formatNumber(trend.afterWarmUpMb, 1)} → ${formatNumber(trend.atEndMb, 1)}`],
        ["RSS peak (MB)", formatNumber(trend.peakMb, 1)],
        ["RSS trend after warm-up (MB per audio minute per stream)", formatNumber(trend.mbPerAudioMinute, 2)],
        ["heap trend after warm-up (MB per audio minute per stream)", formatNumber(trend.heapMbPerAudioMinute, 2)],
        ["wall time / CPU time (s)", `${formatNumber(report.wallSeconds, 1)} / ${formatNumber(report.cpuSeconds, 1)}`],
      ],
    }),
  );
  for (const stream of failed.slice(0, 5)) console.log(`failed stream: ${stream.error}`);

  mkdirSync(new URL("../results/", import.meta.url), { recursive: true });
  const file = new URL(`../results/soak-${values.short ? "short" : "full"}.json`, import.meta.url);
  writeFileSync(
    file,
    `${JSON.stringify({ startedAt: started.toISOString(), machine: { cpus: cpus().length, loadAverageAfter: loadavg() }, plan: { streams, minutes, speed, faultyStreams, timeLimitMs }, expectedFinals: expected.length, lost, duplicated, outOfOrder, failed: failed.length, reconnections, restarts, trend, report }, null, 1)}\n`,
  );
  console.error(`soak: results in ${file.pathname}`);
  // Correctness is the soak's pass mark; memory figures are reported, never asserted.
  return lost === 0 && duplicated === 0 && outOfOrder === 0 && failed.length === 0 ? 0 : 1;
}

process.exitCode = await main();
