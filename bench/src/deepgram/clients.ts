import type { AudioFormat } from "@sttkit/core";
import type { StreamingClient } from "../measure.js";

/**
 * Which implementation a measurement drives: the raw SDK, the adapter as configured by default
 * (recovery on: it keeps the audio since the last final for replay), or the adapter with
 * `reconnect.maxAttempts: 0` (no recovery, so no audio kept), which shows what the replay costs.
 */
export type DeepgramSide = "raw" | "adapter" | "adapter-no-replay";

/** The key both sides present to the local server. */
export const DEEPGRAM_BENCH_KEY = "deepgram-bench-key";

/** One live session, adapter or raw SDK, reduced to what the bench needs (the raw side's `write` waits for its socket to open). */
export type DeepgramBenchClient = StreamingClient;

/** What both sides are given: the same server and audio format, and the same listen options. */
export interface DeepgramClientOptions {
  readonly baseUrl: string;
  readonly format: AudioFormat;
}

/** Opens a client of one side. */
export type OpenDeepgramClient = (options: DeepgramClientOptions) => DeepgramBenchClient;

/** Loads only the side asked for, so a child measuring the raw SDK never loads the adapter. */
export async function deepgramClientFactory(side: DeepgramSide): Promise<OpenDeepgramClient> {
  if (side === "adapter") return (await import("./adapter-client.js")).openDeepgramAdapterClient;
  if (side === "adapter-no-replay") return (await import("./adapter-client.js")).openDeepgramAdapterClientWithoutReplay;
  return (await import("./raw-client.js")).openDeepgramRawClient;
}
