import type { AudioFormat } from "@sttkit/core";
import type { StreamingClient } from "./measure.js";

/** Which implementation a measurement drives. */
export type Side = "adapter" | "raw";

export const SIDES: readonly Side[] = ["raw", "adapter"];

/** The subscription key both sides present; the replay server does not check it. */
export const BENCH_KEY = "bench-key";

/** What both sides are given: the same server, audio format and SDK throttling. */
export interface ClientOptions {
  /** `ws://127.0.0.1:PORT` of the replay server (or of the proxy in front of it). */
  readonly host: string;
  readonly format: AudioFormat;
  /** `SPEECH-TransmitLengthBeforThrottleMs`: how much audio the SDK sends before it slows to real time. */
  readonly throttleMs: number;
}

/**
 * One recognition session, adapter or raw SDK, reduced to what the bench needs, so every
 * measurement runs the identical loop over both sides.
 */
export interface BenchClient extends StreamingClient {
  /**
   * The same, through the side's synchronous callback: the adapter's `onEvent` option; for the raw
   * SDK, its `recognized` callback (identical to `finalTimes`).
   */
  readonly finalCallbackTimes: readonly number[];
}

export type OpenClient = (options: ClientOptions) => BenchClient;

/** Loads only the side asked for, so a child process measuring the raw SDK never loads the adapter. */
export async function clientFactory(side: Side): Promise<OpenClient> {
  if (side === "adapter") return (await import("./adapter-client.js")).openAdapterClient;
  return (await import("./raw-client.js")).openRawClient;
}
