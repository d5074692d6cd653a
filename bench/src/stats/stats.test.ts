import { describe, expect, it } from "vitest";
import { assessRow, bootstrapInterval, compareRuns, differs, judge, percentile, seededRandom, seedFor, type AssessedRow, type Goal } from "./index.js";

const ratioOfMedians = (raw: readonly number[], adapter: readonly number[]): number => {
  const mid = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
  return mid(adapter) / mid(raw);
};

/** Samples around `centre` with a fixed spread, from a seeded source: fixed test data. */
function noisy(centre: number, spread: number, count: number, seed: number): number[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => centre + (random() - 0.5) * 2 * spread);
}

describe("seededRandom", () => {
  it("repeats its sequence for a seed and differs between seeds", () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const c = seededRandom(43);
    const first = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(first);
    expect([c(), c(), c()]).not.toEqual(first);
    for (const value of first) expect(value >= 0 && value < 1).toBe(true);
  });

  it("derives distinct seeds from row ids", () => {
    expect(seedFor("1c/cpu/10")).toBe(seedFor("1c/cpu/10"));
    expect(seedFor("1c/cpu/10")).not.toBe(seedFor("1c/cpu/100"));
  });
});

describe("bootstrapInterval", () => {
  it("is reproducible for a seed and contains the estimate", () => {
    const raw = noisy(100, 10, 20, 1);
    const adapter = noisy(105, 10, 20, 2);
    const first = bootstrapInterval(raw, adapter, ratioOfMedians, { seed: 7 });
    expect(bootstrapInterval(raw, adapter, ratioOfMedians, { seed: 7 })).toEqual(first);
    expect(first.low).toBeLessThanOrEqual(first.estimate);
    expect(first.high).toBeGreaterThanOrEqual(first.estimate);
    expect(first.confidence).toBe(0.95);
  });

  it("narrows as the samples grow, about as 1/sqrt(n)", () => {
    const width = (count: number): number => {
      const interval = bootstrapInterval(noisy(100, 10, count, 3), noisy(100, 10, count, 4), (r, a) => a.reduce((s, v) => s + v, 0) / a.length - r.reduce((s, v) => s + v, 0) / r.length, { seed: 9 });
      return interval.high - interval.low;
    };
    const ratio = width(50) / width(800);
    // sqrt(800 / 50) = 4
    expect(ratio).toBeGreaterThan(3);
    expect(ratio).toBeLessThan(5.5);
  });

  it("in pairs, cancels load shared by a pair that unpaired resampling cannot", () => {
    // Each repetition's load moves both sides alike; the adapter is always 2 % dearer.
    const load = [1, 1.6, 0.8, 1.3, 2, 0.9, 1.1];
    const raw = load.map((factor) => 100 * factor);
    const adapter = load.map((factor) => 102 * factor);
    const ratioOfSums = (r: readonly number[], a: readonly number[]): number => a.reduce((s, v) => s + v, 0) / r.reduce((s, v) => s + v, 0);
    const paired = bootstrapInterval(raw, adapter, ratioOfSums, { seed: 5, paired: true });
    const unpaired = bootstrapInterval(raw, adapter, ratioOfSums, { seed: 5 });
    expect(paired.low).toBeCloseTo(1.02, 10);
    expect(paired.high).toBeCloseTo(1.02, 10);
    expect(unpaired.high - unpaired.low).toBeGreaterThan(0.2);
  });

  it("gives no interval without samples", () => {
    const interval = bootstrapInterval([], [1, 2], ratioOfMedians, { seed: 1 });
    expect(Number.isNaN(interval.low) && Number.isNaN(interval.high)).toBe(true);
  });
});

describe("judge", () => {
  const atMost: Goal = { comparison: "ratio", bound: "atMost", limit: 1.1 };
  const atLeast: Goal = { comparison: "ratio", bound: "atLeast", limit: 0.98 };

  it("says met when the interval is inside the goal, missed when outside", () => {
    expect(judge({ estimate: 1.02, low: 0.99, high: 1.05, confidence: 0.95 }, atMost, 5)).toEqual({ verdict: "met" });
    expect(judge({ estimate: 1.25, low: 1.15, high: 1.3, confidence: 0.95 }, atMost, 5)).toEqual({ verdict: "missed" });
    expect(judge({ estimate: 1.03, low: 1.0, high: 1.06, confidence: 0.95 }, atLeast, 5)).toEqual({ verdict: "met" });
    expect(judge({ estimate: 0.9, low: 0.85, high: 0.95, confidence: 0.95 }, atLeast, 5)).toEqual({ verdict: "missed" });
  });

  it("counts the samples to decide on the interval's side facing the limit", () => {
    // Lopsided: the estimate is 0.226 above the limit, the low bound 0.285 below the estimate.
    const judgement = judge({ estimate: 1.326, low: 1.041, high: 1.382, confidence: 0.95 }, atMost, 5);
    expect(judgement).toEqual({ verdict: "undecided", reason: "straddles", samplesToDecide: 8 });
  });

  it("says undecided when the interval straddles the limit, with the samples that would decide it", () => {
    // Half-width 0.1, 0.05 from the limit: the width must halve, so four times the samples.
    const judgement = judge({ estimate: 1.05, low: 0.95, high: 1.15, confidence: 0.95 }, atMost, 5);
    expect(judgement).toEqual({ verdict: "undecided", reason: "straddles", samplesToDecide: 20 });
  });

  it("names no sample count when the estimate sits on the limit", () => {
    expect(judge({ estimate: 1.1, low: 1.0, high: 1.2, confidence: 0.95 }, atMost, 5)).toEqual({ verdict: "undecided", reason: "straddles" });
  });

  it("says info without a goal, undecided without an interval", () => {
    expect(judge({ estimate: 1, low: 0.9, high: 1.1, confidence: 0.95 }, undefined, 5)).toEqual({ verdict: "info" });
    expect(judge({ estimate: 1, low: Number.NaN, high: Number.NaN, confidence: 0.95 }, atMost, 0)).toEqual({ verdict: "undecided", reason: "too few samples" });
  });

  it("gives no verdict below the minimum samples, however narrow the interval", () => {
    // Two repetitions that agree make a narrow bootstrap interval that means nothing.
    expect(judge({ estimate: 1.16, low: 1.13, high: 1.2, confidence: 0.95 }, atMost, 2, 5)).toEqual({ verdict: "undecided", reason: "too few samples", samplesToDecide: 5 });
    expect(judge({ estimate: 1.16, low: 1.13, high: 1.2, confidence: 0.95 }, atMost, 5, 5)).toEqual({ verdict: "missed" });
  });
});

describe("assessRow", () => {
  it("judges a p99 difference over hundreds of samples", () => {
    const raw = noisy(0.3, 0.2, 400, 11);
    const slower = raw.map((value) => value + 3);
    const same = noisy(0.3, 0.2, 400, 12);
    const spec = { id: "1a/final", goal: "1a", metric: "phrase → final", unit: "ms", statistic: "p99", comparison: "difference", target: { bound: "atMost", limit: 1 } } as const;
    expect(assessRow(spec, raw.slice(0, 40), slower.slice(0, 40)).verdict).toBe("undecided");
    expect(assessRow(spec, raw, same).verdict).toBe("met");
    const missed = assessRow(spec, raw, slower);
    expect(missed.verdict).toBe("missed");
    expect(missed.interval.estimate).toBeCloseTo(3, 6);
    expect(missed.target).toBe("p99 ≤ raw + 1 ms");
    expect(missed.raw.samples).toBe(400);
  });

  it("calls a few noisy repetitions undecided and says how many would decide", () => {
    const spec = { id: "1c/cpu/10", goal: "1c", metric: "CPU", unit: "s", statistic: "median", comparison: "ratio", target: { bound: "atMost", limit: 1.1 }, paired: true } as const;
    const row = assessRow({ ...spec, minimumSamples: 3 }, [1.0, 1.4, 0.8], [1.15, 1.2, 1.0]);
    expect(row.verdict).toBe("undecided");
    expect(row.reason).toBe("straddles");
    expect(row.samplesToDecide).toBeGreaterThan(3);
    expect(assessRow({ ...spec, minimumSamples: 3 }, [1.0, 1.4, 0.8], [1.15, 1.2, 1.0])).toEqual(row);
    expect(assessRow(spec, [1.0, 1.4, 0.8], [1.15, 1.2, 1.0]).reason).toBe("too few samples");
  });

  it("uses the nearest-rank p99, a real sample", () => {
    const samples = Array.from({ length: 300 }, (_, index) => index + 1);
    expect(percentile(samples, 0.99)).toBe(297);
  });
});

describe("compareRuns", () => {
  const row = (id: string, estimate: number, low: number, high: number): AssessedRow => ({
    id,
    goal: "x",
    metric: id,
    unit: "ms",
    statistic: "median",
    comparison: "ratio",
    raw: { median: 1, p99: 1, samples: 5 },
    adapter: { median: estimate, p99: estimate, samples: 5 },
    interval: { estimate, low, high, confidence: 0.95 },
    target: "",
    verdict: "met",
  });

  it("flags a change beyond both intervals' noise and not one within it", () => {
    expect(differs({ estimate: 1.0, low: 0.98, high: 1.02, confidence: 0.95 }, { estimate: 1.2, low: 1.18, high: 1.22, confidence: 0.95 })).toBe(true);
    expect(differs({ estimate: 1.0, low: 0.9, high: 1.1, confidence: 0.95 }, { estimate: 1.05, low: 0.95, high: 1.15, confidence: 0.95 })).toBe(false);
  });

  it("matches rows by id and skips rows only one run has", () => {
    const compared = compareRuns([row("a", 1, 0.98, 1.02), row("gone", 1, 1, 1)], [row("a", 1.2, 1.18, 1.22), row("new", 1, 1, 1)]);
    expect(compared.map((entry) => entry.id)).toEqual(["a"]);
    expect(compared[0]?.change).toBeCloseTo(0.2, 10);
    expect(compared[0]?.significant).toBe(true);
  });

  it("does not judge a change between intervals resting on too few samples", () => {
    const thin = { ...row("a", 1.2, 1.19, 1.21), reason: "too few samples" as const, verdict: "undecided" as const };
    expect(compareRuns([row("a", 1, 0.99, 1.01)], [thin])[0]?.significant).toBeUndefined();
  });
});
