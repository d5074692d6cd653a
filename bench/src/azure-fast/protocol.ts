/** Requests of a file through the fast transcription API, in a fresh child process. */
export interface FastJob {
  /**
   * The sides, in the order of the first round; each further round reverses it (ABAB, BABA). One
   * side: the child's memory is that side's alone. Both: the wall-time comparison, in one
   * process, so that process-wide noise falls on both alike.
   */
  readonly sides: readonly FastSide[];
  /** `http://127.0.0.1:PORT` of the local double. */
  readonly origin: string;
  readonly key: string;
  /** The WAV file to send. */
  readonly file: string;
  /** A WAV sent first, twice per side, unmeasured: module loading and JIT warm-up. */
  readonly warmUpFile: string;
  /** Bytes of the file, for the adapter's limits. */
  readonly fileBytes: number;
  /** Measured rounds (each side once per round). */
  readonly rounds: number;
}

/** The adapter's `transcribe()`, or the same multipart request made with a plain `fetch`. */
export type FastSide = "raw" | "adapter";

/** What the child measured. */
export interface FastReport {
  /** From the call to the parsed answer, in ms, for each measured request, by side. */
  readonly wallMs: Readonly<Record<FastSide, readonly number[]>>;
  /** RSS after warm-up and a GC, just before the measured requests, in bytes. */
  readonly rssBefore: number;
  /** The highest RSS sampled (every 20 ms) during the measured requests, in bytes. */
  readonly rssPeak: number;
  /** Phrases in the last answer (a check that the request got it). */
  readonly phrases: number;
}
