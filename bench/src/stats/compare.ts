import type { Interval } from "./bootstrap.js";
import type { AssessedRow } from "./row.js";

/** One goal in two runs. */
export interface RowComparison {
  readonly id: string;
  readonly metric: string;
  readonly before: Pick<AssessedRow, "interval" | "verdict" | "reason">;
  readonly after: Pick<AssessedRow, "interval" | "verdict" | "reason">;
  /** after − before, in the row's comparison (ratio points or ms). */
  readonly change: number;
  /**
   * Whether the change is beyond what the two intervals' noise explains (two-sided, about 5 %);
   * undefined when either run has too few samples for its interval to be trusted.
   */
  readonly significant: boolean | undefined;
}

/** 95 % intervals span ±1.96 standard errors of a normal estimate. */
const Z95 = 1.959964;

function standardError(interval: Interval): number {
  return (interval.high - interval.low) / (2 * Z95);
}

/**
 * Whether two estimates differ beyond their noise: each interval read as ±1.96 standard errors
 * (a normal approximation of the bootstrap), the change against its combined standard error.
 */
export function differs(before: Interval, after: Interval): boolean {
  const error = Math.hypot(standardError(before), standardError(after));
  const change = Math.abs(after.estimate - before.estimate);
  if (!Number.isFinite(error)) return false;
  return error === 0 ? change > 0 : change / error > Z95;
}

/** Rows of two runs matched by id; rows only one run has are left out. */
export function compareRuns(before: readonly AssessedRow[], after: readonly AssessedRow[]): RowComparison[] {
  const earlier = new Map(before.map((row) => [row.id, row]));
  return after.flatMap((row) => {
    const old = earlier.get(row.id);
    if (old === undefined) return [];
    return [
      {
        id: row.id,
        metric: row.metric,
        before: { interval: old.interval, verdict: old.verdict, reason: old.reason },
        after: { interval: row.interval, verdict: row.verdict, reason: row.reason },
        change: row.interval.estimate - old.interval.estimate,
        significant: old.reason === "too few samples" || row.reason === "too few samples" ? undefined : differs(old.interval, row.interval),
      },
    ];
  });
}
