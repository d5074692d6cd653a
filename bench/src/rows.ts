import type { LatencySamples } from "./azure-latency.js";
import type { SideReports } from "./azure-load.js";
import type { Side } from "./client.js";
import type { DeepgramSamples } from "./deepgram/measure.js";
import type { OfflineSamples } from "./offline.js";
import type { OpenAIPlan, OpenAISamples } from "./openai.js";
import { assessRow, type AssessedRow, type RowSpec } from "./stats/index.js";
import type { WorkerReport } from "./worker-protocol.js";

const MB = 1024 * 1024;

export const cpuPerAudioMinute = (report: WorkerReport): number => report.cpuMs / 1000 / (report.audioSeconds / 60);
export const throughput = (report: WorkerReport): number => report.audioSeconds / (report.wallMs / 1000);

/** One load level of one vendor: the reports of each side's repetitions, in ABAB order. */
export interface LoadLevel {
  readonly streams: number;
  readonly reports: Readonly<Record<Side, readonly WorkerReport[]>>;
}

function fromReports(spec: RowSpec, reports: LoadLevel["reports"], figure: (report: WorkerReport) => number): AssessedRow {
  return assessRow(spec, reports.raw.map(figure), reports.adapter.map(figure));
}

const atMost = (limit: number) => ({ bound: "atMost", limit }) as const;

/** A p99 (or median) difference in ms over per-phrase samples. */
function latencyRow(id: string, goal: string, metric: string, series: Record<Side, number[]>, statistic: "median" | "p99", limitMs: number | undefined): AssessedRow {
  return assessRow(
    { id, goal, metric, unit: "ms", statistic, comparison: "difference", ...(limitMs === undefined ? {} : { target: atMost(limitMs) }) },
    series.raw,
    series.adapter,
  );
}

export function azureLatencyRows(samples: LatencySamples): AssessedRow[] {
  return [
    latencyRow("1a/final", "1a", "phrase on the wire → final, for await", samples.phraseToFinalMs, "p99", 1),
    latencyRow("1a/callback", "1a", "… to the onEvent callback", samples.phraseToCallbackMs, "p99", 1),
    latencyRow("1b/done/median", "1b", "last audio byte → end() done", samples.lastAudioToDoneMs, "median", 5),
    latencyRow("1b/done/p99", "1b", "last audio byte → end() done", samples.lastAudioToDoneMs, "p99", 5),
    // Not a goal: the adapter's end() also releases the recognizer, which the 1b raw figure leaves out.
    latencyRow("1b/released", "1b", "… up to the recognizer released too (context)", samples.lastAudioToReleasedMs, "median", undefined),
  ];
}

/** CPU per audio minute and peak RSS per stream at each level (goal ≤ 1.10× raw), paired by repetition. */
export function loadRows(goal: string, levels: readonly LoadLevel[]): AssessedRow[] {
  return levels.flatMap((level) => [
    fromReports(
      { id: `${goal}/cpu/${level.streams}`, goal, metric: `${level.streams} streams: CPU per audio minute`, unit: "s", statistic: "median", comparison: "ratio", target: atMost(1.1), paired: true },
      level.reports,
      cpuPerAudioMinute,
    ),
    fromReports(
      { id: `${goal}/rss/${level.streams}`, goal, metric: `${level.streams} streams: peak RSS per stream`, unit: "MB", statistic: "median", comparison: "ratio", target: atMost(1.1), paired: true },
      level.reports,
      (report) => report.peakRssBytes / MB / level.streams,
    ),
  ]);
}

/** One-time start-up per process, over every child of the section: loading the side, then its first stream. No goal; reported apart from the per-minute cost. */
export function startupRows(goal: string, levels: readonly LoadLevel[]): AssessedRow[] {
  const all = (side: Side): WorkerReport[] => levels.flatMap((level) => level.reports[side]);
  const reports = { raw: all("raw"), adapter: all("adapter") };
  return [
    fromReports({ id: `${goal}/startup/load`, goal, metric: "start-up: loading the side's modules", unit: "ms", statistic: "median", comparison: "ratio" }, reports, (report) => report.startup.moduleLoadMs),
    fromReports({ id: `${goal}/startup/first`, goal, metric: "start-up: first stream (3 s, first connection)", unit: "ms", statistic: "median", comparison: "ratio" }, reports, (report) => report.startup.firstStreamMs),
  ];
}

/** 1d: `transcribe()` throughput, audio s per wall s; the goal ≥ 0.98× raw. */
export function throughputRow(minutes: number, reports: SideReports): AssessedRow {
  return fromReports(
    { id: "1d/throughput", goal: "1d", metric: `transcribe() of a ${minutes} min file, audio s per wall s`, unit: "×RT", statistic: "median", comparison: "ratio", target: { bound: "atLeast", limit: 0.98 }, paired: true },
    reports,
    throughput,
  );
}

export function offlineRows(samples: OfflineSamples): AssessedRow[] {
  const wer = samples.wer;
  return [
    assessRow({ id: "2/rtf", goal: "2", metric: "real-time factor, 5 files per repetition", unit: "RTF", statistic: "median", comparison: "ratio", target: atMost(1.05), paired: true }, samples.realTimeFactor.raw, samples.realTimeFactor.adapter),
    // Deterministic: one corpus figure per side; the adapter may not transcribe worse than the engine.
    assessRow({ id: "2/wer", goal: "2", metric: "corpus WER, 5 LibriVox fixtures", unit: "%", statistic: "median", comparison: "difference", target: atMost(0), minimumSamples: 1 }, [wer.raw.wer * 100], [wer.adapter.wer * 100]),
  ];
}

export function deepgramRows(samples: DeepgramSamples): AssessedRow[] {
  const levels = samples.load.map((level) => ({ streams: level.streams, reports: level.reports }));
  const withoutReplay = samples.load
    .filter((level) => level.reports["adapter-no-replay"].length > 0)
    .flatMap((level) => {
      const reports = { raw: level.reports.raw, adapter: level.reports["adapter-no-replay"] };
      return [
        fromReports({ id: `4/no-replay/cpu/${level.streams}`, goal: "4", metric: `${level.streams} streams, adapter without replay: CPU per audio minute`, unit: "s", statistic: "median", comparison: "ratio", paired: true }, reports, cpuPerAudioMinute),
        fromReports({ id: `4/no-replay/rss/${level.streams}`, goal: "4", metric: `${level.streams} streams, adapter without replay: peak RSS per stream`, unit: "MB", statistic: "median", comparison: "ratio", paired: true }, reports, (report) => report.peakRssBytes / MB / level.streams),
      ];
    });
  return [latencyRow("4/latency", "4", "final on the server's socket → final, for await", samples.latencyMs, "p99", 1), ...loadRows("4", levels), ...withoutReplay, ...startupRows("4", levels)];
}

export function openaiRows(samples: OpenAISamples, plan: OpenAIPlan): AssessedRow[] {
  const wall = (id: string, metric: string, series: Record<Side, number[]>): AssessedRow =>
    assessRow({ id, goal: "5a", metric, unit: "ms", statistic: "median", comparison: "ratio", target: atMost(1.05), paired: true }, series.raw, series.adapter);
  return [
    wall("5a/gpt-4o-transcribe", `transcribe() of ${plan.transcribeFixture}, gpt-4o-transcribe: wall time`, samples.transcribeMs["gpt-4o-transcribe"]),
    wall("5a/whisper-1", "… whisper-1 (verbose_json, segments built): wall time", samples.transcribeMs["whisper-1"]),
    latencyRow("5b/final", "5b", "Realtime: completed on the wire → final, for await", samples.completedToFinalMs, "p99", 1),
    latencyRow("5b/callback", "5b", "… to the onEvent callback", samples.completedToCallbackMs, "p99", 1),
  ];
}
