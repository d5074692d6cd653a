/**
 * What the progress reporter (running inside the vitest child) tells the `sttkit conformance`
 * runner, one JSON object per line of the child's stdout, after {@link PROGRESS_MARKER}.
 */
export type ProgressEvent =
  /** The suite was collected: how many scenarios will run (the others are skipped or filtered out). */
  | { readonly type: "collected"; readonly total: number; readonly toRun: number }
  /** A scenario started. */
  | { readonly type: "start"; readonly title: string }
  /** A scenario ended. */
  | { readonly type: "result"; readonly title: string; readonly status: "passed" | "failed" | "skipped"; readonly durationMs?: number; readonly failure?: string }
  /** Something the adapter or the suite printed (console.log and friends inside a test). */
  | { readonly type: "log"; readonly stream: "stdout" | "stderr"; readonly content: string }
  /**
   * An error outside every scenario: an unhandled rejection, or a failed `beforeAll` (the fixtures'
   * audio did not load). The run fails even if every scenario passed.
   */
  | { readonly type: "outside-error"; readonly where: string; readonly message: string };

/** Starts every progress line, so the runner tells them from whatever else vitest prints. */
export const PROGRESS_MARKER = "@@sttkit-conformance@@ ";

/** Reads one line of the child's stdout: the event, or `undefined` for any other line. */
export function parseProgressLine(line: string): ProgressEvent | undefined {
  if (!line.startsWith(PROGRESS_MARKER)) return undefined;
  try {
    const event = JSON.parse(line.slice(PROGRESS_MARKER.length)) as unknown;
    return typeof event === "object" && event !== null && typeof (event as { type?: unknown }).type === "string" ? (event as ProgressEvent) : undefined;
  } catch {
    return undefined;
  }
}
