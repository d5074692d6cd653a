import type { Interval } from "./bootstrap.js";

/**
 * What a goal asks of the adapter's figure against the raw engine's: a ratio (adapter / raw) or
 * a difference (adapter − raw), at most or at least `limit`.
 */
export interface Goal {
  readonly comparison: "ratio" | "difference";
  readonly bound: "atMost" | "atLeast";
  readonly limit: number;
}

/**
 * met: the whole interval is on the goal's side of the limit; missed: the whole interval is on
 * the other side; undecided: it straddles the limit, so the samples cannot tell; info: no goal.
 */
export type Verdict = "met" | "missed" | "undecided" | "info";

export interface Judgement {
  readonly verdict: Verdict;
  /** Why undecided: the interval straddles the limit, or there are too few samples to trust any interval. */
  readonly reason?: "straddles" | "too few samples";
  /**
   * When undecided: about how many samples per side would decide it, assuming the interval's
   * reach from the estimate towards the limit shrinks as 1/sqrt(n) around the same estimate. Undefined when the estimate sits
   * on the limit (no finite number decides) or when decided.
   */
  readonly samplesToDecide?: number;
}

function onGoalSide(value: number, goal: Goal): boolean {
  return goal.bound === "atMost" ? value <= goal.limit : value >= goal.limit;
}

/**
 * Samples per side that would bring the interval clear of the limit, if its reach towards the
 * limit (estimate to the near bound: bootstrap intervals are often lopsided) shrinks as 1/sqrt(n)
 * around the same estimate.
 */
function samplesToDecide(interval: Interval, goal: Goal, samples: number): number | undefined {
  const distance = Math.abs(interval.estimate - goal.limit);
  const reach = interval.estimate > goal.limit ? interval.estimate - interval.low : interval.high - interval.estimate;
  if (distance === 0 || samples <= 0 || !Number.isFinite(reach)) return undefined;
  return Math.ceil(samples * (reach / distance) ** 2);
}

/**
 * Judges an interval resting on `samples` samples per side against `goal`. Below
 * `minimumSamples` no verdict is given whatever the interval says: a bootstrap of two or three
 * repetitions, or a p99 that is the single worst sample, makes intervals far narrower than the
 * truth, and the verdict would flip from run to run.
 */
export function judge(interval: Interval, goal: Goal | undefined, samples: number, minimumSamples = 1): Judgement {
  if (goal === undefined) return { verdict: "info" };
  if (!Number.isFinite(interval.low) || !Number.isFinite(interval.high)) return { verdict: "undecided", reason: "too few samples" };
  if (samples < minimumSamples) {
    return { verdict: "undecided", reason: "too few samples", samplesToDecide: Math.max(minimumSamples, samplesToDecide(interval, goal, samples) ?? 0) };
  }
  const lowIn = onGoalSide(interval.low, goal);
  const highIn = onGoalSide(interval.high, goal);
  if (lowIn && highIn) return { verdict: "met" };
  if (!lowIn && !highIn) return { verdict: "missed" };
  const needed = samplesToDecide(interval, goal, samples);
  return { verdict: "undecided", reason: "straddles", ...(needed === undefined ? {} : { samplesToDecide: needed }) };
}

/** The goal as a reader states it: `≤ 1.10× raw`, `p99 ≥ raw + 1 ms`... */
export function describeGoal(goal: Goal | undefined, unit: string): string {
  if (goal === undefined) return "—";
  const sign = goal.bound === "atMost" ? "≤" : "≥";
  return goal.comparison === "ratio" ? `${sign} ${goal.limit.toFixed(2)}× raw` : `${sign} raw ${goal.limit >= 0 ? "+" : "−"} ${Math.abs(goal.limit)} ${unit}`;
}
