/** Order statistics over repeated measurements. */

/** The value below which `fraction` of the samples lie (nearest-rank, so it is always a real sample). */
export function percentile(samples: readonly number[], fraction: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(fraction * sorted.length)));
  return sorted[rank - 1] as number;
}

export function median(samples: readonly number[]): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** Median and 99th percentile of one series, with how many samples they rest on. */
export interface Summary {
  readonly median: number;
  readonly p99: number;
  readonly samples: number;
}

export function summarise(samples: readonly number[]): Summary {
  return { median: median(samples), p99: percentile(samples, 0.99), samples: samples.length };
}
