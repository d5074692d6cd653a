import { beforeAll, describe, expect } from "vitest";
import { createSuiteContext } from "./context.js";
import { countOpenHandles, settleHandles, type HandleCounts } from "./open-handles.js";
import { registerFaultScenarios } from "./scenarios/faults.js";
import { registerFuzzingScenarios } from "./scenarios/fuzzing.js";
import { registerLatencyScenarios } from "./scenarios/latency.js";
import { registerLifecycleScenarios } from "./scenarios/lifecycle.js";
import { registerLoadScenarios } from "./scenarios/load.js";
import { registerRecognitionScenarios } from "./scenarios/recognition.js";
import type { ConformanceTarget } from "./target.js";
import { scenario } from "./scenario.js";
import { CONFORMANCE_META_KEYS, declarationOf } from "./scenario-meta.js";

/**
 * Registers the conformance scenarios for one adapter with vitest. Call it at the top level of a
 * test file:
 *
 * ```ts
 * runConformanceSuite({ name: "my-adapter", create, fixtures, capabilities, werBounds: { clean: 0.3 } });
 * ```
 *
 * Scenarios follow the declared capabilities: an adapter is not failed for lacking a capability
 * it does not claim, and is failed for claiming one it does not deliver. They are grouped by
 * theme, one file each under `suite/scenarios/`: recognition, lifecycle, fuzzing, faults, latency,
 * load. The last scenario checks that no handle the adapter opened is left behind.
 */
export function runConformanceSuite(target: ConformanceTarget): void {
  const context = createSuiteContext(target);
  let baseline: HandleCounts = {};

  // Every test of the suite carries the target's declaration in its metadata, so a report built
  // from vitest's JSON (the sttkit conformance command, the docs' matrix) knows what was claimed.
  const meta: Record<string, unknown> = { [CONFORMANCE_META_KEYS.target]: declarationOf(target) };
  describe(`conformance: ${target.name}`, { meta }, () => {
    beforeAll(async () => {
      baseline = countOpenHandles();
      await context.loadAudio();
    });

    registerRecognitionScenarios(context);
    registerLifecycleScenarios(context);
    registerFuzzingScenarios(context);
    registerFaultScenarios(context);
    registerLatencyScenarios(context);
    registerLoadScenarios(context);

    // Last, so that it sees what every scenario before it left behind.
    scenario({ id: "open-handles", theme: "handles", label: "no handle left open" }, "leaves no handle open (sockets, timers, child processes)", {}, async () => {
      const leaked = await settleHandles(baseline);
      expect(leaked, "open handles left behind by the adapter").toEqual({});
    });
  });
}
