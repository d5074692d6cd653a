/** One measured `transcribe()` of a file through the fast transcription API, in a fresh child process. */
export interface FastJob {
  readonly side: FastSide;
  /** `http://127.0.0.1:PORT` of the local double. */
  readonly origin: string;
  readonly key: string;
  /** The WAV file to send. */
  readonly file: string;
  /** A WAV sent first, twice, unmeasured: module loading and JIT warm-up. */
  readonly warmUpFile: string;
  /** Bytes of the file, for the adapter's limits. */
  readonly fileBytes: number;
  /** Measured requests of the file, one after the other (after two warm-up requests). */
  readonly requests: number;
}

/** The adapter's `transcribe()`, or the same multipart request made with a plain `fetch`. */
export type FastSide = "raw" | "adapter";

/** What the child measured. */
export interface FastReport {
  /** From the call to the parsed answer, in ms, for each measured request. */
  readonly wallMs: readonly number[];
  /** RSS after warm-up and a GC, just before the measured call, in bytes. */
  readonly rssBefore: number;
  /** The highest RSS sampled (every 20 ms) during the call, in bytes. */
  readonly rssPeak: number;
  /** Phrases in the answer (a check that both sides got it). */
  readonly phrases: number;
}
