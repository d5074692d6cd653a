import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { measureAzureLatency, type LatencySamples } from "./azure-latency.js";
import { measureConcurrentStreams, measureWholeFile, type SideReports } from "./azure-load.js";
import { SIDES, type Side } from "./client.js";
import { loadOneTurnSession, loadBenchAudio } from "./fixtures.js";
import { measureOffline, type OfflineSamples } from "./offline.js";
import { measureOpenAI, type OpenAIPlan, type OpenAISamples } from "./openai.js";
import { comparisonTable, formatNumber, renderTable, type ComparisonRow, type Table, type Verdict } from "./report.js";
import { median, summarise } from "./stats.js";
import { measureFastTranscription } from "./azure-fast/measure.js";
import type { WorkerReport } from "./worker-protocol.js";

/** How much of each measurement a run does. */
interface BenchPlan {
  readonly mode: "quick" | "full";
  readonly phraseRuns: number;
  readonly finishRuns: number;
  /** Concurrency levels, the fixture each uses, and how often each is repeated. */
  readonly concurrency: ReadonlyArray<{ readonly streams: number; readonly fixtureId: string; readonly repetitions: number }>;
  /** Repeats of the 60 s fixture making the throughput file (10 = 10 minutes), and runs per side. */
  readonly throughputRepeats: number;
  readonly throughputRepetitions: number;
  /** Further recording lengths for the length axis of the scaling table (fixture × repeats). */
  readonly lengths: ReadonlyArray<{ readonly fixtureId: string; readonly repeats: number }>;
  readonly offlineRepetitions: number;
  /** The OpenAI adapter against the raw openai SDK. */
  readonly openai: OpenAIPlan;
}

const LONG_FIXTURE = "espeak-long-60s";
const OFFLINE_FIXTURES = ["librivox-0870", "librivox-0880", "librivox-0890", "librivox-0930", "librivox-multi"];

const PLANS: Record<BenchPlan["mode"], BenchPlan> = {
  quick: {
    mode: "quick",
    phraseRuns: 2,
    finishRuns: 8,
    concurrency: [
      { streams: 1, fixtureId: "librivox-0870", repetitions: 1 },
      { streams: 10, fixtureId: "librivox-0870", repetitions: 1 },
      { streams: 100, fixtureId: "librivox-0870", repetitions: 1 },
    ],
    throughputRepeats: 2,
    throughputRepetitions: 1,
    lengths: [
      { fixtureId: "librivox-multi", repeats: 1 },
      { fixtureId: LONG_FIXTURE, repeats: 1 },
    ],
    offlineRepetitions: 2,
    openai: { transcribeFixture: LONG_FIXTURE, transcribeRuns: 15, realtimeFixture: LONG_FIXTURE, realtimeRuns: 2, realtimeSpeed: 10 },
  },
  full: {
    mode: "full",
    phraseRuns: 8,
    finishRuns: 30,
    concurrency: [
      { streams: 1, fixtureId: "librivox-multi", repetitions: 2 },
      { streams: 10, fixtureId: "librivox-multi", repetitions: 2 },
      { streams: 100, fixtureId: "librivox-multi", repetitions: 1 },
      { streams: 200, fixtureId: "librivox-multi", repetitions: 1 },
    ],
    throughputRepeats: 10,
    throughputRepetitions: 3,
    lengths: [
      { fixtureId: "librivox-multi", repeats: 1 },
      { fixtureId: LONG_FIXTURE, repeats: 1 },
      { fixtureId: LONG_FIXTURE, repeats: 5 },
      { fixtureId: LONG_FIXTURE, repeats: 30 },
    ],
    offlineRepetitions: 4,
    openai: { transcribeFixture: LONG_FIXTURE, transcribeRuns: 60, realtimeFixture: LONG_FIXTURE, realtimeRuns: 8, realtimeSpeed: 10 },
  },
};

const MB = 1024 * 1024;

function progress(line: string): void {
  process.stderr.write(`${line}\n`);
}

function verdict(met: boolean): Verdict {
  return met ? "met" : "MISSED";
}

function seriesOf(reports: SideReports, figure: (report: WorkerReport) => number): Record<Side, number[]> {
  return { raw: reports.raw.map(figure), adapter: reports.adapter.map(figure) };
}

/** A row judged on the ratio of medians (adapter / raw) against `limit`; `limit` undefined reports it without a goal. */
function ratioRow(goal: string, metric: string, series: Record<Side, number[]>, limit: number | undefined): ComparisonRow {
  const ratio = median(series.adapter) / median(series.raw);
  return {
    goal,
    metric,
    raw: summarise(series.raw),
    adapter: summarise(series.adapter),
    comparison: `${formatNumber(ratio, 3)}× (medians)`,
    target: limit === undefined ? "—" : `≤ ${limit.toFixed(2)}× raw`,
    verdict: limit === undefined ? "info" : verdict(ratio <= limit),
  };
}

/** A row judged on differences (adapter − raw) in ms; `onP99Only` when the goal names only the p99. */
function deltaRow(goal: string, metric: string, series: Record<Side, number[]>, limitMs: number, onP99Only: boolean): ComparisonRow {
  const raw = summarise(series.raw);
  const adapter = summarise(series.adapter);
  const medianDelta = adapter.median - raw.median;
  const p99Delta = adapter.p99 - raw.p99;
  return {
    goal,
    metric,
    raw,
    adapter,
    comparison: `median ${medianDelta >= 0 ? "+" : ""}${formatNumber(medianDelta, 2)} ms, p99 ${p99Delta >= 0 ? "+" : ""}${formatNumber(p99Delta, 2)} ms`,
    target: onP99Only ? `p99 ≤ raw + ${limitMs} ms` : `median and p99 ≤ raw + ${limitMs} ms`,
    verdict: verdict(p99Delta <= limitMs && (onP99Only || medianDelta <= limitMs)),
  };
}

function latencyRows(samples: LatencySamples): ComparisonRow[] {
  return [
    deltaRow("1a", "phrase on the wire → final delivered (ms)", samples.phraseToFinalMs, 1, true),
    deltaRow("1a", "… to the onEvent callback instead of for await (ms)", samples.phraseToCallbackMs, 1, true),
    deltaRow("1b", "last audio byte → last final, session done (ms)", samples.lastAudioToDoneMs, 5, false),
    // Not a goal: the adapter's end() also releases the recognizer, which the 1b raw figure leaves out.
    { ...deltaRow("1b", "… up to the recognizer released too (ms)", samples.lastAudioToReleasedMs, 5, false), target: "— (context)", verdict: "info" },
  ];
}

interface ConcurrencyResult {
  readonly streams: number;
  readonly fixtureId: string;
  readonly reports: SideReports;
}

const cpuPerAudioMinute = (report: WorkerReport): number => report.cpuMs / 1000 / (report.audioSeconds / 60);
const streamsOf = (result: ConcurrencyResult) => result.streams;

function concurrencyRows(results: readonly ConcurrencyResult[]): ComparisonRow[] {
  return results.flatMap((result) => [
    ratioRow("1c", `${result.streams} streams: CPU s per audio minute`, seriesOf(result.reports, cpuPerAudioMinute), 1.1),
    ratioRow("1c", `${result.streams} streams: peak RSS per stream (MB)`, seriesOf(result.reports, (report) => report.peakRssBytes / MB / streamsOf(result)), 1.1),
  ]);
}

function concurrencyScalingTable(results: readonly ConcurrencyResult[]): Table {
  const cell = (result: ConcurrencyResult, side: Side, figure: (report: WorkerReport) => number, digits = 2): string =>
    formatNumber(median(result.reports[side].map(figure)), digits);
  const growth = (report: WorkerReport, streams: number): number => (report.peakRssBytes - report.baselineRssBytes) / MB / streams;
  return {
    title: "Scaling with concurrent real-time streams (3; medians; ΔRSS = peak − baseline after warm-up)",
    header: ["streams", "fixture", "CPU s/audio min raw", "adapter", "ratio", "peak RSS MB raw", "adapter", "ΔRSS MB/stream raw", "adapter", "ratio", "wall s raw", "adapter"],
    rows: results.map((result) => {
      const cpuRaw = median(result.reports.raw.map(cpuPerAudioMinute));
      const cpuAdapter = median(result.reports.adapter.map(cpuPerAudioMinute));
      const growthRaw = median(result.reports.raw.map((report) => growth(report, result.streams)));
      const growthAdapter = median(result.reports.adapter.map((report) => growth(report, result.streams)));
      return [
        String(result.streams),
        result.fixtureId,
        formatNumber(cpuRaw, 3),
        formatNumber(cpuAdapter, 3),
        formatNumber(cpuAdapter / cpuRaw, 3),
        cell(result, "raw", (report) => report.peakRssBytes / MB, 1),
        cell(result, "adapter", (report) => report.peakRssBytes / MB, 1),
        formatNumber(growthRaw, 2),
        formatNumber(growthAdapter, 2),
        formatNumber(growthAdapter / growthRaw, 3),
        cell(result, "raw", (report) => report.wallMs / 1000, 1),
        cell(result, "adapter", (report) => report.wallMs / 1000, 1),
      ];
    }),
  };
}

interface LengthResult {
  readonly fixtureId: string;
  readonly repeats: number;
  readonly audioSeconds: number;
  readonly reports: SideReports;
}

const throughput = (report: WorkerReport): number => report.audioSeconds / (report.wallMs / 1000);

function lengthScalingTable(results: readonly LengthResult[]): Table {
  const of = (result: LengthResult, side: Side, figure: (report: WorkerReport) => number): number => median(result.reports[side].map(figure));
  const growthMb = (report: WorkerReport): number => (report.peakRssBytes - report.baselineRssBytes) / MB;
  return {
    title: "Scaling with recording length, one transcribe() at full speed (3; medians; ΔRSS = peak − baseline)",
    header: ["audio", "fixture × n", "audio s/wall s raw", "adapter", "ΔRSS MB raw", "adapter", "ΔRSS MB per audio min raw", "adapter", "CPU s/audio min raw", "adapter", "ratio"],
    rows: [...results]
      .sort((a, b) => a.audioSeconds - b.audioSeconds)
      .map((result) => {
        const minutes = result.audioSeconds / 60;
        const cpuRaw = of(result, "raw", cpuPerAudioMinute);
        const cpuAdapter = of(result, "adapter", cpuPerAudioMinute);
        return [
          minutes < 1 ? `${result.audioSeconds.toFixed(0)} s` : `${minutes.toFixed(minutes < 10 ? 1 : 0)} min`,
          `${result.fixtureId} × ${result.repeats}`,
          formatNumber(of(result, "raw", throughput), 1),
          formatNumber(of(result, "adapter", throughput), 1),
          formatNumber(of(result, "raw", growthMb), 1),
          formatNumber(of(result, "adapter", growthMb), 1),
          formatNumber(of(result, "raw", growthMb) / minutes, 2),
          formatNumber(of(result, "adapter", growthMb) / minutes, 2),
          formatNumber(cpuRaw, 3),
          formatNumber(cpuAdapter, 3),
          formatNumber(cpuAdapter / cpuRaw, 3),
        ];
      }),
  };
}

function offlineRows(samples: OfflineSamples): ComparisonRow[] {
  const wer = samples.wer;
  const identical = wer.raw.wer === wer.adapter.wer && wer.raw.hits === wer.adapter.hits;
  const werRow: ComparisonRow = {
    goal: "2",
    metric: "corpus WER, 5 LibriVox fixtures (%)",
    raw: { median: wer.raw.wer * 100, p99: wer.raw.wer * 100, samples: samples.transcripts.length },
    adapter: { median: wer.adapter.wer * 100, p99: wer.adapter.wer * 100, samples: samples.transcripts.length },
    comparison: `S/D/I raw ${wer.raw.substitutions}/${wer.raw.deletions}/${wer.raw.insertions}, adapter ${wer.adapter.substitutions}/${wer.adapter.deletions}/${wer.adapter.insertions}`,
    target: "identical",
    verdict: verdict(identical),
  };
  return [ratioRow("2", "real-time factor, wall / audio (5 files, per repetition)", samples.realTimeFactor, 1.05), werRow];
}

function openaiRows(samples: OpenAISamples, plan: OpenAIPlan): ComparisonRow[] {
  return [
    ratioRow("5a", `transcribe() of one file (${plan.transcribeFixture}), gpt-4o-transcribe: wall ms`, samples.transcribeMs["gpt-4o-transcribe"], 1.05),
    ratioRow("5a", `… whisper-1 (verbose_json, segments built): wall ms`, samples.transcribeMs["whisper-1"], 1.05),
    deltaRow("5b", "Realtime: completed transcript on the wire → final delivered (ms)", samples.completedToFinalMs, 1, true),
    deltaRow("5b", "… to the onEvent callback instead of for await (ms)", samples.completedToCallbackMs, 1, true),
  ];
}

function digitsFor(row: ComparisonRow): number {
  if (row.metric.startsWith("fast transcription")) return row.metric.includes("RSS") ? 1 : 0;
  return row.metric.includes("CPU") || row.metric.includes("real-time factor") ? 3 : row.metric.includes("audio s") ? 1 : 2;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const plan = PLANS[args.includes("--quick") ? "quick" : "full"];
  if (args.includes("--openai")) return openaiOnly(plan);
  if (args.includes("--formats")) return (await import("./formats.js")).formatsOnly(progress);
  const started = new Date();
  const loadBefore = loadavg();
  const problems: string[] = [];
  progress(`sttkit bench, ${plan.mode} mode, Node ${process.versions.node}, ${cpus().length} CPUs, load average ${loadBefore.map((load) => load.toFixed(2)).join(" ")}`);

  progress("1a/1b: Azure adapter vs raw SDK latency, one process, through a timestamping relay");
  const latency = await measureAzureLatency(
    {
      phraseAudio: loadBenchAudio(LONG_FIXTURE),
      phraseSession: loadOneTurnSession(LONG_FIXTURE),
      // Ten times real time keeps a run at 6 s while phrases still arrive one by one, as in real time.
      phraseSpeed: 10,
      phraseRuns: plan.phraseRuns,
      finishAudio: loadBenchAudio("librivox-0880"),
      finishSession: loadOneTurnSession("librivox-0880"),
      finishSpeed: 4,
      finishRuns: plan.finishRuns,
    },
    progress,
  );
  problems.push(...latency.problems);

  progress("1c: concurrent real-time streams, each side in its own child process");
  const concurrency: ConcurrencyResult[] = [];
  for (const level of plan.concurrency) {
    concurrency.push({ ...level, reports: await measureConcurrentStreams(level.fixtureId, level.streams, level.repetitions, problems) });
    progress(`  ${level.streams} streams done`);
  }

  progress(`1d: transcribe() throughput on a ${plan.throughputRepeats}-minute recording`);
  const throughputReports = await measureWholeFile(LONG_FIXTURE, plan.throughputRepeats, plan.throughputRepetitions, problems);
  const lengths: LengthResult[] = [
    { fixtureId: LONG_FIXTURE, repeats: plan.throughputRepeats, audioSeconds: throughputReports.raw[0]?.audioSeconds ?? Number.NaN, reports: throughputReports },
  ];

  progress("3: recording length scaling");
  for (const length of plan.lengths) {
    const reports = await measureWholeFile(length.fixtureId, length.repeats, 1, problems);
    lengths.push({ ...length, audioSeconds: reports.raw[0]?.audioSeconds ?? Number.NaN, reports });
    progress(`  ${length.fixtureId} × ${length.repeats} done`);
  }

  progress("1e: transcribe() through fast transcription vs a plain fetch of the same request");
  const fast = await measureFastTranscription(plan.mode === "quick", (line) => progress(`  ${line}`));

  progress("2: offline adapter vs pocketsphinx_continuous");
  const offline = await measureOffline(OFFLINE_FIXTURES, plan.offlineRepetitions);

  progress("4: OpenAI adapter vs the raw openai SDK, against the local OpenAI server");
  const openai = await measureOpenAI(plan.openai, progress);
  problems.push(...openai.problems);

  const rows: ComparisonRow[] = [
    ...latencyRows(latency),
    ...concurrencyRows(concurrency),
    ratioRow("1d", `transcribe() throughput, ${plan.throughputRepeats} min file (audio s / wall s; higher is better)`, seriesOf(throughputReports, throughput), undefined),
    ...fast.rows,
    ...offlineRows(offline),
    ...openaiRows(openai, plan.openai),
  ];
  const tables: Table[] = [comparisonTable(rows, digitsFor), concurrencyScalingTable(concurrency), lengthScalingTable(lengths)];
  const loadAfter = loadavg();
  const footer = [
    `mode ${plan.mode}; Node ${process.versions.node}; ${cpus().length} CPUs; load average ${loadBefore.map((load) => load.toFixed(2)).join(" ")} before, ${loadAfter.map((load) => load.toFixed(2)).join(" ")} after; ${((Date.now() - started.getTime()) / 1000).toFixed(0)} s`,
    problems.length === 0 ? "every run delivered every final it should have" : `PROBLEMS (figures above are suspect):\n  ${problems.join("\n  ")}`,
  ];
  process.stdout.write(`${tables.map(renderTable).join("\n\n")}\n\n${footer.join("\n")}\n`);

  const resultsDirectory = new URL("../results/", import.meta.url);
  mkdirSync(resultsDirectory, { recursive: true });
  const json = {
    mode: plan.mode,
    startedAt: started.toISOString(),
    durationSeconds: (Date.now() - started.getTime()) / 1000,
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, node: process.version, loadAverageBefore: loadBefore, loadAverageAfter: loadAfter },
    plan,
    rows,
    tables,
    problems,
    samples: {
      latency,
      concurrency,
      lengths,
      offline,
      fastTranscription: fast.samples,
      openai,
    },
    sides: SIDES,
  };
  writeFileSync(new URL("latest.json", resultsDirectory), `${JSON.stringify(json, null, 2)}\n`);
  progress(`results written to bench/results/latest.json`);
  if (rows.some((row) => row.verdict === "MISSED") || problems.length > 0) progress("some goals were missed or some runs misbehaved: see the table");
}

/** `npm run bench -- --openai`: the OpenAI rows only (both sides still in the same run). */
async function openaiOnly(plan: BenchPlan): Promise<void> {
  const loadBefore = loadavg();
  progress(`sttkit bench, OpenAI only, ${plan.mode} mode, ${cpus().length} CPUs, load average ${loadBefore.map((load) => load.toFixed(2)).join(" ")}`);
  const openai = await measureOpenAI(plan.openai, progress);
  const rows = openaiRows(openai, plan.openai);
  const loadAfter = loadavg();
  process.stdout.write(
    `${renderTable(comparisonTable(rows, digitsFor))}\n\nmode ${plan.mode}; load average ${loadBefore.map((load) => load.toFixed(2)).join(" ")} before, ${loadAfter.map((load) => load.toFixed(2)).join(" ")} after\n` +
      `${openai.problems.length === 0 ? "every run delivered every final it should have" : `PROBLEMS:\n  ${openai.problems.join("\n  ")}`}\n`,
  );
  const resultsDirectory = new URL("../results/", import.meta.url);
  mkdirSync(resultsDirectory, { recursive: true });
  writeFileSync(new URL("openai-latest.json", resultsDirectory), `${JSON.stringify({ plan: plan.openai, rows, samples: openai, loadBefore, loadAfter, node: process.version }, null, 2)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
