import type { Side } from "./client.js";

/**
 * Work for a child process: the client side of one measurement, alone in its process so its CPU
 * time and memory are its own (the replay server stays in the parent).
 */
export type WorkerJob =
  | {
      /** `streams` concurrent streams of the fixture, each paced at real time. */
      readonly kind: "streams";
      readonly side: Side;
      readonly host: string;
      readonly fixtureId: string;
      readonly streams: number;
      readonly throttleMs: number;
    }
  | {
      /** One whole recording (the fixture `repeats` times) sent as fast as the side accepts it: `transcribe()` for the adapter. */
      readonly kind: "file";
      readonly side: Side;
      readonly host: string;
      readonly fixtureId: string;
      readonly repeats: number;
      readonly throttleMs: number;
    };

/** One-time costs a process pays before its first stream runs at its steady cost, apart from the per-audio-minute figures. */
export interface StartupCost {
  /** Importing the side's client: the adapter or the raw SDK and what it loads, ms. */
  readonly moduleLoadMs: number;
  /** The first stream (the unmeasured warm-up: first connection, JIT of the hot paths), wall ms. */
  readonly firstStreamMs: number;
  /** CPU time of both, ms. */
  readonly cpuMs: number;
}

/** What a child measured. */
export interface WorkerReport {
  /** Paid once per process, before the measured work; not part of `cpuMs`. */
  readonly startup: StartupCost;
  /** Wall time of the measured work, ms. */
  readonly wallMs: number;
  /** User + system CPU time of the child during the measured work, ms. */
  readonly cpuMs: number;
  /** RSS after warm-up and a full GC, just before the measured work, bytes. */
  readonly baselineRssBytes: number;
  /** Highest RSS sampled during the measured work, bytes. */
  readonly peakRssBytes: number;
  /** Audio recognised, summed over all streams, seconds. */
  readonly audioSeconds: number;
  /** Final transcripts received, summed over all streams. */
  readonly finals: number;
}

