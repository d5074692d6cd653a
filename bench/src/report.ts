import type { AssessedRow, RowComparison } from "./stats/index.js";

/** A free-form table. */
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

/** Digits for a row's figures: CPU and factors need three, milliseconds two. */
function digitsOf(row: Pick<AssessedRow, "unit" | "comparison">): number {
  return row.unit === "ms" ? 2 : 3;
}

/** `1.043× [0.991, 1.102]` or `+0.12 ms [−0.30, +0.41]`. */
export function formatInterval(row: Pick<AssessedRow, "interval" | "comparison" | "unit">, interval = row.interval): string {
  const digits = row.comparison === "ratio" ? 3 : digitsOf(row);
  const signed = (value: number): string => (row.comparison === "ratio" ? formatNumber(value, digits) : `${value >= 0 ? "+" : "−"}${formatNumber(Math.abs(value), digits)}`);
  const suffix = row.comparison === "ratio" ? "×" : ` ${row.unit}`;
  return `${signed(interval.estimate)}${suffix} [${signed(interval.low)}, ${signed(interval.high)}]`;
}

function verdictCell(row: AssessedRow): string {
  if (row.verdict !== "undecided") return row.verdict === "missed" ? "MISSED" : row.verdict;
  const why = row.reason === "too few samples" ? "too few samples" : "straddles";
  return row.samplesToDecide === undefined ? `undecided (${why})` : `undecided (${why}; ~${row.samplesToDecide} per side would decide)`;
}

/** The verdict table: both sides' figure, adapter vs raw with its 95 % interval, the target and the verdict. */
export function verdictTable(rows: readonly AssessedRow[]): Table {
  return {
    title: "Adapter vs raw engine, same run (95 % bootstrap intervals; met / MISSED only when the whole interval says so)",
    header: ["goal", "metric", "n raw/adapter", "raw", "adapter", "adapter vs raw [95 % interval]", "target", "verdict"],
    rows: rows.map((row) => {
      const side = (summary: AssessedRow["raw"]): string => `${row.statistic} ${formatNumber(row.statistic === "median" ? summary.median : summary.p99, digitsOf(row))}`;
      return [row.goal, `${row.metric} (${row.unit})`, `${row.raw.samples}/${row.adapter.samples}`, side(row.raw), side(row.adapter), formatInterval(row), row.target, verdictCell(row)];
    }),
  };
}

/** `--compare`: each goal in the saved run and in this one, and whether it moved beyond the noise. */
export function comparisonTable(compared: readonly RowComparison[], units: ReadonlyMap<string, Pick<AssessedRow, "comparison" | "unit">>, label: string): Table {
  return {
    title: `${label} (significant: the change exceeds both intervals' noise, about 5 % two-sided)`,
    header: ["row", "saved [95 %]", "verdict", "this run [95 %]", "verdict", "change", "significant"],
    rows: compared.map((entry) => {
      const shape = units.get(entry.id) ?? { comparison: "ratio" as const, unit: "" };
      const format = (interval: RowComparison["before"]["interval"]): string => formatInterval({ ...shape, interval });
      return [entry.id, format(entry.before.interval), entry.before.verdict, format(entry.after.interval), entry.after.verdict, `${entry.change >= 0 ? "+" : "−"}${formatNumber(Math.abs(entry.change), 3)}`, entry.significant === undefined ? "n/a (too few samples)" : entry.significant ? "yes" : "no"];
    }),
  };
}
