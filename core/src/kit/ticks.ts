/**
 * Time in ticks of 100 nanoseconds: the unit of .NET and Windows time, and of every offset and
 * duration the Azure Speech service and SDK report. Kept here once for the adapter and its test
 * double, which must agree on it.
 *
 * @category Units
 */
export const TICKS_PER_MS = 10_000;

/**
 * Milliseconds as whole 100 ns ticks.
 *
 * @category Units
 */
export function msToTicks(ms: number): number {
  return Math.round(ms * TICKS_PER_MS);
}

/**
 * 100 ns ticks as milliseconds (fractional).
 *
 * @category Units
 */
export function ticksToMs(ticks: number): number {
  return ticks / TICKS_PER_MS;
}
