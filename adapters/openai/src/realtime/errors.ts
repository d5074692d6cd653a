import type { SttError } from "@sttkit/core";
import { describeCause, errorFromHttpStatus, httpStatusInText, sttError } from "@sttkit/core/kit";
import { PROVIDER } from "../constants.js";
import type { SecretRedactor } from "@sttkit/core/kit";

/** The `error` object of a Realtime `error` event or of a failed transcription. */
export interface RealtimeErrorFields {
  readonly type?: unknown;
  readonly code?: unknown;
  readonly message?: unknown;
  readonly event_id?: unknown;
}

const text = (value: unknown): string => (typeof value === "string" ? value : "");

/**
 * Maps a Realtime `error` event to an {@link SttError}, by the error's type and code: a rejected key
 * `authentication`, quota and rate limits `rate-limit`, an expired session `connection` (a new
 * stream can continue), other invalid requests `bad-request`, server errors and anything else
 * `provider`. The key is redacted from the service's text.
 */
export function realtimeEventError(error: RealtimeErrorFields, redactor: SecretRedactor): SttError {
  const type = text(error.type);
  const code = text(error.code);
  const said = redactor.text(text(error.message));
  const detail = `${type || "error"}${code ? `/${code}` : ""}: ${said}`;
  const base = { provider: PROVIDER, detail };
  if (code === "invalid_api_key" || type === "authentication_error") {
    return sttError({ ...base, kind: "authentication", message: "The OpenAI Realtime service rejected the API key." });
  }
  if (code === "rate_limit_exceeded" || code === "insufficient_quota" || type === "rate_limit_error" || type === "insufficient_quota") {
    return sttError({ ...base, kind: "rate-limit", message: "The OpenAI Realtime service is throttling this key or its quota is used up." });
  }
  if (code === "session_expired") {
    return sttError({ ...base, kind: "connection", message: "The OpenAI Realtime session reached its maximum duration; open a new stream to continue." });
  }
  if (type === "invalid_request_error") {
    return sttError({ ...base, kind: "bad-request", message: `The OpenAI Realtime service rejected a request: ${said}` });
  }
  return sttError({ ...base, kind: "provider", message: `The OpenAI Realtime service reported an error: ${said || type || "unknown"}` });
}

/** Maps a failed transcription of one item (`conversation.item.input_audio_transcription.failed`) to an {@link SttError}: its speech has no final. */
export function transcriptionFailedError(error: RealtimeErrorFields | undefined, redactor: SecretRedactor): SttError {
  const said = redactor.text(text(error?.message));
  return sttError({
    kind: "provider",
    provider: PROVIDER,
    message: "The OpenAI Realtime service failed to transcribe an utterance; its transcript is lost.",
    detail: `${text(error?.type) || "transcription_error"}${text(error?.code) ? `/${text(error?.code)}` : ""}: ${said}`,
  });
}

/**
 * Maps an error of the Realtime socket (as the SDK reports it, or a refused upgrade's status) to an
 * {@link SttError}: an HTTP status through the kit's table, the handshake time-out as `timeout`, a
 * message that is not JSON as `provider`, anything else (refused connection, TLS, DNS) as
 * `connection`. Redacted.
 */
export function realtimeSocketError(message: string, cause: unknown, redactor: SecretRedactor, connectTimeoutMs: number, status?: number): SttError {
  const detail = redactor.text(cause === undefined ? message : `${message}: ${describeCause(cause)}`);
  const safeCause = cause === undefined ? undefined : redactor.cause(cause);
  const base = { provider: PROVIDER, detail, ...(safeCause ? { cause: safeCause } : {}) };
  const httpStatus = status ?? httpStatusInText(message);
  if (httpStatus !== undefined) return errorFromHttpStatus(httpStatus, base);
  if (/handshake has timed out/i.test(message)) {
    return sttError({ ...base, kind: "timeout", timeoutMs: connectTimeoutMs, message: `The Realtime connection did not open within ${connectTimeoutMs} ms.` });
  }
  if (/could not parse websocket event/i.test(message)) {
    return sttError({ ...base, kind: "provider", message: "The OpenAI Realtime service sent a message that is not JSON." });
  }
  return sttError({ ...base, kind: "connection", message: "The OpenAI Realtime service could not be reached, or the connection broke." });
}
