import { err, ok, type Result } from "neverthrow";
import type { SttError } from "../../errors.js";

/**
 * How a {@link RecognitionDriver}'s work ends, kept once for every driver that talks to a service
 * over time: the failure that ended it, whether it was disposed, the `finish()` calls waiting for
 * the last final, and a `dispose()` that runs once however often it is called.
 *
 * @category Stream plumbing
 */
export class DriverLifecycle {
  #failure: SttError | undefined;
  #over = false;
  #waiters: Array<(result: Result<void, SttError>) => void> = [];
  #disposal: Promise<void> | undefined;

  /** Disposed: nothing more may be sent or reported. */
  get over(): boolean {
    return this.#over;
  }

  /** The failure that ended the work, if one did. */
  get failure(): SttError | undefined {
    return this.#failure;
  }

  /**
   * What `finish()` returns: settled at once when the work already failed or is over; otherwise
   * `flush` runs (send the end of the audio) and the result waits for {@link DriverLifecycle.succeed},
   * {@link DriverLifecycle.fail} or {@link DriverLifecycle.dispose}.
   */
  finish(flush: () => void): Promise<Result<void, SttError>> {
    if (this.#failure) return Promise.resolve(err(this.#failure));
    if (this.#over) return Promise.resolve(ok(undefined));
    flush();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /** The service delivered its last final and stopped: every waiting `finish()` resolves `Ok`. */
  succeed(): void {
    this.#settle(ok(undefined));
  }

  /**
   * Records the failure and settles every waiting `finish()` with it. Returns `false`, doing
   * nothing, once disposed: the caller then need not report it.
   */
  fail(error: SttError): boolean {
    if (this.#over) return false;
    this.#failure = error;
    this.#settle(err(error));
    return true;
  }

  /**
   * What `dispose()` returns: the first call marks the work over, runs `release` and then settles
   * every waiting `finish()` (with the failure, if any); later calls return the same promise.
   */
  dispose(release: () => Promise<void>): Promise<void> {
    this.#disposal ??= (async () => {
      this.#over = true;
      await release();
      this.#settle(this.#failure ? err(this.#failure) : ok(undefined));
    })();
    return this.#disposal;
  }

  #settle(result: Result<void, SttError>): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const resolve of waiters) resolve(result);
  }
}
