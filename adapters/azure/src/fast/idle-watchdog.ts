/**
 * Aborts a request when it makes no progress for `timeoutMs`: neither the upload moves on nor the
 * answer arrives. Each sign of progress restarts the count, so a long upload on a slow link is
 * not cut while a service that goes quiet is. Progress is only noted (a timestamp, called for
 * every block of a large upload); one timer checks it, re-armed for the time still left.
 */
export class IdleWatchdog {
  readonly #controller = new AbortController();
  readonly #timeoutMs: number;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #lastProgress = performance.now();
  #fired = false;

  constructor(timeoutMs: number) {
    this.#timeoutMs = timeoutMs;
    this.#arm(timeoutMs);
  }

  /** Aborted when the watchdog fires. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Whether the abort was the watchdog's. */
  get fired(): boolean {
    return this.#fired;
  }

  /** How long the request may make no progress, in milliseconds. */
  get timeoutMs(): number {
    return this.#timeoutMs;
  }

  /** Something moved: the count starts again. */
  progress(): void {
    this.#lastProgress = performance.now();
  }

  /** The request is over: no more timer. */
  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #arm(delayMs: number): void {
    this.#timer = setTimeout(() => {
      const idle = performance.now() - this.#lastProgress;
      if (idle < this.#timeoutMs) return this.#arm(this.#timeoutMs - idle);
      this.#fired = true;
      this.#controller.abort();
    }, Math.max(1, Math.ceil(delayMs)));
  }
}
