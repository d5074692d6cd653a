/**
 * The bench: every adapter against its raw engine in the same run, each goal judged on a 95 %
 * bootstrap interval. `npm run bench [-- --quick] [--sections a,b | --azure | --deepgram |
 * --openai | --offline] [--compare FILE]`, or `-- --compare FILE --against FILE2` to compare two
 * saved runs without measuring. Tables to stdout, progress to stderr, every sample to
 * `bench/results/latest.json`, the summary to `bench/results/<mode>-summary.json`.
 *
 * @module
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { measureAzureLatency } from "./azure-latency.js";
import { measureConcurrentStreams, measureWholeFile } from "./azure-load.js";
import { measureFastTranscription } from "./azure-fast/measure.js";
import { measureDeepgram } from "./deepgram/measure.js";
import { loadBenchAudio } from "./fixtures.js";
import { loadOneTurnSession } from "./azure-sessions.js";
import { measureOffline } from "./offline.js";
import { measureOpenAI } from "./openai.js";
import { LONG_FIXTURE, PLANS, sectionsFrom, type BenchPlan, type Section } from "./plans.js";
import { comparisonTable, renderTable, verdictTable, type Table } from "./report.js";
import { azureLatencyRows, deepgramRows, loadRows, offlineRows, openaiRows, startupRows, throughputRow } from "./rows.js";
import { readSavedRun, saveRun, type SavedRun, type SectionRun } from "./saved-run.js";
import { concurrencyScalingTable, lengthScalingTable, type ConcurrencyResult, type LengthResult } from "./scaling-tables.js";
import { compareRuns, type AssessedRow } from "./stats/index.js";

const OFFLINE_FIXTURES = ["librivox-0870", "librivox-0880", "librivox-0890", "librivox-0930", "librivox-multi"];

function progress(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** What one section measured: its verdict rows, extra tables, every sample, and what went wrong. */
interface SectionOutcome {
  readonly rows: AssessedRow[];
  readonly tables: Table[];
  readonly samples: unknown;
}

async function runSection(section: Section, plan: BenchPlan, problems: string[]): Promise<SectionOutcome> {
  switch (section) {
    case "azure-latency": {
      progress("1a/1b: Azure adapter vs raw SDK latency, one process, through a timestamping relay");
      const samples = await measureAzureLatency(
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
      problems.push(...samples.problems);
      return { rows: azureLatencyRows(samples), tables: [], samples };
    }
    case "azure-load": {
      progress("1c: concurrent real-time streams, each side in its own child process");
      const results: ConcurrencyResult[] = [];
      for (const level of plan.concurrency) {
        results.push({ ...level, reports: await measureConcurrentStreams(level.fixtureId, level.streams, level.repetitions, problems) });
        progress(`  ${level.streams} streams done (${level.repetitions} repetitions per side)`);
      }
      return { rows: [...loadRows("1c", results), ...startupRows("1c", results)], tables: [concurrencyScalingTable(results)], samples: results };
    }
    case "azure-file": {
      progress(`1d: transcribe() throughput on a ${plan.throughputRepeats}-minute recording, ${plan.throughputRepetitions} runs per side`);
      const throughputReports = await measureWholeFile(LONG_FIXTURE, plan.throughputRepeats, plan.throughputRepetitions, problems);
      const lengths: LengthResult[] = [{ fixtureId: LONG_FIXTURE, repeats: plan.throughputRepeats, audioSeconds: throughputReports.raw[0]?.audioSeconds ?? Number.NaN, reports: throughputReports }];
      progress("3: recording length scaling");
      for (const length of plan.lengths) {
        const reports = await measureWholeFile(length.fixtureId, length.repeats, 1, problems);
        lengths.push({ ...length, audioSeconds: reports.raw[0]?.audioSeconds ?? Number.NaN, reports });
      }
      return { rows: [throughputRow(plan.throughputRepeats, throughputReports)], tables: [lengthScalingTable(lengths)], samples: lengths };
    }
    case "azure-fast": {
      progress("1e: transcribe() through fast transcription vs a plain fetch of the same request");
      const fast = await measureFastTranscription(plan.mode === "quick", (line) => progress(`  ${line}`));
      return { rows: [...fast.rows], tables: [], samples: fast.samples };
    }
    case "offline": {
      progress("2: offline adapter vs pocketsphinx_continuous");
      const samples = await measureOffline(OFFLINE_FIXTURES, plan.offlineRepetitions);
      return { rows: offlineRows(samples), tables: [], samples };
    }
    case "deepgram": {
      progress("4: Deepgram adapter vs the raw @deepgram/sdk, against the local Deepgram server");
      const samples = await measureDeepgram(plan.deepgram, problems, progress);
      return { rows: deepgramRows(samples), tables: [], samples };
    }
    case "openai": {
      progress("5: OpenAI adapter vs the raw openai SDK, against the local OpenAI server");
      const samples = await measureOpenAI(plan.openai, progress);
      problems.push(...samples.problems);
      return { rows: openaiRows(samples, plan.openai), tables: [], samples };
    }
  }
}

const loads = (values: readonly number[]): string => values.map((load) => load.toFixed(2)).join(" ");

function printComparison(before: SavedRun, rows: readonly AssessedRow[], label: string): void {
  const compared = compareRuns(before.rows, rows);
  process.stdout.write(`\n${renderTable(comparisonTable(compared, new Map(rows.map((row) => [row.id, row])), label))}\n`);
  const changed = compared.filter((entry) => entry.significant === true).length;
  const flips = compared.filter((entry) => new Set([entry.before.verdict, entry.after.verdict]).size === 2 && [entry.before.verdict, entry.after.verdict].every((verdict) => verdict === "met" || verdict === "missed")).length;
  process.stdout.write(`${compared.length} goals in both runs: ${changed} changed significantly, ${flips} flipped between met and missed\n`);
}

function optionValue(args: readonly string[], name: string): string | undefined {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : undefined;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const compareWith = optionValue(args, "--compare");
  const against = optionValue(args, "--against");
  if (compareWith !== undefined && against !== undefined) {
    printComparison(readSavedRun(compareWith), readSavedRun(against).rows, `${against} against ${compareWith}`);
    return;
  }
  // The audio-conversion rows (issue 14) are ratios against sox and a memory bound, not adapter vs raw SDK.
  if (args.includes("--formats")) return (await import("./formats.js")).formatsOnly(progress);
  const plan = PLANS[args.includes("--quick") ? "quick" : "full"];
  const sections = sectionsFrom(args);
  const started = new Date();
  const problems: string[] = [];
  progress(`sttkit bench, ${plan.mode} mode, sections ${sections.join(", ")}, Node ${process.versions.node}, ${cpus().length} CPUs, load average ${loads(loadavg())}`);

  const rows: AssessedRow[] = [];
  const tables: Table[] = [];
  const samples: Record<string, unknown> = {};
  const runs: SectionRun[] = [];
  const savedRows: Array<AssessedRow & { section: Section }> = [];
  for (const section of sections) {
    const before = loadavg();
    const sectionStarted = Date.now();
    const outcome = await runSection(section, plan, problems);
    rows.push(...outcome.rows);
    tables.push(...outcome.tables);
    samples[section] = outcome.samples;
    savedRows.push(...outcome.rows.map((row) => ({ ...row, section })));
    runs.push({
      section,
      startedAt: new Date(sectionStarted).toISOString(),
      node: process.version,
      cpus: cpus().length,
      loadAverageBefore: before,
      loadAverageAfter: loadavg(),
      durationSeconds: (Date.now() - sectionStarted) / 1000,
    });
  }

  const footer = [
    `mode ${plan.mode}; Node ${process.versions.node}; ${cpus().length} CPUs; ${((Date.now() - started.getTime()) / 1000).toFixed(0)} s; load average (1/5/15 min) per section, before → after:`,
    ...runs.map((run) => `  ${run.section}: ${loads(run.loadAverageBefore)} → ${loads(run.loadAverageAfter)}`),
    problems.length === 0 ? "every run delivered every final it should have" : `PROBLEMS (figures above are suspect):\n  ${problems.join("\n  ")}`,
  ];
  process.stdout.write(`${[verdictTable(rows), ...tables].map(renderTable).join("\n\n")}\n\n${footer.join("\n")}\n`);

  const resultsDirectory = new URL("../results/", import.meta.url);
  mkdirSync(resultsDirectory, { recursive: true });
  writeFileSync(new URL("latest.json", resultsDirectory), `${JSON.stringify({ mode: plan.mode, startedAt: started.toISOString(), plan, sections: runs, rows, problems, samples }, null, 1)}\n`);
  const summaryPath = new URL(`${plan.mode}-summary.json`, resultsDirectory);
  if (problems.length === 0) saveRun(summaryPath, { mode: plan.mode, sections: runs, rows: savedRows });
  progress(`every sample in bench/results/latest.json${problems.length === 0 ? `, the summary in bench/results/${plan.mode}-summary.json` : "; the summary is not updated: some runs misbehaved"}`);
  if (compareWith !== undefined) printComparison(readSavedRun(compareWith), rows, `this run against ${compareWith}`);
  const missed = rows.filter((row) => row.verdict === "missed").length;
  const undecided = rows.filter((row) => row.verdict === "undecided").length;
  progress(`${rows.length} rows: ${missed} missed, ${undecided} undecided`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
