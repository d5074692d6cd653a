/**
 * Aborts a request when it makes no progress for `timeoutMs`: neither the upload moves on nor the
 * answer arrives. Each sign of progress restarts the count, so a long upload on a slow link is
 * not cut while a service that goes quiet is.
 */
export class IdleWatchdog {
  readonly #controller = new AbortController();
  readonly #timeoutMs: number;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #fired = false;

  constructor(timeoutMs: number) {
    this.#timeoutMs = timeoutMs;
    this.progress();
  }

  /** Aborted when the watchdog fires. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Whether the abort was the watchdog's. */
  get fired(): boolean {
    return this.#fired;
  }

  get timeoutMs(): number {
    return this.#timeoutMs;
  }

  /** Something moved: start the count again. */
  progress(): void {
    if (this.#fired) return;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#fired = true;
      this.#controller.abort();
    }, this.#timeoutMs);
  }

  /** The request is over: no more timer. */
  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
