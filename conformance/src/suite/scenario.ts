import { it, type TestContext } from "vitest";
import { CONFORMANCE_META_KEYS, type ConformanceScenarioInfo, type ScenarioMeasurements } from "./scenario-meta.js";

/** Records what a scenario measured; later calls add to earlier ones. */
export type RecordMeasurements = (measured: ScenarioMeasurements) => void;

/** When a scenario is skipped, and how long it may take. */
export interface ScenarioOptions {
  /** Skip it (the target does not have what it needs). */
  readonly skip?: boolean;
  /** Its time limit, ms (vitest's default otherwise). */
  readonly timeout?: number;
}

/**
 * Registers one scenario as a vitest test that carries its identity in its metadata, and gives its
 * body a way to record measurements there: reports (the `sttkit conformance` command, the docs'
 * conformance matrix) read both back from vitest's JSON report.
 */
export function scenario(info: ConformanceScenarioInfo, title: string, options: ScenarioOptions, body: (record: RecordMeasurements) => Promise<void>): void {
  // A skip decided here (not by a run's title filter) is recorded, so a report can tell them apart.
  const meta: Record<string, unknown> = { [CONFORMANCE_META_KEYS.scenario]: options.skip ? { ...info, notApplicable: true } : info };
  it(
    title,
    {
      ...(options.timeout !== undefined ? { timeout: options.timeout } : {}),
      ...(options.skip ? { skip: true } : {}),
      meta,
    },
    async ({ task }: TestContext) => {
      // The test's metadata object is its own (vitest copies the suite's into a new one per test).
      const own = task.meta as Record<string, unknown>;
      const record: RecordMeasurements = (measured) => {
        own[CONFORMANCE_META_KEYS.measured] = { ...(own[CONFORMANCE_META_KEYS.measured] as ScenarioMeasurements | undefined), ...measured };
      };
      await body(record);
    },
  );
}
