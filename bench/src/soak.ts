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

/**
 * The full soak (the issue's figures: 100 streams × 30 audio minutes; at 4× real time unless
 * `--speed 1`) and the short form CI runs. `rotateSeconds` is the adapter's recognizer rotation.
 * The soak's recording never reports an end of speech, so a stream rotates at a final once twice
 * the interval has gone by: with the default 10 minutes that is once, at 20 minutes, and a
 * 30-minute slope measures one climb of the SDK's memory rather than a trend. The full soak
 * rotates every 2 minutes (`--rotate-s 600` shows the default); the short one every 30 s so
 * that it happens at all.
 */
const PLANS = {
  full: { streams: 100, minutes: 30, speed: 4, faultyShare: 0.1, rotateSeconds: 120 },
  short: { streams: 20, minutes: 2, speed: 8, faultyShare: 0.1, rotateSeconds: 30 },
} as const;

/** Audio the local servers keep per recognition turn, ms (see `AzureReplayServerOptions.retainAudioMs`). */
const RETAINED_AUDIO_MS = 60_000;

/** The soak's goal for the adapter: RSS growth after warm-up, KB per stream per audio minute. */
const GOAL_KB_PER_STREAM_AUDIO_MINUTE = 10;

type Side = SoakJob["side"];

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
 * Memory after warm-up: the samples while every stream is still running, from the first third of
 * that span on. Flat memory shows as a slope near 0 MB per minute of audio per stream. The
 * adapter's process takes one step of native memory during its first rotations (the allocator
 * keeps what 100 recognizers rotating at once asked for; it does not recur), seen at 4 to 9 audio
 * minutes here: a third (10 minutes of 30) is past it. The slope from the first fifth on is
 * reported beside it, step included.
 */
function memoryTrend(samples: readonly SoakSample[], streams: number) {
  const running = samples.filter((sample) => sample.openStreams === streams);
  const warm = running.slice(Math.floor(running.length / 3));
  const fromFirstFifth = running.slice(Math.floor(running.length / 5));
  const first = warm[0];
  const last = warm.at(-1);
  // One figure's MB against the audio each stream has sent, in minutes.
  const slopeOf = (span: readonly SoakSample[], megabytes: (sample: SoakSample) => number): number =>
    slope(span.map((sample) => [sample.audioSeconds / 60 / streams, megabytes(sample)] as const));
  return {
    afterWarmUpMb: first?.rssMb ?? Number.NaN,
    atEndMb: last?.rssMb ?? Number.NaN,
    peakMb: Math.max(...samples.map((sample) => sample.rssMb)),
    mbPerAudioMinute: slopeOf(warm, (sample) => sample.rssMb),
    mbPerAudioMinuteFromFirstFifth: slopeOf(fromFirstFifth, (sample) => sample.rssMb),
    heapMbPerAudioMinute: slopeOf(warm, (sample) => sample.heapUsedMb),
    heapTotalMbPerAudioMinute: slopeOf(warm, (sample) => sample.heapTotalMb),
    externalMbPerAudioMinute: slopeOf(warm, (sample) => sample.externalMb),
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
      side: { type: "string", default: "both" },
      "rotate-s": { type: "string" },
    },
  });
  const plan = values.short ? PLANS.short : PLANS.full;
  const streams = Number(values.streams ?? plan.streams);
  const minutes = Number(values.minutes ?? plan.minutes);
  const speed = Number(values.speed ?? plan.speed);
  const rotateSeconds = Number(values["rotate-s"] ?? plan.rotateSeconds);
  const sides: Side[] = values.side === "both" ? ["adapter", "raw"] : values.side === "adapter" || values.side === "raw" ? [values.side] : [];
  if (![streams, minutes, speed].every((value) => Number.isFinite(value) && value > 0) || !Number.isInteger(minutes) || !(rotateSeconds >= 0) || sides.length === 0) {
    console.error("usage: npm run soak -- [--short] [--streams N] [--minutes WHOLE_MINUTES] [--speed X] [--time-limit-s S] [--side adapter|raw|both] [--rotate-s S (0: no rotation)]");
    return 2;
  }
  const timeLimitMs = Number(values["time-limit-s"] ?? Math.ceil(((minutes * 60) / speed) * 3 + 120)) * 1000;
  const audio = loadBenchAudio(FIXTURE);
  const session = repeatSession(loadOneTurnSession(FIXTURE), audio.durationMs, minutes);
  const expected = recordedFinalTexts(session);
  const faultyStreams = Math.round(streams * plan.faultyShare);
  console.error(`soak: ${streams} streams × ${minutes} min of audio at ${speed}× real time (${faultyStreams} of them lose their connection once), limit ${timeLimitMs / 1000} s`);

  const started = new Date();
  const runs: Partial<Record<Side, SideRun>> = {};
  for (const side of sides) {
    // Each side in its own child (its memory is its own) and with its own servers: the replay
    // server recognises a stream by its audio, and every stream here sends the same.
    // A minute of each turn's audio is what the servers keep: a stream moving to a new recognizer
    // starts at its last final, seconds back, and 100 streams × 30 minutes would otherwise be 5.8 GB.
    const clean = await startAzureReplayServer({ session, retainAudioMs: RETAINED_AUDIO_MS });
    // The SDK resumes a dropped connection by itself, replaying from the last final: nothing may be lost or doubled.
    const faulty = await startAzureReplayServer({ session, retainAudioMs: RETAINED_AUDIO_MS, faults: { dropAfterPhrases: 3, connections: faultyStreams } });
    try {
      const job: SoakJob = { cleanHost: clean.host, faultyHost: faulty.host, faultyStreams, streams, fixtureId: FIXTURE, repeats: minutes, speed, sampleMs: 1_000, timeLimitMs, side, rotateSeconds };
      console.error(`soak: ${side === "adapter" ? `adapter (recognizer rotation every ${rotateSeconds} s of audio)` : "raw Speech SDK"}...`);
      const report = await runScriptInChild<SoakReport>(WORKER, job, timeLimitMs + 60_000, "soak");
      runs[side] = summarise(report, expected, streams, faulty.connections.length - faultyStreams);
    } finally {
      await Promise.all([clean.close(), faulty.close()]);
    }
  }

  const adapter = runs.adapter;
  const raw = runs.raw;
  const shown = adapter ?? raw;
  if (shown) {
    const every = Math.max(1, Math.ceil(shown.report.samples.length / 12));
    const series = shown.report.samples.filter((_, index) => index % every === 0 || index === shown.report.samples.length - 1);
    console.log(
      renderTable({
        title: `RSS over time, ${adapter ? "adapter" : "raw SDK"} (child process with the ${streams} streams; baseline after warm-up ${formatNumber(shown.report.baselineRssMb, 1)} MB)`,
        header: ["t (s)", "audio sent (min per stream)", "open streams", "RSS MB", "heap used MB", "heap committed MB", "external MB"],
        rows: series.map((sample) => [
          formatNumber(sample.atSeconds, 0),
          formatNumber(sample.audioSeconds / 60 / streams, 2),
          String(sample.openStreams),
          formatNumber(sample.rssMb, 1),
          formatNumber(sample.heapUsedMb, 1),
          formatNumber(sample.heapTotalMb, 1),
          formatNumber(sample.externalMb, 1),
        ]),
      }),
    );
    console.log();
  }
  const column = (pick: (run: SideRun) => string): string[] => sides.map((side) => (runs[side] ? pick(runs[side]) : "-"));
  // The trend is of the whole process's RSS against the audio each stream sent: per stream, divide by the streams.
  const kbPerStream = (mbPerAudioMinute: number): number => (mbPerAudioMinute * 1024) / streams;
  const kb = (run: SideRun): number => kbPerStream(run.trend.mbPerAudioMinute);
  console.log(
    renderTable({
      title: `Soak summary: ${streams} streams (${faultyStreams} lose their connection once) × ${minutes} min of audio at ${speed}× real time`,
      header: ["figure", ...sides.map((side) => (side === "adapter" ? `adapter, rotation every ${rotateSeconds} s` : "raw Speech SDK"))],
      rows: [
        ["finals expected per stream", ...column(() => String(expected.length))],
        ["finals lost", ...column((run) => String(run.lost))],
        ["finals duplicated", ...column((run) => String(run.duplicated))],
        ["streams with finals out of order", ...column((run) => String(run.outOfOrder))],
        ["streams failed", ...column((run) => String(run.failed.length))],
        ["connections to the faulty server beyond one per stream (SDK resumes, rotations) / adapter restarts", ...column((run) => `${run.reconnections} / ${run.restarts}`)],
        ["RSS after warm-up → at end of streaming (MB)", ...column((run) => `${formatNumber(run.trend.afterWarmUpMb, 1)} → ${formatNumber(run.trend.atEndMb, 1)}`)],
        ["RSS peak (MB)", ...column((run) => formatNumber(run.trend.peakMb, 1))],
        [`RSS slope after warm-up, the first third (KB per stream per audio minute; goal for the adapter ≤ ${GOAL_KB_PER_STREAM_AUDIO_MINUTE})`, ...column((run) => formatNumber(kb(run), 1))],
        ["RSS slope from the first fifth on (KB per stream per audio minute)", ...column((run) => formatNumber(kbPerStream(run.trend.mbPerAudioMinuteFromFirstFifth), 1))],
        ["heap slope after warm-up, used / committed (KB per stream per audio minute)", ...column((run) => `${formatNumber(kbPerStream(run.trend.heapMbPerAudioMinute), 1)} / ${formatNumber(kbPerStream(run.trend.heapTotalMbPerAudioMinute), 1)}`)],
        ["external memory slope after warm-up (KB per stream per audio minute)", ...column((run) => formatNumber(kbPerStream(run.trend.externalMbPerAudioMinute), 1))],
        ["wall time / CPU time (s)", ...column((run) => `${formatNumber(run.report.wallSeconds, 1)} / ${formatNumber(run.report.cpuSeconds, 1)}`)],
      ],
    }),
  );
  if (adapter && raw) {
    console.log(`adapter RSS slope ${formatNumber(kb(adapter), 1)} vs raw SDK ${formatNumber(kb(raw), 1)} KB per stream per audio minute (adapter/raw ${formatNumber(kb(adapter) / kb(raw), 2)})`);
  }
  for (const side of sides) for (const stream of runs[side]?.failed.slice(0, 5) ?? []) console.log(`failed stream (${side}): ${stream.error}`);

  mkdirSync(new URL("../results/", import.meta.url), { recursive: true });
  const file = new URL(`../results/soak-${values.short ? "short" : "full"}.json`, import.meta.url);
  const json = Object.fromEntries(
    Object.entries(runs).map(([side, run]) => [
      side,
      { lost: run.lost, duplicated: run.duplicated, outOfOrder: run.outOfOrder, failed: run.failed.length, reconnections: run.reconnections, restarts: run.restarts, kbPerStreamAudioMinute: kb(run), trend: run.trend, report: run.report },
    ]),
  );
  writeFileSync(
    file,
    `${JSON.stringify({ startedAt: started.toISOString(), machine: { cpus: cpus().length, loadAverageAfter: loadavg() }, plan: { streams, minutes, speed, faultyStreams, timeLimitMs, rotateSeconds, sides }, expectedFinals: expected.length, goalKbPerStreamAudioMinute: GOAL_KB_PER_STREAM_AUDIO_MINUTE, ...json }, null, 1)}\n`,
  );
  console.error(`soak: results in ${file.pathname}`);
  // The adapter's correctness is the soak's pass mark (the raw SDK is the baseline, reported); memory figures are reported, never asserted.
  const judged = runs.adapter ?? runs.raw;
  return judged && judged.lost === 0 && judged.duplicated === 0 && judged.outOfOrder === 0 && judged.failed.length === 0 ? 0 : 1;
}

/** One side's run, judged: finals against the expected ones, the memory trend, the reconnections. */
interface SideRun {
  readonly report: SoakReport;
  readonly lost: number;
  readonly duplicated: number;
  readonly outOfOrder: number;
  readonly failed: ReadonlyArray<{ readonly error?: string }>;
  readonly restarts: number;
  readonly reconnections: number;
  readonly trend: ReturnType<typeof memoryTrend>;
}

function summarise(report: SoakReport, expected: readonly string[], streams: number, reconnections: number): SideRun {
  const perStream = report.outcomes.map((outcome) => ({ ...outcome, ...compareFinals(expected, outcome.finals) }));
  return {
    report,
    lost: perStream.reduce((sum, stream) => sum + stream.lost, 0),
    duplicated: perStream.reduce((sum, stream) => sum + stream.duplicated, 0),
    outOfOrder: perStream.filter((stream) => !stream.inOrder).length,
    failed: perStream.filter((stream) => stream.error !== undefined),
    restarts: perStream.reduce((sum, stream) => sum + stream.recovered, 0),
    reconnections,
    trend: memoryTrend(report.samples, streams),
  };
}

process.exitCode = await main();
