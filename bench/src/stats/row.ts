import { bootstrapInterval, type Interval, type TwoSampleStatistic } from "./bootstrap.js";
import { describeGoal, judge, type Goal, type Judgement, type Verdict } from "./goal.js";
import { median, percentile, summarise, type Summary } from "./order.js";
import { seedFor } from "./random.js";

/** Which figure of each side a row compares. */
export type Statistic = "median" | "p99";

/** What a row measures and what it must show; the samples come separately. */
export interface RowSpec {
  /** Stable key across runs (`--compare` matches rows by it), e.g. `1c/cpu/10`. */
  readonly id: string;
  /** The goal's number in the bench README (1a, 4, 5b...). */
  readonly goal: string;
  readonly metric: string;
  readonly unit: string;
  readonly statistic: Statistic;
  readonly comparison: Goal["comparison"];
  /** Undefined: reported without a goal. */
  readonly target?: Omit<Goal, "comparison">;
  /** The samples are ABAB pairs (one per repetition), resampled together. */
  readonly paired?: boolean;
  /** Samples per side below which no verdict is given; by default {@link MINIMUM_SAMPLES} of the statistic. */
  readonly minimumSamples?: number;
}

/**
 * Fewest samples per side for a verdict: a median over at least 5 repetitions (the issue's
 * floor), a p99 over at least 200 samples (so it is the third-worst sample, not the worst).
 */
export const MINIMUM_SAMPLES: Record<Statistic, number> = { median: 5, p99: 200 };

/** One row of the verdict table: both sides' summaries, the comparison with its interval, the verdict. */
export interface AssessedRow extends Pick<RowSpec, "id" | "goal" | "metric" | "unit" | "statistic" | "comparison"> {
  readonly raw: Summary;
  readonly adapter: Summary;
  readonly interval: Interval;
  readonly target: string;
  readonly verdict: Verdict;
  readonly reason?: Judgement["reason"];
  readonly samplesToDecide?: number;
}

const figure = (statistic: Statistic) => (samples: readonly number[]): number => (statistic === "median" ? median(samples) : percentile(samples, 0.99));

function statisticOf(spec: Pick<RowSpec, "statistic" | "comparison">): TwoSampleStatistic {
  const of = figure(spec.statistic);
  return spec.comparison === "ratio" ? (raw, adapter) => of(adapter) / of(raw) : (raw, adapter) => of(adapter) - of(raw);
}

/**
 * The row for `spec` from every sample of both sides: the adapter-vs-raw statistic, its 95 %
 * bootstrap interval (seeded by the row's id, so a rerun on the same samples gives the same
 * interval) and the verdict against the target.
 */
export function assessRow(spec: RowSpec, raw: readonly number[], adapter: readonly number[]): AssessedRow {
  const interval = bootstrapInterval(raw, adapter, statisticOf(spec), { seed: seedFor(spec.id), paired: spec.paired === true });
  const goal: Goal | undefined = spec.target === undefined ? undefined : { ...spec.target, comparison: spec.comparison };
  const judgement = judge(interval, goal, Math.min(raw.length, adapter.length), spec.minimumSamples ?? MINIMUM_SAMPLES[spec.statistic]);
  return {
    id: spec.id,
    goal: spec.goal,
    metric: spec.metric,
    unit: spec.unit,
    statistic: spec.statistic,
    comparison: spec.comparison,
    raw: summarise(raw),
    adapter: summarise(adapter),
    interval,
    target: `${spec.statistic} ${describeGoal(goal, spec.unit)}`,
    verdict: judgement.verdict,
    ...(judgement.reason === undefined ? {} : { reason: judgement.reason }),
    ...(judgement.samplesToDecide === undefined ? {} : { samplesToDecide: judgement.samplesToDecide }),
  };
}
