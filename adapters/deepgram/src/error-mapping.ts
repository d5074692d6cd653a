import type { SttError } from "@sttkit/core";
import { errorFromHttpStatus, httpStatusInText, sttError } from "@sttkit/core/kit";
import { PROVIDER } from "./constants.js";

const CONTEXT = { provider: PROVIDER } as const;

/**
 * A refused or failed connection attempt, as the SDK reports it: only the text of `ws`'s error
 * (`"Unexpected server response: 401"`, `"TIMEOUT"`, `"connect ECONNREFUSED ..."`), since the SDK
 * drops the response's status, headers and body.
 */
export function errorFromConnectFailure(text: string, connectTimeoutMs: number): SttError {
  const detail = text.slice(0, 500);
  const status = httpStatusInText(detail);
  if (status !== undefined) return errorFromHttpStatus(status, { ...CONTEXT, detail });
  if (detail === "TIMEOUT") {
    return sttError({
      ...CONTEXT,
      kind: "timeout",
      timeoutMs: connectTimeoutMs,
      detail,
      message: `No connection to Deepgram within ${connectTimeoutMs} ms (deepgram.connectTimeoutMs). Check the network and deepgram.baseUrl.`,
    });
  }
  return sttError({ ...CONTEXT, kind: "connection", detail, message: "Cannot connect to Deepgram. Check the network and deepgram.baseUrl." });
}

/**
 * A close of the listen WebSocket that did not come after `CloseStream`. Deepgram closes with
 * 1008 (`DATA-0000`: the audio could not be decoded), 1011 (`NET-0000`: the service sent
 * nothing in time; `NET-0001`: it received no audio in time, about 10 s) or a 4xxx code; a
 * dropped socket shows as 1006. Connection-kind errors are the ones worth a new connection.
 */
export function errorFromClose(code: number, reason: string): SttError {
  const detail = `close ${code}${reason ? ` ${reason.slice(0, 200)}` : ""}`;
  if (code === 1008 || code === 1003 || code === 1007) {
    return sttError({
      ...CONTEXT,
      kind: "bad-request",
      detail,
      message: "Deepgram closed the stream: it could not use the data sent (check the encoding, sample rate and audio).",
    });
  }
  if (code === 1011 && /NET-0001/.test(reason)) {
    return sttError({ ...CONTEXT, kind: "connection", detail, message: "Deepgram closed the stream after receiving no audio or KeepAlive for too long." });
  }
  if (code >= 4000 && code <= 4999) {
    const status = code - 4000;
    const text = httpStatusInText(reason);
    if (text !== undefined || (status >= 400 && status <= 599)) return errorFromHttpStatus(text ?? status, { ...CONTEXT, detail });
    return sttError({ ...CONTEXT, kind: "provider", detail, message: "Deepgram closed the stream with an application error." });
  }
  return sttError({ ...CONTEXT, kind: "connection", detail, message: "The connection to Deepgram was lost." });
}

/** An `Error` message the service sent on the stream. */
export function errorFromServiceMessage(description: string, code: string | undefined): SttError {
  const detail = `${code ? `${code}: ` : ""}${description}`.slice(0, 500);
  const status = httpStatusInText(detail);
  if (status !== undefined) return errorFromHttpStatus(status, { ...CONTEXT, detail });
  return sttError({ ...CONTEXT, kind: "provider", detail, message: "Deepgram reported an error on the stream." });
}

/** A message that could not be read: the service answered in a way the adapter does not understand. */
export function errorFromUnreadableMessage(detail: string): SttError {
  return sttError({ ...CONTEXT, kind: "provider", detail, message: "Deepgram sent a message the adapter cannot read." });
}

/**
 * Replaces every occurrence of the credential in an error's text, so a key echoed by a proxy or
 * server in an error body never reaches an event or a log. The cause is dropped: SDK objects
 * can hold the request's headers.
 */
export function withoutSecret(error: SttError, secret: string): SttError {
  const scrub = (value: string | undefined): string | undefined => (value === undefined || secret.length === 0 ? value : value.split(secret).join("[redacted]"));
  const { cause: _cause, ...rest } = error;
  const detail = scrub(error.detail);
  return { ...rest, message: scrub(error.message) ?? error.message, ...(detail !== undefined ? { detail } : {}) } as SttError;
}
