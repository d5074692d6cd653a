/** Work for the soak's child process: every stream runs there, the replay servers stay in the parent. */
export interface SoakJob {
  /** Host of the well-behaved local Azure server. */
  readonly cleanHost: string;
  /** Host of the server that drops each connection once, mid-utterance. */
  readonly faultyHost: string;
  /** How many of the streams go to the faulty server. */
  readonly faultyStreams: number;
  readonly streams: number;
  /** Fixture whose audio, repeated `repeats` times, each stream sends. */
  readonly fixtureId: string;
  readonly repeats: number;
  /** Playback speed (1 = real time). */
  readonly speed: number;
  /** How often RSS is sampled, ms. */
  readonly sampleMs: number;
  /** Streams still open after this long are closed and counted as failed, ms. */
  readonly timeLimitMs: number;
  /** What runs the streams: the adapter, or the Speech SDK driven directly (the baseline). */
  readonly side: "adapter" | "raw";
  /** The adapter's `rotateRecognizerAfterSeconds` (the adapter side only). */
  readonly rotateSeconds: number;
}

/** One RSS sample. */
export interface SoakSample {
  /** Seconds since the streams started. */
  readonly atSeconds: number;
  readonly rssMb: number;
  readonly heapUsedMb: number;
  /** The V8 heap's committed size: what the heap holds of the RSS, garbage and free space included. */
  readonly heapTotalMb: number;
  /** Memory of C++ objects bound to JS ones, array buffers (audio, socket buffers) included. */
  readonly externalMb: number;
  /** Audio sent so far, summed over all streams, seconds. */
  readonly audioSeconds: number;
  /** Streams not yet finished. */
  readonly openStreams: number;
}

/** What one stream received. */
export interface SoakStreamOutcome {
  /** The final transcripts, in order of arrival. */
  readonly finals: readonly string[];
  /** The error that ended the stream, if it failed. */
  readonly error?: string;
  /** Errors the stream recovered from (reconnects). */
  readonly recovered: number;
  readonly faulty: boolean;
}

export interface SoakReport {
  /** RSS after one warm-up stream and a full GC, MB. */
  readonly baselineRssMb: number;
  readonly samples: readonly SoakSample[];
  readonly outcomes: readonly SoakStreamOutcome[];
  readonly wallSeconds: number;
  readonly cpuSeconds: number;
}
