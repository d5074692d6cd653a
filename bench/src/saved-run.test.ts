import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import type { Section } from "./plans.js";
import { readSavedRun, saveRun, type SavedRun, type SectionRun } from "./saved-run.js";
import { assessRow } from "./stats/index.js";

const directories: string[] = [];
afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

function summaryPath(): URL {
  const directory = mkdtempSync(join(tmpdir(), "bench-summary-"));
  directories.push(directory);
  return pathToFileURL(join(directory, "full-summary.json"));
}

function sectionRun(section: Section, startedAt: string): SectionRun {
  return { section, startedAt, node: "v20", cpus: 2, loadAverageBefore: [1, 1, 1], loadAverageAfter: [1, 1, 1], durationSeconds: 1 };
}

function run(section: Section, id: string, adapter: number[], startedAt: string): SavedRun {
  const row = assessRow({ id, goal: "x", metric: id, unit: "s", statistic: "median", comparison: "ratio", target: { bound: "atMost", limit: 1.1 } }, [1, 1, 1, 1, 1], adapter);
  return { mode: "full", sections: [sectionRun(section, startedAt)], rows: [{ ...row, section }] };
}

describe("saveRun", () => {
  it("replaces the rows of the sections measured and keeps the others", () => {
    const path = summaryPath();
    saveRun(path, run("deepgram", "4/cpu/1", [1, 1, 1, 1, 1], "t1"));
    saveRun(path, run("azure-file", "1d/throughput", [1, 1, 1, 1, 1], "t2"));
    const merged = saveRun(path, run("deepgram", "4/cpu/1", [2, 2, 2, 2, 2], "t3"));
    expect(merged.rows.map((row) => row.id).sort()).toEqual(["1d/throughput", "4/cpu/1"]);
    expect(merged.rows.find((row) => row.id === "4/cpu/1")?.verdict).toBe("missed");
    expect(merged.sections.map((section) => `${section.section}@${section.startedAt}`).sort()).toEqual(["azure-file@t2", "deepgram@t3"]);
    expect(readSavedRun(path)).toEqual(merged);
  });

  it("does not mix a quick run into a full summary", () => {
    const path = summaryPath();
    saveRun(path, run("deepgram", "4/cpu/1", [1, 1, 1, 1, 1], "t1"));
    const quick = saveRun(path, { ...run("offline", "2/rtf", [1, 1, 1, 1, 1], "t2"), mode: "quick" });
    expect(quick.rows.map((row) => row.id)).toEqual(["2/rtf"]);
  });
});
