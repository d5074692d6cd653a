import { clock } from "./output.js";

/** Files shorter than this get no progress report: they finish before anyone would look. */
const LONG_FILE_MS = 20_000;
/** Width of the bar, in characters. */
const BAR_WIDTH = 20;
/** Without a known length (decoded files, standard input), a log line per this much audio. */
const UNKNOWN_LENGTH_STEP_MS = 60_000;

/**
 * Reports how far transcription of one file has got on stderr: an updating bar on a terminal, a
 * line per tenth of the file otherwise (so logs stay short). A label (the file name) starts each
 * line when several files are transcribed. When the file's length is unknown (it is decoded as it
 * is read), the bar gives way to the audio time done.
 */
export class ProgressReporter {
  readonly #stderr: { write(text: string): unknown; isTTY?: boolean };
  readonly #totalMs: number | undefined;
  readonly #enabled: boolean;
  readonly #prefix: string;
  #lastStep = 0;
  #lineShown = false;

  /**
   * Reports to `stderr` for a file of `totalMs` (undefined: unknown), unless disabled or the file
   * is known to be short; `label` names the file on each line.
   */
  constructor(stderr: { write(text: string): unknown; isTTY?: boolean }, totalMs: number | undefined, enabled: boolean, label?: string) {
    this.#stderr = stderr;
    this.#totalMs = totalMs;
    this.#enabled = enabled && (totalMs === undefined || totalMs >= LONG_FILE_MS);
    this.#prefix = label === undefined ? "" : `${label}: `;
  }

  /** Records that audio up to `doneMs` has been transcribed. */
  update(doneMs: number): void {
    if (!this.#enabled) return;
    const total = this.#totalMs;
    const fraction = total === undefined ? undefined : Math.min(1, Math.max(0, doneMs / total));
    const text =
      fraction === undefined || total === undefined
        ? `${this.#prefix}progress: ${clock(doneMs)} transcribed`
        : `${this.#prefix}progress: [${"#".repeat(Math.round(fraction * BAR_WIDTH)).padEnd(BAR_WIDTH, "-")}] ${Math.round(fraction * 100)}% (${clock(doneMs)} of ${clock(total)})`;
    if (this.#stderr.isTTY) {
      this.#stderr.write(`\r\x1b[K${text}`);
      this.#lineShown = true;
      return;
    }
    const step = fraction === undefined ? Math.floor(doneMs / UNKNOWN_LENGTH_STEP_MS) : Math.floor(fraction * 10);
    if (step > this.#lastStep) {
      this.#lastStep = step;
      this.#stderr.write(`${text}\n`);
    }
  }

  /** Removes the updating line on a terminal before other output. */
  clear(): void {
    if (this.#lineShown) {
      this.#stderr.write("\r\x1b[K");
      this.#lineShown = false;
    }
  }
}
