import { existsSync, statSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { isAbsolute, join, relative, resolve } from "node:path";
import { CONFORMANCE_USAGE, parseConformanceArgs, type ConformanceCommand } from "./args.js";
import { readBoundedText } from "./bounded.js";
import type { ProgressEvent } from "./progress-events.js";
import { checkVitestJsonReport, conformanceReportsFromVitest, failureMessage, type ConformanceReport } from "./report.js";
import { formatDuration, renderHtmlReport, renderMarkdownReport, renderTerminalReport } from "./render.js";
import { locateVitest, runVitest } from "./run-vitest.js";
import { MODULE_ERROR_PREFIX } from "./suite-entry-contract.js";

/** Exit status when every scenario that ran passed. */
export const EXIT_PASSED = 0;
/** Exit status when a scenario failed, or the run failed outside the scenarios. */
export const EXIT_FAILED = 1;
/** Exit status for bad arguments, a module that cannot be run, or a missing vitest. */
export const EXIT_USAGE = 2;

/** The largest vitest JSON report read back (a full suite's is well under a megabyte). */
export const MAX_VITEST_REPORT_BYTES = 64 * 1024 * 1024;

/** Where the command writes and what it reads; the `sttkit` CLI passes its own. */
export interface ConformanceCommandIo {
  /** The matrix and the report's location. */
  readonly stdout: { write(text: string): unknown; isTTY?: boolean };
  /** Progress and errors. */
  readonly stderr: { write(text: string): unknown; isTTY?: boolean };
  /** The environment the suite runs with (credentials an adapter module may read). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The working directory paths are relative to (default: the process's). */
  readonly cwd?: string;
  /**
   * Stops the run (its child process group is killed). Without one, the command stops the run
   * itself on SIGINT and SIGTERM, so Ctrl-C never leaves a vitest behind.
   */
  readonly signal?: AbortSignal;
}

/** The files of a report, by format. */
export interface ReportFiles {
  /** `report.md`. */
  readonly markdown: string;
  /** `report.json`: the {@link ConformanceReport}. */
  readonly json: string;
  /** `report.html`: one self-contained page. */
  readonly html: string;
}

/** Writes a report as Markdown, JSON and HTML into `directory` (created if needed). */
export async function writeConformanceReport(report: ConformanceReport, directory: string): Promise<ReportFiles> {
  await mkdir(directory, { recursive: true });
  const files = { markdown: join(directory, "report.md"), json: join(directory, "report.json"), html: join(directory, "report.html") };
  await writeFile(files.markdown, renderMarkdownReport(report));
  await writeFile(files.json, `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(files.html, renderHtmlReport(report));
  return files;
}

/**
 * `sttkit conformance`: runs the conformance suite on the target a module exports, in a child
 * vitest, prints progress per scenario and the matrix, writes the report, and returns the exit
 * status: {@link EXIT_PASSED}, {@link EXIT_FAILED} or {@link EXIT_USAGE}. Never throws.
 */
export async function runConformanceCommand(argv: readonly string[], io: ConformanceCommandIo): Promise<number> {
  const parsed = parseConformanceArgs(argv);
  if (parsed.isErr()) {
    io.stderr.write(`sttkit conformance: ${parsed.error}\n\n${CONFORMANCE_USAGE}\n`);
    return EXIT_USAGE;
  }
  if (parsed.value.command === "help") {
    io.stdout.write(`${CONFORMANCE_USAGE}\n`);
    return EXIT_PASSED;
  }
  try {
    return await runCommand(parsed.value, io);
  } catch (cause) {
    io.stderr.write(`sttkit conformance: unexpected failure: ${cause instanceof Error ? (cause.stack ?? cause.message) : String(cause)}\n`);
    return EXIT_FAILED;
  }
}

/** Stops the run on SIGINT/SIGTERM when the caller gave no signal; returns the signal and how to stop listening. */
function interruption(io: ConformanceCommandIo): { signal: AbortSignal; release(): void } {
  if (io.signal) return { signal: io.signal, release: () => undefined };
  const controller = new AbortController();
  const onSignal = (): void => controller.abort();
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  return {
    signal: controller.signal,
    release() {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    },
  };
}

/** Prints progress on stderr as the child reports it. */
function progressPrinter(io: ConformanceCommandIo, verbose: boolean): { onProgress(event: ProgressEvent): void; onOutput(line: string): void; outside: string[] } {
  const outside: string[] = [];
  let done = 0;
  let toRun = 0;
  return {
    outside,
    onProgress(event) {
      switch (event.type) {
        case "collected":
          toRun += event.toRun;
          if (event.total > 0) io.stderr.write(`${event.toRun} of ${event.total} scenarios to run\n`);
          break;
        case "start":
          if (io.stderr.isTTY) io.stderr.write(`  … ${event.title}\r`);
          break;
        case "result": {
          if (event.status === "skipped") break;
          done += 1;
          const clear = io.stderr.isTTY ? "\u001b[2K" : "";
          const time = event.durationMs === undefined ? "" : ` (${formatDuration(event.durationMs)})`;
          io.stderr.write(`${clear}  ${event.status === "passed" ? "✓" : "✗"} [${done}/${toRun}] ${event.title}${time}\n`);
          if (event.failure) io.stderr.write(`      ${failureMessage(event.failure).split("\n")[0]}\n`);
          break;
        }
        case "log":
          if (verbose) for (const line of event.content.trimEnd().split("\n")) io.stderr.write(`  | ${line}\n`);
          break;
        case "outside-error": {
          const problem = event.where === "unhandled" ? event.message : `in ${event.where}: ${event.message}`;
          outside.push(problem);
          io.stderr.write(`  ✗ outside the scenarios: ${problem}\n`);
          break;
        }
      }
    },
    onOutput(line) {
      if (verbose) io.stderr.write(`  vitest: ${line}\n`);
    },
  };
}

async function runCommand(command: ConformanceCommand, io: ConformanceCommandIo): Promise<number> {
  const cwd = io.cwd ?? process.cwd();
  const usage = (message: string): number => {
    io.stderr.write(`sttkit conformance: ${message}\n`);
    return EXIT_USAGE;
  };
  const failed = (message: string): number => {
    io.stderr.write(`sttkit conformance: ${message}\n`);
    return EXIT_FAILED;
  };
  const modulePath = resolve(cwd, command.adapter);
  if (!existsSync(modulePath) || !statSync(modulePath).isFile()) return usage(`${command.adapter}: no such module file (looked at ${modulePath}).`);
  const vitest = locateVitest(cwd);
  if (vitest === undefined) return usage("vitest is not installed; it runs the suite (a peer dependency of @sttkit/conformance). Install it with: npm install --save-dev vitest");
  const outDir = resolve(cwd, command.out);

  const workDir = await mkdtemp(join(tmpdir(), "sttkit-conformance-"));
  const stop = interruption(io);
  try {
    io.stderr.write(`Conformance suite on ${command.adapter}${command.scenario !== undefined ? `, scenarios matching /${command.scenario}/` : ""}\n`);
    const printer = progressPrinter(io, command.verbose);
    const outcome = await runVitest({
      vitest,
      workDir,
      modulePath,
      cwd,
      env: io.env,
      maxMs: command.maxMinutes * 60_000,
      signal: stop.signal,
      onProgress: printer.onProgress,
      onOutput: printer.onOutput,
      ...(command.scenario !== undefined ? { scenarioFilter: command.scenario } : {}),
    });
    const diagnosis = outcome.outputTail ? `\nvitest said:\n${outcome.outputTail}` : "";
    if (outcome.exit === "spawn-failed") return usage(`cannot start vitest (${vitest}).${diagnosis}`);
    if (outcome.exit === "aborted") return failed("stopped: the run was interrupted.");
    if (outcome.exit === "timeout") return failed(`stopped: the run took longer than --max-minutes ${command.maxMinutes}.${diagnosis}`);
    if (!existsSync(outcome.jsonReport)) return failed(`vitest ended (exit status ${outcome.exit}) without a report.${diagnosis}`);

    let parsed: unknown;
    try {
      parsed = JSON.parse(await readBoundedText(outcome.jsonReport, MAX_VITEST_REPORT_BYTES));
    } catch (cause) {
      return failed(`vitest's report cannot be read: ${cause instanceof Error ? cause.message : String(cause)}`);
    }
    const checked = checkVitestJsonReport(parsed);
    if (checked.isErr()) return failed(`vitest's report cannot be read: ${checked.error}`);
    const json = checked.value;
    const anyFailed = json.testResults.some((file) => file.assertionResults.some((test) => test.status === "failed"));
    // vitest fails a run for errors outside the tests (an unhandled rejection) too; so does the report.
    const problems = [...printer.outside];
    if (outcome.exit !== 0 && !anyFailed && problems.length === 0) problems.push(`vitest exited with status ${outcome.exit} although no scenario failed.${diagnosis}`);

    const reports = conformanceReportsFromVitest(json, {
      source: shortPath(cwd, modulePath),
      problems,
      ...(command.scenario !== undefined ? { scenarioFilter: command.scenario } : {}),
    });
    const report = reports[0];
    if (report === undefined) {
      // The file failed before registering a scenario: the module did not load or exports no target.
      const reason = json.testResults.map((file) => file.message).find((message) => message.length > 0);
      return usage(reason !== undefined ? failureMessage(reason).replace(MODULE_ERROR_PREFIX, "") : `${command.adapter} registered no conformance scenario.${diagnosis}`);
    }
    // Nothing ran, and nothing went wrong that would explain it: the filter left every scenario out.
    if (report.summary.passed + report.summary.failed === 0 && report.problems.length === 0 && command.scenario !== undefined) {
      return usage(`no scenario title matches /${command.scenario}/. The scenarios are:\n${report.scenarios.map((scenario) => `  ${scenario.title}`).join("\n")}`);
    }

    let files;
    try {
      files = await writeConformanceReport(report, outDir);
    } catch (cause) {
      io.stdout.write(renderTerminalReport(report, { color: colorFor(io) }));
      return usage(`cannot write the report into ${command.out}: ${cause instanceof Error ? cause.message : String(cause)}`);
    }
    io.stdout.write(renderTerminalReport(report, { color: colorFor(io) }));
    io.stdout.write(`Report: ${[files.markdown, files.json, files.html].map((file) => shortPath(cwd, file)).join(", ")}\n`);
    return report.verdict === "passed" ? EXIT_PASSED : EXIT_FAILED;
  } finally {
    stop.release();
    await rm(workDir, { recursive: true, force: true });
  }
}

/** A path relative to the working directory when it lies inside it, absolute otherwise. */
function shortPath(cwd: string, path: string): string {
  const inside = relative(cwd, path);
  return inside.length > 0 && !inside.startsWith("..") && !isAbsolute(inside) ? inside : path;
}

function colorFor(io: ConformanceCommandIo): boolean {
  return io.stdout.isTTY === true && io.env["NO_COLOR"] === undefined;
}
