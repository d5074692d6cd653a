import { setTimeout as sleep } from "node:timers/promises";

/** Resource types that an adapter could leak: sockets, servers, child processes, pipes, timers. */
const LEAKABLE = new Set(["TCPSocketWrap", "TCPServerWrap", "TCPWRAP", "ProcessWrap", "PipeWrap", "Timeout", "Immediate"]);

/** Counts of live leakable resources by type. */
export type HandleCounts = Readonly<Record<string, number>>;

/** Counts the process's live sockets, servers, child processes, pipes and timers. */
export function countOpenHandles(): HandleCounts {
  const counts: Record<string, number> = {};
  for (const type of process.getActiveResourcesInfo()) {
    if (LEAKABLE.has(type)) counts[type] = (counts[type] ?? 0) + 1;
  }
  return counts;
}

/** Types whose count is above the baseline, with how many more. */
export function handleGrowth(baseline: HandleCounts, now: HandleCounts): Record<string, number> {
  const growth: Record<string, number> = {};
  for (const [type, count] of Object.entries(now)) {
    const extra = count - (baseline[type] ?? 0);
    if (extra > 0) growth[type] = extra;
  }
  return growth;
}

/**
 * Waits (up to `withinMs`) for the live resources to fall back to the baseline, and returns what
 * is still above it: closing sockets and exiting processes take a few event-loop turns.
 */
export async function settleHandles(baseline: HandleCounts, withinMs = 3000): Promise<Record<string, number>> {
  const deadline = performance.now() + withinMs;
  let growth = handleGrowth(baseline, countOpenHandles());
  while (Object.keys(growth).length > 0 && performance.now() < deadline) {
    await sleep(25);
    growth = handleGrowth(baseline, countOpenHandles());
  }
  return growth;
}
