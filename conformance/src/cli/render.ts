import type { SttCapabilities } from "@sttkit/core";
import { CONFORMANCE_FAULTS } from "../suite/target.js";
import type { ConformanceDeclaration, ScenarioMeasurements } from "../suite/scenario-meta.js";
import type { ConformanceReport, ScenarioResult } from "./report.js";

/** A duration for people: `820 ms`, `12.3 s`, `2 min 05 s`. */
export function formatDuration(ms: number): string {
  if (Math.round(ms) < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, "0")} s`;
}

const percent = (ratio: number): string => `${(ratio * 100).toFixed(1)} %`;

/** The WER a scenario measured, with its bound: `12.5 % (≤ 50.0 %)`; empty when it measured none. */
export function werCell(measured: ScenarioMeasurements | undefined): string {
  if (measured?.wer === undefined) return "";
  return measured.werBound === undefined ? percent(measured.wer) : `${percent(measured.wer)} (≤ ${percent(measured.werBound)})`;
}

/** The latency a scenario measured: `p99 840 ms over 3 finals (declared 1800 ms)`; empty when none. */
export function latencyCell(measured: ScenarioMeasurements | undefined): string {
  if (measured?.latencyP99Ms === undefined) return "";
  const finals = measured.latencyFinals === undefined ? "" : ` over ${measured.latencyFinals} final${measured.latencyFinals === 1 ? "" : "s"}`;
  const declared = measured.declaredP99Ms === undefined ? "" : ` (declared ${Math.round(measured.declaredP99Ms)} ms)`;
  return `p99 ${Math.round(measured.latencyP99Ms)} ms${finals}${declared}`;
}

/** The latency scenario's figures as a sentence, when it ran: what a reader looks for after the verdict. */
function latencyLine(report: ConformanceReport): string | undefined {
  const measured = report.scenarios.find((scenario) => scenario.id === "latency-p99")?.measurements;
  const figure = latencyCell(measured);
  if (!figure) return undefined;
  const reported = [
    ...(measured?.connectMs !== undefined ? [`connect ${Math.round(measured.connectMs)} ms`] : []),
    ...(measured?.firstInterimMs !== undefined ? [`first interim ${Math.round(measured.firstInterimMs)} ms`] : []),
  ];
  return `End of speech to final, in real time: ${figure}${reported.length > 0 ? `; the stream reported ${reported.join(", ")}` : ""}.`;
}

function summaryLine(report: ConformanceReport): string {
  const { passed, failed, skipped, notRun } = report.summary;
  const filtered = notRun > 0 ? `, ${notRun} not run${report.scenarioFilter !== undefined ? " (filter)" : ""}` : "";
  return `${passed} passed, ${failed} failed, ${skipped} skipped (not declared)${filtered}, in ${formatDuration(report.durationMs)}`;
}

/** How the terminal matrix is drawn. */
export interface TerminalOptions {
  /** ANSI colours (for a terminal that shows them). */
  readonly color: boolean;
  /** The widest a scenario title may be before it is cut (default 64). */
  readonly titleWidth?: number;
}

/**
 * The matrix for a terminal: one line per scenario (scenario, result, time, WER, latency), then
 * each failure with its message, then the verdict.
 */
export function renderTerminalReport(report: ConformanceReport, options: TerminalOptions): string {
  const paint = (code: string, text: string): string => (options.color ? `\u001b[${code}m${text}\u001b[0m` : text);
  const width = options.titleWidth ?? 64;
  const cut = (text: string): string => (text.length > width ? `${text.slice(0, width - 1)}…` : text);
  // Scenarios that did not run (a filter left them out, a failed hook stopped them) are counted in the verdict line, not listed.
  const listed = report.scenarios.filter((scenario) => scenario.status !== "not-run");
  const rows = listed.map((scenario) => [
    cut(scenario.title),
    scenario.status === "passed" ? "pass" : scenario.status === "failed" ? "FAIL" : "skip",
    scenario.durationMs === undefined ? "" : formatDuration(scenario.durationMs),
    werCell(scenario.measurements),
    latencyCell(scenario.measurements),
  ]);
  const header = ["scenario", "result", "time", "WER", "latency"];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] as string).length)));
  const line = (cells: readonly string[], status?: ScenarioResult["status"]): string =>
    cells
      .map((cell, column) => {
        const padded = column === 2 ? cell.padStart(widths[column] as number) : cell.padEnd(widths[column] as number);
        if (column !== 1 || status === undefined) return padded;
        return status === "passed" ? paint("32", padded) : status === "failed" ? paint("31;1", padded) : paint("2", padded);
      })
      .join("  ")
      .trimEnd();
  const out: string[] = [];
  out.push(`Conformance: ${report.target.name}`, "");
  out.push(paint("1", line(header)));
  listed.forEach((scenario, index) => out.push(line(rows[index] as string[], scenario.status)));
  const failures = report.scenarios.filter((scenario) => scenario.status === "failed");
  if (failures.length > 0 || report.problems.length > 0) {
    out.push("", paint("31;1", "Failures:"));
    for (const scenario of failures) {
      out.push("", `${paint("31;1", "✗")} ${scenario.title}`);
      for (const messageLine of (scenario.failure ?? "(no message)").split("\n")) out.push(`    ${messageLine}`);
    }
    for (const problem of report.problems) {
      out.push("", `${paint("31;1", "✗")} outside the scenarios:`);
      for (const messageLine of problem.split("\n")) out.push(`    ${messageLine}`);
    }
  }
  const latency = latencyLine(report);
  if (latency) out.push("", latency);
  out.push("", `${report.verdict === "passed" ? paint("32;1", "PASSED") : paint("31;1", "FAILED")}: ${summaryLine(report)}`);
  return `${out.join("\n")}\n`;
}

/** Text in a Markdown table cell: pipes escaped, on one line. */
function cell(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

/** A fenced block that its content cannot close. */
function fenced(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((match) => match[0].length));
  const fence = "`".repeat(longest + 1);
  return `${fence}text\n${text}\n${fence}`;
}

const yesNo = (value: boolean): string => (value ? "yes" : "no");

/** The declared capabilities, one row each, as `[label, value]` pairs. */
function capabilityRows(declaration: ConformanceDeclaration): Array<[string, string]> {
  const capabilities: SttCapabilities = declaration.capabilities;
  const bounds = declaration.werBounds;
  const faults = CONFORMANCE_FAULTS.filter((fault) => declaration.faults[fault] !== undefined);
  return [
    ["streaming", yesNo(capabilities.streaming)],
    ["interim results", yesNo(capabilities.interimResults)],
    ["word timings", yesNo(capabilities.wordTimings)],
    ["language detection", yesNo(capabilities.languageDetection)],
    ["custom vocabulary", yesNo(capabilities.customVocabulary)],
    ["diarization", yesNo(capabilities.diarization)],
    ["reconnects", yesNo(capabilities.reconnects)],
    ["sample rates (Hz)", capabilities.sampleRates.join(", ")],
    ["channels", capabilities.channels.join(", ")],
    ["declared p99, end of speech to final", `${capabilities.ttfsP99LatencyMs} ms`],
    ["WER bounds: clean / noisy / narrowband / long", [bounds.clean, bounds.noisy ?? bounds.clean, bounds.narrowband ?? bounds.clean, bounds.long ?? bounds.clean].map(percent).join(" / ")],
    ["faults staged", faults.length === 0 ? "none" : `${faults.length} of ${CONFORMANCE_FAULTS.length}`],
    ["finals compared with replayed sessions", yesNo(declaration.exactFinals)],
  ];
}

const STATUS_MARK: Record<ScenarioResult["status"], string> = { passed: "✓ passed", failed: "✗ failed", skipped: "skipped (not declared)", "not-run": "not run" };

/** The report as Markdown: verdict, scenario table, failures with their messages, declared capabilities. */
export function renderMarkdownReport(report: ConformanceReport): string {
  const out: string[] = [];
  out.push(`# Conformance report: ${report.target.name}`, "");
  out.push(`**${report.verdict === "passed" ? "PASSED" : "FAILED"}**: ${summaryLine(report)}.`, "");
  out.push(`Run ${report.startedAt} on Node.js ${report.node}, from \`${report.source}\`${report.scenarioFilter !== undefined ? `, scenarios matching \`${report.scenarioFilter}\`` : ""}.`, "");
  const latency = latencyLine(report);
  if (latency) out.push(latency, "");
  // What failed, and why, first: that is what the reader of a failing report came for.
  const failures = report.scenarios.filter((scenario) => scenario.status === "failed");
  if (failures.length > 0 || report.problems.length > 0) {
    out.push("## Failures");
    for (const scenario of failures) out.push("", `### ${scenario.title}`, "", fenced(scenario.failure ?? "(no message)"));
    for (const problem of report.problems) out.push("", "### Outside the scenarios", "", fenced(problem));
    out.push("");
  }
  out.push("## Scenarios", "", "| scenario | result | time | WER | latency |", "| --- | --- | ---: | --- | --- |");
  for (const scenario of report.scenarios) {
    out.push(`| ${cell(scenario.title)} | ${STATUS_MARK[scenario.status]} | ${scenario.durationMs === undefined ? "" : formatDuration(scenario.durationMs)} | ${cell(werCell(scenario.measurements))} | ${cell(latencyCell(scenario.measurements))} |`);
  }
  out.push("", "## Declared capabilities", "", "| capability | declared |", "| --- | --- |");
  for (const [label, value] of capabilityRows(report.target)) out.push(`| ${label} | ${cell(value)} |`);
  return `${out.join("\n")}\n`;
}

/** Text safe inside HTML elements and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

const HTML_STATUS: Record<ScenarioResult["status"], string> = { passed: "passed", failed: "failed", skipped: "skipped (not declared)", "not-run": "not run" };

const HTML_STYLE = `
:root { color-scheme: light; --pass: #176f2c; --fail: #b3261e; --skip: #6b6b6b; --line: #d9d9de; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem auto; max-width: 78rem; padding: 0 1.5rem; color: #1c1c1f; background: #fff; }
h1 { font-size: 1.6rem; margin: 0 0 .4rem; }
h2 { font-size: 1.2rem; margin: 2rem 0 .6rem; }
.verdict { display: inline-block; padding: .15rem .6rem; border-radius: .3rem; color: #fff; font-weight: 700; letter-spacing: .03em; }
.verdict.passed { background: var(--pass); } .verdict.failed { background: var(--fail); }
.meta { color: #4a4a50; margin: .4rem 0 1rem; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .4rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: #f4f4f6; font-weight: 600; }
.time { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
td.result { font-weight: 600; white-space: nowrap; }
td.figure { white-space: nowrap; font-variant-numeric: tabular-nums; }
tr.passed td.result { color: var(--pass); } tr.failed td.result { color: var(--fail); } tr.skipped td, tr.not-run td { color: var(--skip); }
tr.failed { background: #fdf1f0; }
tr.failed td.result a { color: inherit; }
.theme { color: #6b6b72; font-size: .85em; }
pre { white-space: pre-wrap; word-break: break-word; background: #f7f7f9; border: 1px solid var(--line); border-left: 4px solid var(--fail); padding: .7rem .9rem; font: 13px/1.4 ui-monospace, "DejaVu Sans Mono", monospace; }
.capabilities { max-width: 40rem; }
`;

/**
 * The report as one self-contained HTML page (inline style, no script, no external asset): verdict,
 * scenario table (`table#scenarios`, a row per scenario with its status as class), failures with
 * their messages, declared capabilities.
 */
export function renderHtmlReport(report: ConformanceReport): string {
  const failures = report.scenarios.filter((scenario) => scenario.status === "failed");
  const rows = report.scenarios
    .map((scenario) => {
      const result = scenario.status === "failed" ? `<a href="#failure-${escapeHtml(scenario.id)}">failed</a>` : HTML_STATUS[scenario.status];
      return (
        `<tr class="${scenario.status}" data-scenario="${escapeHtml(scenario.id)}">` +
        `<td>${escapeHtml(scenario.title)} <span class="theme">${escapeHtml(scenario.theme)}</span></td>` +
        `<td class="result">${result}</td>` +
        `<td class="time">${scenario.durationMs === undefined ? "" : escapeHtml(formatDuration(scenario.durationMs))}</td>` +
        `<td class="figure">${escapeHtml(werCell(scenario.measurements))}</td>` +
        `<td class="figure">${escapeHtml(latencyCell(scenario.measurements))}</td></tr>`
      );
    })
    .join("\n");
  const failureSections = [
    ...failures.map((scenario) => `<article id="failure-${escapeHtml(scenario.id)}"><h3>${escapeHtml(scenario.title)}</h3><pre>${escapeHtml(scenario.failure ?? "(no message)")}</pre></article>`),
    ...report.problems.map((problem) => `<article><h3>Outside the scenarios</h3><pre>${escapeHtml(problem)}</pre></article>`),
  ];
  const capabilities = capabilityRows(report.target)
    .map(([label, value]) => `<tr><th scope="row">${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`)
    .join("\n");
  const filter = report.scenarioFilter !== undefined ? `, scenarios matching <code>${escapeHtml(report.scenarioFilter)}</code>` : "";
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Conformance report: ${escapeHtml(report.target.name)}</title>
<style>${HTML_STYLE}</style>
</head>
<body>
<h1>Conformance report: ${escapeHtml(report.target.name)}</h1>
<p><span class="verdict ${report.verdict}" id="verdict">${report.verdict === "passed" ? "PASSED" : "FAILED"}</span> ${escapeHtml(summaryLine(report))}</p>
<p class="meta">Run ${escapeHtml(report.startedAt)} on Node.js ${escapeHtml(report.node)}, from <code>${escapeHtml(report.source)}</code>${filter}.</p>
${latencyLine(report) !== undefined ? `<p id="latency">${escapeHtml(latencyLine(report) as string)}</p>` : ""}
${failureSections.length > 0 ? `<h2 id="failures">Failures</h2>\n${failureSections.join("\n")}` : ""}
<h2>Scenarios</h2>
<table id="scenarios">
<thead><tr><th>scenario</th><th>result</th><th class="time">time</th><th>WER</th><th>latency</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
<h2>Declared capabilities</h2>
<table class="capabilities" id="capabilities">
<tbody>
${capabilities}
</tbody>
</table>
</body>
</html>
`;
}

/** One column of the conformance matrix: an adapter's name and its report. */
export interface MatrixColumn {
  /** The column's heading (`Azure`, `Offline`). */
  readonly title: string;
  /** The adapter's conformance report. */
  readonly report: ConformanceReport;
}

function matrixCell(id: string, scenario: ScenarioResult | undefined, declaration: ConformanceDeclaration): string {
  // A fault the target's stand-in does not stage has no scenario at all.
  if (scenario === undefined) return id.startsWith("fault-") ? "— not staged" : "—";
  if (scenario.status === "skipped") return "— not declared";
  if (scenario.status === "not-run") return "— not run";
  const parts: string[] = [];
  parts.push(scenario.status === "passed" ? "✓" : "✗");
  const wer = werCell(scenario.measurements);
  const latency = latencyCell(scenario.measurements);
  if (wer) parts.push(`WER ${wer}`);
  else if (latency) {
    const measured = scenario.measurements;
    const over = measured?.declaredP99Ms !== undefined && (measured.latencyP99Ms ?? 0) > measured.declaredP99Ms;
    // Within the loaded-machine allowance but above the declaration: passed, and said so.
    parts.push(`p99 ${Math.round(measured?.latencyP99Ms ?? 0)} ms${over ? ` ⚠ above the declared ${Math.round(measured?.declaredP99Ms ?? 0)} ms` : ""}`);
  }
  else if (scenario.id.startsWith("fault-")) {
    const outcome = declaration.faults[scenario.id.slice("fault-".length) as keyof typeof declaration.faults];
    if (outcome) parts.push("error" in outcome ? `\`${outcome.error}\`` : "recovers");
  }
  if (scenario.durationMs !== undefined) parts.push(`(${formatDuration(scenario.durationMs)})`);
  return parts.join(" ");
}

/** Options of {@link renderConformanceMatrix}. */
export interface MatrixOptions {
  /** Typedoc front matter: the page's title and category. */
  readonly frontMatter?: { readonly title: string; readonly category: string };
  /** A paragraph saying where the results come from (which run, which command). */
  readonly provenance: string;
}

/**
 * The conformance matrix of several adapters as a Markdown page: scenarios as rows and adapters as
 * columns, then their declared capabilities, their measured latencies, and every failure's message.
 */
export function renderConformanceMatrix(columns: readonly MatrixColumn[], options: MatrixOptions): string {
  const out: string[] = [];
  if (options.frontMatter) out.push("---", `title: ${options.frontMatter.title}`, `category: ${options.frontMatter.category}`, "---", "");
  out.push(`# ${options.frontMatter?.title ?? "Conformance matrix"}`, "", options.provenance, "");
  const header = `| | ${columns.map((column) => cell(column.title)).join(" | ")} |`;
  const rule = `| --- | ${columns.map(() => "---").join(" | ")} |`;
  out.push("| adapter | verdict | scenarios | run on |", "| --- | --- | --- | --- |");
  for (const { title, report } of columns) {
    out.push(`| ${cell(title)} | ${report.verdict === "passed" ? "✓ passed" : "✗ failed"} | ${cell(summaryLine(report))} | Node.js ${cell(report.node)} |`);
  }

  // Rows in suite order; a scenario only some adapters have (a fault) goes where it first appears.
  const ids: string[] = [];
  const labels = new Map<string, string>();
  for (const { report } of columns) {
    let insertAt = 0;
    for (const scenario of report.scenarios) {
      const known = ids.indexOf(scenario.id);
      if (known === -1) {
        ids.splice(insertAt, 0, scenario.id);
        labels.set(scenario.id, scenario.label);
        insertAt += 1;
      } else insertAt = known + 1;
    }
  }
  out.push("", "## Scenarios", "", "✓ passed, ✗ failed (the message is below); — not declared: the adapter does not claim what the scenario needs; — not staged: its test double does not inject that fault.", "");
  out.push(header.replace("| |", "| scenario |"), rule);
  for (const id of ids) {
    const cells = columns.map(({ report }) => cell(matrixCell(id, report.scenarios.find((scenario) => scenario.id === id), report.target)));
    out.push(`| ${cell(labels.get(id) ?? id)} | ${cells.join(" | ")} |`);
  }

  out.push("", "## Declared capabilities", "", header.replace("| |", "| capability |"), rule);
  const capabilityTables = columns.map(({ report }) => capabilityRows(report.target));
  (capabilityTables[0] ?? []).forEach(([label], row) => {
    out.push(`| ${label} | ${capabilityTables.map((rows) => cell(rows[row]?.[1] ?? "")).join(" | ")} |`);
  });

  const latencyOf = (report: ConformanceReport): ScenarioMeasurements | undefined => report.scenarios.find((scenario) => scenario.id === "latency-p99")?.measurements;
  const ms = (value: number | undefined): string => (value === undefined ? "—" : `${Math.round(value)} ms`);
  out.push("", "## Measured latency", "", "The latency scenario streams a speech fixture in real time and measures, from outside the stream, the time from the moment the audio at each final's end was written to the final's arrival. The test machine is shared and loaded: the figures are what this run measured, not a benchmark (see the README's Performance section).", "");
  out.push(header.replace("| |", "| figure |"), rule);
  const latencyRows: Array<[string, (measured: ScenarioMeasurements | undefined, report: ConformanceReport) => string]> = [
    ["declared p99", (_measured, report) => `${report.target.capabilities.ttfsP99LatencyMs} ms`],
    ["measured p99 (finals)", (measured) => (measured?.latencyP99Ms === undefined ? "—" : `${ms(measured.latencyP99Ms)} (${measured.latencyFinals ?? "?"})`)],
    ["measured p50", (measured) => ms(measured?.latencyP50Ms)],
    ["allowed on a loaded machine", (measured) => ms(measured?.allowedP99Ms)],
    ["connect (reported by the stream)", (measured) => ms(measured?.connectMs)],
    ["first interim (reported by the stream)", (measured) => ms(measured?.firstInterimMs)],
  ];
  for (const [label, value] of latencyRows) out.push(`| ${label} | ${columns.map(({ report }) => cell(value(latencyOf(report), report))).join(" | ")} |`);

  const failures = columns.flatMap(({ title, report }) => [
    ...report.scenarios.filter((scenario) => scenario.status === "failed").map((scenario) => ({ heading: `${title}: ${scenario.title}`, message: scenario.failure ?? "(no message)" })),
    ...report.problems.map((problem) => ({ heading: `${title}: outside the scenarios`, message: problem })),
  ]);
  if (failures.length > 0) {
    out.push("", "## Failures");
    for (const failure of failures) out.push("", `### ${failure.heading}`, "", fenced(failure.message));
  }
  return `${out.join("\n")}\n`;
}
