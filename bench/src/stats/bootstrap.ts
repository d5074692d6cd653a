import { percentile } from "./order.js";
import { seededRandom } from "./random.js";

/** An estimate and its confidence interval. */
export interface Interval {
  /** The statistic on the samples as measured. */
  readonly estimate: number;
  readonly low: number;
  readonly high: number;
  /** Coverage of `low`..`high`, e.g. 0.95. */
  readonly confidence: number;
}

/** Adapter against raw: one number from both sides' samples (a ratio of medians, a difference of p99s). */
export type TwoSampleStatistic = (raw: readonly number[], adapter: readonly number[]) => number;

export interface BootstrapOptions {
  /** Resamples drawn; 2000 keeps the 2.5 % and 97.5 % points steady to a few hundredths of the width. */
  readonly resamples?: number;
  readonly confidence?: number;
  readonly seed: number;
  /**
   * Resample the two sides by a shared index (the samples are pairs taken together, as ABAB
   * repetitions are: neighbours share the machine's load), so the load common to a pair cancels.
   * Needs equal lengths.
   */
  readonly paired?: boolean;
}

function resample(samples: readonly number[], indices: readonly number[]): number[] {
  return indices.map((index) => samples[index] as number);
}

function drawIndices(length: number, random: () => number): number[] {
  return Array.from({ length }, () => Math.floor(random() * length));
}

/**
 * Percentile bootstrap interval of `statistic` over both sides' samples: each side resampled with
 * replacement (or both by one index when `paired`), the statistic computed on each resample, and
 * the central `confidence` share of those values taken as the interval. Seeded, so reproducible.
 */
export function bootstrapInterval(raw: readonly number[], adapter: readonly number[], statistic: TwoSampleStatistic, options: BootstrapOptions): Interval {
  const confidence = options.confidence ?? 0.95;
  const estimate = statistic(raw, adapter);
  if (raw.length === 0 || adapter.length === 0) return { estimate, low: Number.NaN, high: Number.NaN, confidence };
  const paired = options.paired === true && raw.length === adapter.length;
  const random = seededRandom(options.seed);
  const values: number[] = [];
  for (let draw = 0; draw < (options.resamples ?? 2000); draw++) {
    const rawIndices = drawIndices(raw.length, random);
    const adapterIndices = paired ? rawIndices : drawIndices(adapter.length, random);
    const value = statistic(resample(raw, rawIndices), resample(adapter, adapterIndices));
    if (Number.isFinite(value)) values.push(value);
  }
  const tail = (1 - confidence) / 2;
  return { estimate, low: percentile(values, tail), high: percentile(values, 1 - tail), confidence };
}
