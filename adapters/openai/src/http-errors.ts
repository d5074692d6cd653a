import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from "openai";
import type { SttError } from "@sttkit/core";
import { describeCause, errorFromHttpStatus, sttError } from "@sttkit/core/kit";
import { PROVIDER } from "./constants.js";
import type { SecretRedactor } from "@sttkit/core/kit";

/** The wait a response asks for before a retry, in ms: `retry-after-ms`, else `Retry-After` (seconds or an HTTP date). */
export function retryAfterMs(headers: { get(name: string): string | null } | undefined, now = Date.now()): number | undefined {
  const milliseconds = headers?.get("retry-after-ms");
  if (milliseconds) {
    const value = Number.parseFloat(milliseconds);
    if (Number.isFinite(value) && value >= 0) return value;
  }
  const retryAfter = headers?.get("retry-after");
  if (!retryAfter) return undefined;
  const seconds = Number.parseFloat(retryAfter);
  if (Number.isFinite(seconds) && /^\s*\d+(\.\d+)?\s*$/.test(retryAfter)) return Math.max(0, seconds * 1000);
  const date = Date.parse(retryAfter);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}

/** Whether the SDK's error is worth another attempt: 408, 409, 429, 5xx (unless `x-should-retry: false`), timeouts and broken connections. */
export function isRetryable(cause: unknown): boolean {
  if (cause instanceof APIUserAbortError) return false;
  if (cause instanceof APIConnectionError) return true; // includes APIConnectionTimeoutError
  if (cause instanceof APIError) {
    const should = cause.headers?.get("x-should-retry");
    if (should === "true") return true;
    if (should === "false") return false;
    const status = cause.status;
    return status === 408 || status === 409 || status === 429 || (status !== undefined && status >= 500);
  }
  // A stream cut mid-way: undici's "terminated".
  return cause instanceof TypeError && /terminated|fetch failed|socket/i.test(cause.message);
}

/**
 * Maps what a batch request threw to an {@link SttError}, with the key redacted from every text
 * and from the kept cause: HTTP statuses through the kit's table (401 authentication, 403
 * forbidden, 404 and 413 bad request, 429 rate limit with `retryAfterMs`, 5xx connection), the
 * SDK's timeout, abort and connection errors, a stream cut mid-way (`TypeError: terminated`) and an
 * error event inside a stream (an `APIError` without status).
 */
export function batchError(cause: unknown, redactor: SecretRedactor, timeoutMs: number): SttError {
  const detail = redactor.text(describeCause(cause));
  const safeCause = redactor.cause(cause);
  if (cause instanceof APIUserAbortError) return sttError({ kind: "aborted", provider: PROVIDER, message: "The transcription was aborted.", detail, cause: safeCause });
  if (cause instanceof APIConnectionTimeoutError) {
    return sttError({ kind: "timeout", provider: PROVIDER, timeoutMs, message: `The OpenAI service did not answer within ${timeoutMs} ms.`, detail, cause: safeCause });
  }
  if (cause instanceof APIConnectionError) {
    return sttError({ kind: "connection", provider: PROVIDER, message: "The OpenAI service could not be reached, or the connection broke.", detail, cause: safeCause });
  }
  if (cause instanceof APIError && typeof cause.status === "number") {
    const mapped = errorFromHttpStatus(cause.status, { provider: PROVIDER, detail, cause: safeCause });
    const wait = retryAfterMs(cause.headers);
    if (mapped.kind === "rate-limit" && wait !== undefined) return { ...mapped, retryAfterMs: wait };
    return mapped;
  }
  if (cause instanceof APIError) {
    return sttError({ kind: "provider", provider: PROVIDER, message: "The OpenAI service reported an error in the middle of its answer.", detail, cause: safeCause });
  }
  if (cause instanceof TypeError && /terminated/i.test(cause.message)) {
    return sttError({ kind: "connection", provider: PROVIDER, message: "The connection to the OpenAI service broke in the middle of its answer.", detail, cause: safeCause });
  }
  return sttError({ kind: "provider", provider: PROVIDER, message: "The OpenAI request failed unexpectedly.", detail, cause: safeCause });
}
