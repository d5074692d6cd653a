import type { AudioFormat } from "@sttkit/core";

/**
 * Which implementation a measurement drives: the raw SDK, the adapter as configured by default
 * (recovery on: it keeps the audio since the last final for replay), or the adapter with
 * `reconnect.maxAttempts: 0` (no recovery, so no audio kept), which shows what the replay costs.
 */
export type DeepgramSide = "raw" | "adapter" | "adapter-no-replay";

/** The key both sides present to the local server. */
export const DEEPGRAM_BENCH_KEY = "deepgram-bench-key";

/** One live session, adapter or raw SDK, reduced to what the bench needs. */
export interface DeepgramBenchClient {
  /** Sends one chunk; a promise when the side must wait first (the raw socket is not open yet). */
  write(chunk: Uint8Array): Promise<void> | undefined;
  /** Declares the audio complete and resolves once the last final and the close are in. */
  finish(): Promise<void>;
  /** Releases the connection. */
  close(): Promise<void>;
  /** `performance.now()` when the application received each final with text. */
  readonly finalTimes: readonly number[];
}

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
