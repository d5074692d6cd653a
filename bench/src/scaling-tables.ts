import type { SideReports } from "./azure-load.js";
import type { Side } from "./client.js";
import { formatNumber, type Table } from "./report.js";
import { cpuPerAudioMinute, throughput } from "./rows.js";
import { median } from "./stats/index.js";
import type { WorkerReport } from "./worker-protocol.js";

const MB = 1024 * 1024;

export interface ConcurrencyResult {
  readonly streams: number;
  readonly fixtureId: string;
  readonly reports: SideReports;
}

export interface LengthResult {
  readonly fixtureId: string;
  readonly repeats: number;
  readonly audioSeconds: number;
  readonly reports: SideReports;
}

/** Section 3, the streams axis: medians per level (the verdicts are in the main table). */
export function concurrencyScalingTable(results: readonly ConcurrencyResult[]): Table {
  const of = (result: ConcurrencyResult, side: Side, figure: (report: WorkerReport) => number): number => median(result.reports[side].map(figure));
  const growth = (streams: number) => (report: WorkerReport): number => (report.peakRssBytes - report.baselineRssBytes) / MB / streams;
  return {
    title: "Scaling with concurrent real-time streams (3; medians over the repetitions; ΔRSS = peak − baseline after warm-up)",
    header: ["streams", "fixture", "reps", "CPU s/audio min raw", "adapter", "peak RSS MB raw", "adapter", "ΔRSS MB/stream raw", "adapter", "wall s raw", "adapter"],
    rows: results.map((result) => [
      String(result.streams),
      result.fixtureId,
      String(result.reports.raw.length),
      formatNumber(of(result, "raw", cpuPerAudioMinute), 3),
      formatNumber(of(result, "adapter", cpuPerAudioMinute), 3),
      formatNumber(of(result, "raw", (report) => report.peakRssBytes / MB), 1),
      formatNumber(of(result, "adapter", (report) => report.peakRssBytes / MB), 1),
      formatNumber(of(result, "raw", growth(result.streams)), 2),
      formatNumber(of(result, "adapter", growth(result.streams)), 2),
      formatNumber(of(result, "raw", (report) => report.wallMs / 1000), 1),
      formatNumber(of(result, "adapter", (report) => report.wallMs / 1000), 1),
    ]),
  };
}

/** Section 3, the length axis: one `transcribe()` at full speed per length. */
export function lengthScalingTable(results: readonly LengthResult[]): Table {
  const of = (result: LengthResult, side: Side, figure: (report: WorkerReport) => number): number => median(result.reports[side].map(figure));
  const growthMb = (report: WorkerReport): number => (report.peakRssBytes - report.baselineRssBytes) / MB;
  return {
    title: "Scaling with recording length, one transcribe() at full speed (3; medians; ΔRSS = peak − baseline)",
    header: ["audio", "fixture × n", "reps", "audio s/wall s raw", "adapter", "ΔRSS MB raw", "adapter", "ΔRSS MB per audio min raw", "adapter", "CPU s/audio min raw", "adapter"],
    rows: [...results]
      .sort((a, b) => a.audioSeconds - b.audioSeconds)
      .map((result) => {
        const minutes = result.audioSeconds / 60;
        return [
          minutes < 1 ? `${result.audioSeconds.toFixed(0)} s` : `${minutes.toFixed(minutes < 10 ? 1 : 0)} min`,
          `${result.fixtureId} × ${result.repeats}`,
          String(result.reports.raw.length),
          formatNumber(of(result, "raw", throughput), 1),
          formatNumber(of(result, "adapter", throughput), 1),
          formatNumber(of(result, "raw", growthMb), 1),
          formatNumber(of(result, "adapter", growthMb), 1),
          formatNumber(of(result, "raw", growthMb) / minutes, 2),
          formatNumber(of(result, "adapter", growthMb) / minutes, 2),
          formatNumber(of(result, "raw", cpuPerAudioMinute), 3),
          formatNumber(of(result, "adapter", cpuPerAudioMinute), 3),
        ];
      }),
  };
}
