/**
 * Sends a `KeepAlive` when no audio has gone out for one interval: Deepgram closes a stream that
 * received nothing for about 10 s (1011 `NET-0001`), and a caller may pause its audio for longer
 * (push-to-talk, hold music cut out). A send only notes the time; the timer, when it fires, looks
 * at how long ago audio went out and either sends a KeepAlive or waits out the rest of the
 * interval. So a busy stream pays one clock read per chunk, not a timer update per chunk (ten a
 * second per stream, a hundred streams to a process).
 */
export class KeepAlive {
  readonly #intervalMs: number;
  readonly #send: () => void;
  #timer: NodeJS.Timeout | undefined;
  /** When audio last went out (or the watch started), `performance.now()` ms. */
  #lastActivityMs = 0;

  constructor(intervalMs: number, send: () => void) {
    this.#intervalMs = intervalMs;
    this.#send = send;
  }

  /** Starts watching (the connection is open). */
  start(): void {
    this.stop();
    this.#lastActivityMs = performance.now();
    this.#arm(this.#intervalMs);
  }

  /** Audio just went out: the next KeepAlive is one interval from now. */
  audioSent(): void {
    this.#lastActivityMs = performance.now();
  }

  /** Stops for good (the connection is closing). */
  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #arm(delayMs: number): void {
    this.#timer = setTimeout(() => this.#fire(), delayMs);
  }

  #fire(): void {
    const quietMs = performance.now() - this.#lastActivityMs;
    // Timers may fire a little early: within a millisecond counts as a whole quiet interval.
    if (quietMs + 1 >= this.#intervalMs) {
      this.#send();
      this.#lastActivityMs = performance.now();
      this.#arm(this.#intervalMs);
    } else {
      this.#arm(this.#intervalMs - quietMs);
    }
  }
}
