import { existsSync, readFileSync, writeFileSync } from "node:fs";
import type { Section } from "./plans.js";
import type { AssessedRow } from "./stats/index.js";

/** When and where a section was last measured: its verdicts depend on the machine's load then. */
export interface SectionRun {
  readonly section: Section;
  readonly startedAt: string;
  readonly node: string;
  readonly cpus: number;
  readonly loadAverageBefore: readonly number[];
  readonly loadAverageAfter: readonly number[];
  readonly durationSeconds: number;
}

/**
 * What `bench/results/<mode>-summary.json` keeps (small enough for git): per section its last
 * run, and per goal its summaries, interval and verdict, not the samples.
 */
export interface SavedRun {
  readonly mode: "quick" | "full";
  readonly sections: readonly SectionRun[];
  readonly rows: ReadonlyArray<AssessedRow & { readonly section: Section }>;
}

export function readSavedRun(path: string | URL): SavedRun {
  const parsed = JSON.parse(readFileSync(path, "utf8")) as Partial<SavedRun>;
  if (!Array.isArray(parsed.rows) || !Array.isArray(parsed.sections)) throw new Error(`${String(path)} is not a saved bench run (no rows or sections)`);
  return parsed as SavedRun;
}

/**
 * Writes this run's sections into the summary at `path`, keeping the sections this run did not
 * measure from the summary already there (a run of one section updates only its rows).
 */
export function saveRun(path: URL, run: SavedRun): SavedRun {
  const measured = new Set(run.sections.map((section) => section.section));
  const earlier = existsSync(path) ? readSavedRun(path) : undefined;
  const kept = earlier?.mode === run.mode ? earlier : undefined;
  const merged: SavedRun = {
    mode: run.mode,
    sections: [...(kept?.sections.filter((section) => !measured.has(section.section)) ?? []), ...run.sections],
    rows: [...(kept?.rows.filter((row) => !measured.has(row.section)) ?? []), ...run.rows],
  };
  writeFileSync(path, `${JSON.stringify(merged, null, 1)}\n`);
  return merged;
}
