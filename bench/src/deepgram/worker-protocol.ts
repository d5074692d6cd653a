import type { DeepgramSide } from "./clients.js";

/** Work for a child: `streams` concurrent real-time streams of the fixture against the parent's local server. */
export interface DeepgramWorkerJob {
  readonly side: DeepgramSide;
  readonly baseUrl: string;
  readonly fixtureId: string;
  readonly streams: number;
}

/** What a child measured. */
export interface DeepgramWorkerReport {
  readonly wallMs: number;
  /** User + system CPU of the child during the streams, ms. */
  readonly cpuMs: number;
  /** RSS after warm-up and a full GC, bytes. */
  readonly baselineRssBytes: number;
  /** Highest RSS sampled during the streams, bytes. */
  readonly peakRssBytes: number;
  /** Audio streamed, summed over all streams, seconds. */
  readonly audioSeconds: number;
  /** Finals with text received, summed over all streams. */
  readonly finals: number;
}
