/**
 * Sends a `KeepAlive` when no audio has gone out for one interval: Deepgram closes a stream that
 * received nothing for about 10 s (1011 `NET-0001`), and a caller may pause its audio for longer
 * (push-to-talk, hold music cut out). The timer is refreshed by every audio send instead of being
 * re-created, so a busy stream costs nothing.
 */
export class KeepAlive {
  readonly #intervalMs: number;
  readonly #send: () => void;
  #timer: NodeJS.Timeout | undefined;

  constructor(intervalMs: number, send: () => void) {
    this.#intervalMs = intervalMs;
    this.#send = send;
  }

  /** Starts watching (the connection is open). */
  start(): void {
    this.stop();
    this.#timer = setTimeout(() => this.#fire(), this.#intervalMs);
  }

  /** Audio just went out: the next KeepAlive is one interval from now. */
  audioSent(): void {
    this.#timer?.refresh();
  }

  /** Stops for good (the connection is closing). */
  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #fire(): void {
    this.#send();
    if (this.#timer) this.#timer.refresh();
  }
}
