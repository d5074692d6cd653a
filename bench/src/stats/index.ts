/**
 * The statistics every bench row shares, Azure, Deepgram or OpenAI: order statistics, seeded
 * bootstrap intervals, three-way verdicts against a goal, and the comparison of two runs.
 *
 * @module
 */
export { bootstrapInterval, type BootstrapOptions, type Interval, type TwoSampleStatistic } from "./bootstrap.js";
export { compareRuns, differs, type RowComparison } from "./compare.js";
export { describeGoal, judge, type Goal, type Judgement, type Verdict } from "./goal.js";
export { median, percentile, summarise, type Summary } from "./order.js";
export { seededRandom, seedFor } from "./random.js";
export { assessRow, MINIMUM_SAMPLES, type AssessedRow, type RowSpec, type Statistic } from "./row.js";
