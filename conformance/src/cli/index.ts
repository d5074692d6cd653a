/**
 * The `sttkit conformance` command: runs the conformance suite on an adapter module without a test
 * file and reports the result as a terminal matrix and as Markdown, JSON and HTML. The `sttkit` CLI
 * loads this entry point only when the command is used, so the CLI itself never depends on the
 * suite, vitest or the SDK doubles.
 *
 * The suite runs in a child vitest (a peer dependency of this package); the results come back
 * through vitest's JSON report, where every scenario leaves its identity and what it measured.
 * The same report builders turn any vitest JSON report of conformance suites (a whole `npm test`
 * run) into {@link ConformanceReport}s and a matrix of several adapters.
 *
 * This entry point imports nothing from vitest. The metadata the scenarios leave in vitest's
 * report (`CONFORMANCE_META_KEYS`, `ConformanceDeclaration`, `ScenarioMeasurements`) is described
 * in `@sttkit/conformance`.
 *
 * @packageDocumentation
 * @category Testing
 * @module @sttkit/conformance/cli
 */
export {
  runConformanceCommand,
  writeConformanceReport,
  EXIT_PASSED,
  EXIT_FAILED,
  EXIT_USAGE,
  MAX_VITEST_REPORT_BYTES,
  type ConformanceCommandIo,
  type ReportFiles,
} from "./command.js";
export { parseConformanceArgs, CONFORMANCE_USAGE, DEFAULT_REPORT_DIRECTORY, DEFAULT_MAX_MINUTES, type ConformanceCommand, type ConformanceHelp } from "./args.js";
export {
  conformanceReportsFromVitest,
  checkVitestJsonReport,
  checkConformanceReport,
  failureMessage,
  CONFORMANCE_REPORT_FORMAT,
  MAX_FAILURE_MESSAGE_CHARS,
  type ConformanceReport,
  type ScenarioResult,
  type ReportOptions,
  type VitestJsonReport,
} from "./report.js";
export { renderTerminalReport, renderMarkdownReport, renderHtmlReport, renderConformanceMatrix, type TerminalOptions, type MatrixColumn, type MatrixOptions } from "./render.js";
export { readBoundedText } from "./bounded.js";
