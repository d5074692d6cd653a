import { err, ok, type Result } from "neverthrow";
import { CONFORMANCE_META_KEYS, type ConformanceDeclaration, type ConformanceScenarioInfo, type ScenarioMeasurements } from "../suite/scenario-meta.js";

/** The format tag of {@link ConformanceReport} files. */
export const CONFORMANCE_REPORT_FORMAT = "sttkit.conformance-report.v1";

/** The most of one failure message a report keeps (the first lines, without the stack). */
export const MAX_FAILURE_MESSAGE_CHARS = 4000;

/** How one scenario went. */
export interface ScenarioResult {
  /** Its stable id (`wer-single-utterance`, `fault-stalled`, ...), the same for every adapter. */
  readonly id: string;
  /** Its theme. */
  readonly theme: ConformanceScenarioInfo["theme"];
  /** A short label without adapter figures. */
  readonly label: string;
  /** Its full title in this run. */
  readonly title: string;
  /**
   * `skipped`: the target does not declare what the scenario needs (a capability, a fixture kind);
   * `not-run`: the run's scenario filter left it out, or a failure outside the scenarios (a
   * failed `beforeAll`) stopped it.
   */
  readonly status: "passed" | "failed" | "skipped" | "not-run";
  /** How long it took, ms. */
  readonly durationMs?: number;
  /** Why it failed: the first failure's message, without the stack. */
  readonly failure?: string;
  /** What it measured (WER, latency), when it measured anything. */
  readonly measurements?: ScenarioMeasurements;
}

/** One adapter's conformance run: what it declared, and each scenario's result. */
export interface ConformanceReport {
  /** {@link CONFORMANCE_REPORT_FORMAT}. */
  readonly format: typeof CONFORMANCE_REPORT_FORMAT;
  /** What the target declared. */
  readonly target: ConformanceDeclaration;
  /** The test file or adapter module the run loaded. */
  readonly source: string;
  /** The scenario filter of the run (a regular expression on titles), if any. */
  readonly scenarioFilter?: string;
  /** When the run started, ISO 8601. */
  readonly startedAt: string;
  /** How long the run took, ms. */
  readonly durationMs: number;
  /** The Node.js version that ran it. */
  readonly node: string;
  /** `passed` when no scenario failed and nothing went wrong outside them; at least one scenario must have run. */
  readonly verdict: "passed" | "failed";
  /** Counts by status. */
  readonly summary: { readonly passed: number; readonly failed: number; readonly skipped: number; readonly notRun: number };
  /** Every scenario, in the suite's order. */
  readonly scenarios: readonly ScenarioResult[];
  /** Errors outside the scenarios (an unhandled rejection, a test file that failed to load). */
  readonly problems: readonly string[];
}

/** The part of vitest's JSON report (`--reporter=json`) a conformance report is built from. */
export interface VitestJsonReport {
  /** When the run started, ms since the epoch. */
  readonly startTime: number;
  /** Whether vitest counted the run a success. */
  readonly success: boolean;
  /** One entry per test file. */
  readonly testResults: ReadonlyArray<{
    /** The file's path. */
    readonly name: string;
    /** `passed` or `failed`. */
    readonly status: string;
    /** Why the file failed as a whole (it did not load), if it did. */
    readonly message: string;
    /** When its first test started, ms since the epoch. */
    readonly startTime: number;
    /** When its last test ended, ms since the epoch. */
    readonly endTime: number;
    /** Its tests. */
    readonly assertionResults: ReadonlyArray<{
      /** The titles of the `describe` blocks around it, outermost first. */
      readonly ancestorTitles: readonly string[];
      /** Its title. */
      readonly title: string;
      /** `passed`, `failed`, `skipped`, `pending`, `todo` or `disabled`. */
      readonly status: string;
      /** How long it took, ms. */
      readonly duration?: number | null;
      /** Its errors, each `stack || message`. */
      readonly failureMessages: readonly string[];
      /** Its metadata (`task.meta`), where the suite leaves its declaration, identity and measurements. */
      readonly meta?: Record<string, unknown>;
    }>;
  }>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Checks that parsed JSON has the shape of vitest's JSON report (the fields used here). */
export function checkVitestJsonReport(value: unknown): Result<VitestJsonReport, string> {
  if (!isRecord(value) || !Array.isArray(value["testResults"])) return err("not a vitest JSON report (no testResults)");
  for (const [index, file] of (value["testResults"] as unknown[]).entries()) {
    if (!isRecord(file) || typeof file["name"] !== "string" || !Array.isArray(file["assertionResults"])) return err(`testResults[${index}] has no name or assertionResults`);
    for (const test of file["assertionResults"] as unknown[]) {
      if (!isRecord(test) || typeof test["title"] !== "string" || typeof test["status"] !== "string" || !Array.isArray(test["ancestorTitles"]) || !Array.isArray(test["failureMessages"])) {
        return err(`a test of ${file["name"]} lacks title, status, ancestorTitles or failureMessages`);
      }
    }
  }
  return ok(value as unknown as VitestJsonReport);
}

// eslint-disable-next-line no-control-regex -- ANSI escape sequences start with ESC.
const ANSI = /\u001b\[[0-9;]*[A-Za-z]/g;

/**
 * A failure as a person reads it: the message, without terminal colours and without the stack
 * trace (the lines from the first `at ...` on), at most {@link MAX_FAILURE_MESSAGE_CHARS}.
 */
export function failureMessage(stackOrMessage: string): string {
  const lines = stackOrMessage.replace(ANSI, "").split("\n");
  const firstFrame = lines.findIndex((line) => /^\s+at /.test(line));
  const message = (firstFrame === -1 ? lines : lines.slice(0, firstFrame)).join("\n").trim();
  return message.length > MAX_FAILURE_MESSAGE_CHARS ? `${message.slice(0, MAX_FAILURE_MESSAGE_CHARS - 1)}…` : message;
}

function statusOf(vitestStatus: string, info: ConformanceScenarioInfo): ScenarioResult["status"] {
  if (vitestStatus === "passed") return "passed";
  if (vitestStatus === "failed") return "failed";
  return info.notApplicable ? "skipped" : "not-run";
}

/** Options of {@link conformanceReportsFromVitest}. */
export interface ReportOptions {
  /** Names what was run (default: the test file). */
  readonly source?: string;
  /** The scenario filter of the run. */
  readonly scenarioFilter?: string;
  /** The Node.js version that ran it (default: this process's). */
  readonly node?: string;
  /** Errors outside the scenarios, seen by whoever ran vitest (added to every report). */
  readonly problems?: readonly string[];
}

/**
 * Builds one {@link ConformanceReport} per conformance suite found in a vitest JSON report: every
 * test the suite registered carries the target's declaration and its scenario's identity in its
 * metadata. Tests that are not conformance scenarios are ignored, so the report of a whole
 * `npm test` run works as well as that of one suite.
 */
export function conformanceReportsFromVitest(json: VitestJsonReport, options: ReportOptions = {}): ConformanceReport[] {
  const reports: ConformanceReport[] = [];
  for (const file of json.testResults) {
    const bySuite = new Map<string, { declaration: ConformanceDeclaration; scenarios: ScenarioResult[] }>();
    for (const test of file.assertionResults) {
      const meta = test.meta ?? {};
      const declaration = meta[CONFORMANCE_META_KEYS.target] as ConformanceDeclaration | undefined;
      const info = meta[CONFORMANCE_META_KEYS.scenario] as ConformanceScenarioInfo | undefined;
      if (!isRecord(declaration) || typeof declaration.name !== "string" || !isRecord(info) || typeof info.id !== "string") continue;
      const suite = bySuite.get(declaration.name) ?? { declaration, scenarios: [] };
      bySuite.set(declaration.name, suite);
      const status = statusOf(test.status, info);
      const failure = test.failureMessages[0];
      const measured = meta[CONFORMANCE_META_KEYS.measured];
      suite.scenarios.push({
        id: info.id,
        theme: info.theme,
        label: info.label,
        title: test.title,
        status,
        ...(typeof test.duration === "number" && (status === "passed" || status === "failed") ? { durationMs: Math.round(test.duration) } : {}),
        ...(status === "failed" && failure !== undefined ? { failure: failureMessage(failure) } : {}),
        ...(isRecord(measured) ? { measurements: measured as ScenarioMeasurements } : {}),
      });
    }
    for (const { declaration, scenarios } of bySuite.values()) {
      const count = (status: ScenarioResult["status"]): number => scenarios.filter((scenario) => scenario.status === status).length;
      const summary = { passed: count("passed"), failed: count("failed"), skipped: count("skipped"), notRun: count("not-run") };
      const problems = [...(options.problems ?? []), ...(file.status === "failed" && file.message ? [failureMessage(file.message)] : [])];
      reports.push({
        format: CONFORMANCE_REPORT_FORMAT,
        target: declaration,
        source: options.source ?? file.name,
        ...(options.scenarioFilter !== undefined ? { scenarioFilter: options.scenarioFilter } : {}),
        startedAt: new Date(Number.isFinite(file.startTime) ? file.startTime : json.startTime).toISOString(),
        durationMs: Math.max(0, Math.round(file.endTime - file.startTime)),
        node: options.node ?? process.version,
        verdict: summary.failed === 0 && summary.passed > 0 && problems.length === 0 ? "passed" : "failed",
        summary,
        scenarios,
        problems,
      });
    }
  }
  return reports;
}

/** Checks that parsed JSON is a {@link ConformanceReport} (as the command writes it). */
export function checkConformanceReport(value: unknown): Result<ConformanceReport, string> {
  if (!isRecord(value) || value["format"] !== CONFORMANCE_REPORT_FORMAT) return err(`not a ${CONFORMANCE_REPORT_FORMAT} report`);
  if (!isRecord(value["target"]) || typeof (value["target"] as Record<string, unknown>)["name"] !== "string" || !Array.isArray(value["scenarios"])) return err("a report needs target.name and scenarios");
  return ok(value as unknown as ConformanceReport);
}
