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

/** What a child measured. */
export interface WorkerReport {
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

