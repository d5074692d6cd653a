import { sttError, type SttError } from "../errors.js";

/**
 * Context shared by the error-mapping helpers.
 *
 * @category Error mapping
 */
export interface ErrorContext {
  /** The provider name put on the error. */
  readonly provider: string;
  /** The provider's raw detail text. */
  readonly detail?: string;
  /** The caught error, if any. */
  readonly cause?: unknown;
}

/**
 * Maps an HTTP status (from a refused WebSocket upgrade or a REST call) to the matching
 * {@link SttError}: 401 authentication, 403 forbidden, 429 rate limit, 400/404/413/415 bad
 * request, 408/504 timeout, other 5xx connection (retryable), anything else provider.
 *
 * @category Error mapping
 */
export function errorFromHttpStatus(status: number, context: ErrorContext): SttError {
  const base = { provider: context.provider, detail: context.detail, cause: context.cause };
  const prefix = `The ${context.provider} service answered HTTP ${status}`;
  if (status === 401) {
    return sttError({ ...base, kind: "authentication", message: `${prefix}: the key or token was rejected. Check the credentials and region.` });
  }
  if (status === 403) {
    return sttError({ ...base, kind: "forbidden", message: `${prefix}: these credentials may not use this resource or feature.` });
  }
  if (status === 429) {
    return sttError({ ...base, kind: "rate-limit", message: `${prefix}: too many requests or quota exhausted. Retry later or raise the quota.` });
  }
  if (status === 408 || status === 504) {
    return sttError({ ...base, kind: "timeout", timeoutMs: 0, message: `${prefix}: the request timed out.` });
  }
  if (status === 400 || status === 404 || status === 413 || status === 415) {
    return sttError({ ...base, kind: "bad-request", message: `${prefix}: the request was rejected as invalid (check endpoint, model id, language and audio format).` });
  }
  if (status >= 500) {
    return sttError({ ...base, kind: "connection", message: `${prefix}: the service is unavailable. It may recover; retry or fail over.` });
  }
  return sttError({ ...base, kind: "provider", message: `${prefix}.` });
}

/**
 * Finds an HTTP status in a provider's free-text error detail (`"Unexpected server response:
 * 401"`, `"HTTP 429"`, `"status code 503"`), for SDKs that report refused connections only as text.
 *
 * @category Error mapping
 */
export function httpStatusInText(text: string): number | undefined {
  const match = /(?:server response|status(?: code)?|HTTP(?:\/\d(?:\.\d)?)?)\D{0,3}([1-5]\d\d)\b/i.exec(text);
  return match?.[1] ? Number(match[1]) : undefined;
}
