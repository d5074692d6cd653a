import { DeepgramError, DeepgramTimeoutError } from "@deepgram/sdk";
import type { SttError } from "@sttkit/core";
import { describeCause, errorFromHttpStatus, sttError } from "@sttkit/core/kit";
import { PROVIDER } from "./constants.js";

/** Deepgram's REST error body: `{ err_code, err_msg, request_id }` (older answers: `{ error, reason }`). */
function describeBody(body: unknown): string | undefined {
  if (typeof body !== "object" || body === null) return typeof body === "string" ? body.slice(0, 500) : undefined;
  const fields = body as Record<string, unknown>;
  const code = fields["err_code"] ?? fields["error"] ?? fields["category"];
  const message = fields["err_msg"] ?? fields["reason"] ?? fields["message"];
  const requestId = fields["request_id"];
  const parts = [
    typeof code === "string" ? code : undefined,
    typeof message === "string" ? message : undefined,
    typeof requestId === "string" ? `request ${requestId}` : undefined,
  ].filter((part): part is string => part !== undefined);
  return parts.length > 0 ? parts.join(": ").slice(0, 500) : undefined;
}

/** `Retry-After` in seconds or as a date, in milliseconds. */
function retryAfterMs(error: DeepgramError): number | undefined {
  const header = error.rawResponse?.headers?.get("retry-after");
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** Maps what the SDK threw for a pre-recorded request to an {@link SttError}. */
export function errorFromRestFailure(cause: unknown, timeoutMs: number, aborted: boolean): SttError {
  if (aborted) return sttError({ kind: "aborted", provider: PROVIDER, message: "The transcription was aborted." });
  if (cause instanceof DeepgramTimeoutError) {
    return sttError({ kind: "timeout", timeoutMs, provider: PROVIDER, message: `Deepgram did not answer within ${timeoutMs} ms (deepgram.requestTimeoutMs).` });
  }
  if (cause instanceof DeepgramError && cause.statusCode !== undefined) {
    const detail = describeBody(cause.body) ?? `HTTP ${cause.statusCode}`;
    const error = errorFromHttpStatus(cause.statusCode, { provider: PROVIDER, detail });
    const wait = error.kind === "rate-limit" ? retryAfterMs(cause) : undefined;
    return error.kind === "rate-limit" && wait !== undefined ? { ...error, retryAfterMs: wait } : error;
  }
  return sttError({
    kind: "connection",
    provider: PROVIDER,
    message: "Cannot reach Deepgram's pre-recorded endpoint. Check the network and deepgram.baseUrl.",
    detail: describeCause(cause).slice(0, 500),
  });
}
