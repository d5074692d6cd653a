import { defineConfig } from "vitest/config";
import workspace from "./vitest.config.js";

/**
 * The configuration Stryker runs (stryker.config.json): the workspace's, restricted to core's tests.
 * The mutated files all live in core, so the adapter, conformance and CLI suites (network loopback,
 * subprocesses) would only slow every mutant down without killing any more of them.
 */
export default defineConfig({
  ...workspace,
  test: { ...workspace.test, include: ["core/src/**/*.test.ts"] },
});
