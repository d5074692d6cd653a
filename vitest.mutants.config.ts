import { defineConfig } from "vitest/config";
import base from "./vitest.config.js";

/**
 * Runs a conformance suite against a deliberately broken adapter (`*.mutant-suite.ts`), for the
 * tests that check the suite catches each mutant. Not part of the normal test run.
 */
export default defineConfig({
  resolve: base.resolve,
  test: { ...base.test, include: ["adapters/*/src/**/*.mutant-suite.ts"] },
});
