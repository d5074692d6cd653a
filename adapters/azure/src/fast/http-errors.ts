import type { SttError } from "@sttkit/core";
import { describeCause, errorFromHttpStatus, sttError, type SecretRedactor } from "@sttkit/core/kit";
import { PROVIDER } from "../constants.js";

/** The most of an error answer read for its detail. */
export const MAX_ERROR_BODY_BYTES = 64 * 1024;

/**
 * The service's error body, in either shape it sends: the Speech REST API's `{ code, message,
 * innerError }` and the gateway's `{ error: { code, message } }` (refused keys, quotas).
 */
function describeErrorBody(text: string): string | undefined {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return text.trim().length > 0 ? text.trim().slice(0, 500) : undefined;
  }
  const root = typeof body === "object" && body !== null ? (body as Record<string, unknown>) : {};
  const fields = typeof root["error"] === "object" && root["error"] !== null ? (root["error"] as Record<string, unknown>) : root;
  const inner = typeof fields["innerError"] === "object" && fields["innerError"] !== null ? (fields["innerError"] as Record<string, unknown>) : {};
  const parts = [fields["code"], fields["message"], inner["code"], inner["message"]].filter((part): part is string => typeof part === "string" && part.length > 0);
  return parts.length > 0 ? parts.join(": ").slice(0, 500) : undefined;
}

/** `Retry-After` in seconds or as an HTTP date, in milliseconds. */
export function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** An error answer (status, body text, `Retry-After`) as an {@link SttError}: 429 carries how long to wait. */
export function errorFromAnswer(status: number, bodyText: string, retryAfter: string | null, redactor: SecretRedactor): SttError {
  const detail = redactor.text(describeErrorBody(bodyText) ?? `HTTP ${status}`);
  const error = errorFromHttpStatus(status, { provider: PROVIDER, detail });
  const wait = error.kind === "rate-limit" ? retryAfterMs(retryAfter) : undefined;
  return error.kind === "rate-limit" && wait !== undefined ? { ...error, retryAfterMs: wait } : error;
}

/** How a request ended that did not end with an answer. */
export type RequestFailure =
  | { readonly kind: "aborted" }
  | { readonly kind: "timeout"; readonly timeoutMs: number }
  | { readonly kind: "thrown"; readonly cause: unknown };

/** Undici's own timeouts: no response headers, or a body that stopped, within its limits. */
const UNDICI_TIMEOUTS = new Set(["UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT", "UND_ERR_CONNECT_TIMEOUT"]);

function causeCode(cause: unknown): string | undefined {
  const inner = typeof cause === "object" && cause !== null ? (cause as { cause?: unknown }).cause : undefined;
  const code = typeof inner === "object" && inner !== null ? (inner as { code?: unknown }).code : undefined;
  return typeof code === "string" ? code : undefined;
}

/** A request that got no answer, as an {@link SttError}; the key never appears in it. */
export function errorFromFailure(failure: RequestFailure, redactor: SecretRedactor): SttError {
  if (failure.kind === "aborted") return sttError({ kind: "aborted", provider: PROVIDER, message: "The transcription was aborted." });
  if (failure.kind === "timeout") {
    return sttError({
      kind: "timeout",
      provider: PROVIDER,
      timeoutMs: failure.timeoutMs,
      message: `The fast transcription API neither took more of the upload nor answered for ${failure.timeoutMs} ms (azure.fastTranscription.responseTimeoutMs).`,
    });
  }
  const code = causeCode(failure.cause);
  const inner = (failure.cause as { cause?: unknown } | undefined)?.cause;
  const text = inner === undefined ? describeCause(failure.cause) : `${describeCause(failure.cause)}: ${describeCause(inner)}`;
  const detail = redactor.text(text).slice(0, 500);
  if (code !== undefined && UNDICI_TIMEOUTS.has(code)) {
    return sttError({ kind: "timeout", provider: PROVIDER, timeoutMs: 300_000, detail, message: `The fast transcription API did not answer in time (${code}).` });
  }
  return sttError({
    kind: "connection",
    provider: PROVIDER,
    detail,
    message: "Cannot reach Azure's fast transcription API. Check the network, azure.region, azure.host or azure.endpoint.",
  });
}
