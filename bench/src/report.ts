import type { Summary } from "./stats.js";

/** Whether a figure meets its goal; `info` for figures reported without one. */
export type Verdict = "met" | "MISSED" | "info";

/** One line of the main table: a figure for both sides and how they compare. */
export interface ComparisonRow {
  readonly goal: string;
  readonly metric: string;
  readonly raw: Summary;
  readonly adapter: Summary;
  /** Adapter against raw: a ratio or a difference, as the goal is stated. */
  readonly comparison: string;
  readonly target: string;
  readonly verdict: Verdict;
}

/** A free-form table (the scaling tables). */
export interface Table {
  readonly title: string;
  readonly header: readonly string[];
  readonly rows: ReadonlyArray<readonly string[]>;
}

export function formatNumber(value: number, digits = 2): string {
  if (!Number.isFinite(value)) return "n/a";
  return value.toFixed(digits);
}

export function renderTable(table: Table): string {
  const widths = table.header.map((title, column) => Math.max(title.length, ...table.rows.map((row) => (row[column] ?? "").length)));
  const line = (cells: readonly string[]): string => `| ${cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(" | ")} |`;
  return [table.title, line(table.header), `|${widths.map((width) => "-".repeat(width + 2)).join("|")}|`, ...table.rows.map(line)].join("\n");
}

export function comparisonTable(rows: readonly ComparisonRow[], digits: (row: ComparisonRow) => number): Table {
  return {
    title: "Adapter vs raw engine (same run, same server or files; median and p99 over repeated runs)",
    header: ["goal", "metric", "raw median", "raw p99", "adapter median", "adapter p99", "n (raw/adapter)", "adapter vs raw", "target", "verdict"],
    rows: rows.map((row) => [
      row.goal,
      row.metric,
      formatNumber(row.raw.median, digits(row)),
      formatNumber(row.raw.p99, digits(row)),
      formatNumber(row.adapter.median, digits(row)),
      formatNumber(row.adapter.p99, digits(row)),
      `${row.raw.samples}/${row.adapter.samples}`,
      row.comparison,
      row.target,
      row.verdict,
    ]),
  };
}
