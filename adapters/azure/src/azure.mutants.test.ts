import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { MUTANTS } from "@sttkit/conformance";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const VITEST = join(dirname(createRequire(join(REPO_ROOT, "package.json")).resolve("vitest/package.json")), "vitest.mjs");

interface JsonReport {
  readonly testResults: ReadonlyArray<{ readonly assertionResults: ReadonlyArray<{ readonly fullName: string; readonly status: string; readonly failureMessages: readonly string[] }> }>;
}

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Runs the named scenarios of the suite against the Azure adapter broken as `mutant`; resolves with vitest's JSON report. */
function runSuiteAgainst(mutant: string, scenarios: readonly string[], outputFile: string): Promise<JsonReport> {
  const args = [VITEST, "run", "--config", "vitest.mutants.config.ts", "--reporter=json", `--outputFile=${outputFile}`, "-t", scenarios.map(escape).join("|"), "adapters/azure/src/azure.mutant-suite.ts"];
  return new Promise((resolveRun, reject) => {
    // The suite is expected to fail: the exit status says nothing, the report says which scenario.
    execFile(process.execPath, args, { cwd: REPO_ROOT, env: { ...process.env, STTKIT_MUTANT: mutant }, maxBuffer: 16 * 1024 * 1024, timeout: 240_000 }, (error) => {
      if (error && error.killed) return reject(new Error(`the suite against mutant ${mutant} did not finish`));
      readFile(outputFile, "utf8").then((text) => resolveRun(JSON.parse(text) as JsonReport), reject);
    });
  });
}

describe("the conformance suite fails every mutant adapter, in the scenario meant to catch it", () => {
  let dir = "";
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "sttkit-mutants-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("control: the same scenarios pass for the adapter without a defect", async () => {
    const scenarios = [...new Set(MUTANTS.flatMap((mutant) => [...(mutant.runAfter ?? []), mutant.caughtBy]))];
    const report = await runSuiteAgainst("none", scenarios, join(dir, "none.json"));
    const results = report.testResults.flatMap((file) => file.assertionResults);
    for (const scenario of scenarios) {
      expect(results.some((result) => result.fullName.includes(scenario) && result.status === "passed"), `"${scenario}" did not run and pass`).toBe(true);
    }
    expect(results.filter((result) => result.status === "failed").map((result) => `${result.fullName}: ${result.failureMessages.join(" ")}`)).toEqual([]);
  }, 300_000);

  it.each(MUTANTS.map((mutant) => [mutant.name, mutant] as const))("%s", async (_name, mutant) => {
    const report = await runSuiteAgainst(mutant.name, [...(mutant.runAfter ?? []), mutant.caughtBy], join(dir, `${mutant.name}.json`));
    const results = report.testResults.flatMap((file) => file.assertionResults);
    const catching = results.filter((result) => result.fullName.includes(mutant.caughtBy));
    expect(catching.length, `no scenario titled "${mutant.caughtBy}" ran`).toBeGreaterThan(0);
    expect(
      catching.map((result) => result.status),
      `the suite passed an adapter that ${mutant.breaks}`,
    ).toContain("failed");
  }, 300_000);
});
