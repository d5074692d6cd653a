import { clock } from "./output.js";

/** Files shorter than this get no progress report: they finish before anyone would look. */
const LONG_FILE_MS = 20_000;

/**
 * Reports how far transcription has got on stderr: an updating line on a terminal, a line per
 * tenth of the file otherwise (so logs stay short).
 */
export class ProgressReporter {
  readonly #stderr: { write(text: string): unknown; isTTY?: boolean };
  readonly #totalMs: number;
  readonly #enabled: boolean;
  #lastTenth = 0;
  #lineShown = false;

  /** Reports to `stderr` for a file of `totalMs`, unless disabled or the file is short. */
  constructor(stderr: { write(text: string): unknown; isTTY?: boolean }, totalMs: number, enabled: boolean) {
    this.#stderr = stderr;
    this.#totalMs = totalMs;
    this.#enabled = enabled && totalMs >= LONG_FILE_MS;
  }

  /** Records that audio up to `doneMs` has been transcribed. */
  update(doneMs: number): void {
    if (!this.#enabled) return;
    const fraction = Math.min(1, Math.max(0, doneMs / this.#totalMs));
    const text = `progress: ${Math.round(fraction * 100)}% (${clock(doneMs)} of ${clock(this.#totalMs)})`;
    if (this.#stderr.isTTY) {
      this.#stderr.write(`\r${text}`);
      this.#lineShown = true;
      return;
    }
    const tenth = Math.floor(fraction * 10);
    if (tenth > this.#lastTenth) {
      this.#lastTenth = tenth;
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
