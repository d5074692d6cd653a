/**
 * Waits for `promise`, but no longer than `limitMs`; never rejects. The timer is cleared as soon
 * as the promise settles, so a bounded wait never keeps the process alive by itself.
 */
export async function settleWithin(promise: Promise<unknown>, limitMs: number): Promise<"settled" | "timed-out"> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<"timed-out">((resolve) => {
    timer = setTimeout(() => resolve("timed-out"), limitMs);
  });
  try {
    return await Promise.race([promise.then(() => "settled" as const, () => "settled" as const), limit]);
  } finally {
    clearTimeout(timer);
  }
}
