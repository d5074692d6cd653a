import { err, ok, type Result } from "neverthrow";
import { describeCause, sttError } from "@sttkit/core/kit";
import type { SttError } from "@sttkit/core";
import type { AzureTokenProvider } from "./config.js";
import { PROVIDER } from "./constants.js";
import type { AzureCredentials } from "./resolved-config.js";
import type { RecognizerCredentials } from "./speech-config.js";

/** Where a stream's tokens come from, how often it renews them, and how long one call may take. */
export interface TokenSource {
  readonly fetch: AzureTokenProvider;
  readonly refreshIntervalMs: number;
  /** A provider that has not answered after this long has failed (its call is left to finish unheeded). */
  readonly timeoutMs: number;
}

/** What {@link TokenRefresh} tells its stream. */
export interface TokenRefreshHandlers {
  /** A new token: use it for every connection from now on. */
  refreshed(token: string): void;
  /** A refresh failed (the current token stays in use until it expires); it is tried again. */
  failed(error: SttError): void;
}

/** After a failed refresh, try again this soon at most: the current token has about a minute left. */
const RETRY_AFTER_FAILURE_MS = 10_000;

function failure(message: string, cause?: unknown): SttError {
  return sttError({
    kind: "authentication",
    provider: PROVIDER,
    message,
    ...(cause !== undefined ? { detail: describeCause(cause), cause } : {}),
  });
}

/**
 * Renews a stream's authorization token from the application's provider on a timer, for as long
 * as the stream runs. One timer at a time; {@link TokenRefresh.stop} releases it, and a call still
 * in progress then is ignored when it settles.
 */
export class TokenRefresh {
  readonly #source: TokenSource;
  readonly #handlers: TokenRefreshHandlers;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(source: TokenSource, handlers: TokenRefreshHandlers) {
    this.#source = source;
    this.#handlers = handlers;
  }

  /** One token from the provider: a non-empty string within the time limit, or an `authentication` error. Never rejects. */
  async fetch(): Promise<Result<string, SttError>> {
    let limit: NodeJS.Timeout | undefined;
    const timedOut = new Promise<"timed-out">((resolve) => {
      limit = setTimeout(() => resolve("timed-out"), this.#source.timeoutMs);
    });
    try {
      const token = await Promise.race([Promise.resolve().then(() => this.#source.fetch()), timedOut]);
      if (token === "timed-out") return err(failure(`The Azure token provider (azure.tokenProvider) did not answer within ${this.#source.timeoutMs} ms.`));
      if (typeof token !== "string" || token.trim().length === 0) return err(failure("The Azure token provider (azure.tokenProvider) returned no token."));
      return ok(token.trim());
    } catch (cause) {
      return err(failure("The Azure token provider (azure.tokenProvider) failed to give a token.", cause));
    } finally {
      clearTimeout(limit);
    }
  }

  /** Renews the token after the refresh interval, then again after each one, until stopped. */
  schedule(delayMs = this.#source.refreshIntervalMs): void {
    if (this.#stopped) return;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#renew();
    }, delayMs);
  }

  /** No more renewals; the timer is released at once. */
  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  async #renew(): Promise<void> {
    const result = await this.fetch();
    if (this.#stopped) return;
    if (result.isOk()) {
      this.#handlers.refreshed(result.value);
      this.schedule();
    } else {
      this.#handlers.failed(result.error);
      this.schedule(Math.min(this.#source.refreshIntervalMs, RETRY_AFTER_FAILURE_MS));
    }
  }
}

/**
 * The credentials for one request made now (a fast transcription upload): a provider's token
 * fetched once, within `timeoutMs`; other credentials as they are.
 */
export async function credentialsNow(credentials: AzureCredentials, timeoutMs: number): Promise<Result<RecognizerCredentials, SttError>> {
  if (credentials.kind !== "token-provider") return ok(credentials);
  const noRenewal = { refreshed: () => undefined, failed: () => undefined };
  const token = await new TokenRefresh({ fetch: credentials.fetch, refreshIntervalMs: credentials.refreshIntervalMs, timeoutMs }, noRenewal).fetch();
  return token.map((value): RecognizerCredentials => ({ kind: "token", token: value }));
}
