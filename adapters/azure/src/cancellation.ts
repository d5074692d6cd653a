import { errorFromHttpStatus, httpStatusInText, sttError } from "@sttkit/core/kit";
import type { SttError } from "@sttkit/core";
import { PROVIDER } from "./constants.js";

/** The Speech SDK's cancellation error codes, by name (the SDK's `CancellationErrorCode` keys). */
export type AzureCancellationCode =
  | "NoError"
  | "AuthenticationFailure"
  | "BadRequestParameters"
  | "TooManyRequests"
  | "ConnectionFailure"
  | "ServiceTimeout"
  | "ServiceError"
  | "RuntimeError"
  | "Forbidden";

/** A recognition the SDK cancelled with an error. */
export interface AzureCancellation {
  readonly code: AzureCancellationCode;
  readonly details: string;
}

/**
 * Maps an SDK cancellation to the {@link SttError} it means. The SDK reports a refused WebSocket
 * upgrade only as a `ConnectionFailure` whose details hold the HTTP status, and never reports
 * authentication failures or timeouts with their own codes, so those are derived from the text.
 */
export function errorFromCancellation(cancellation: AzureCancellation): SttError {
  const { code, details } = cancellation;
  const context = { provider: PROVIDER, detail: `${code}: ${details}` };
  const status = httpStatusInText(details);
  if (status !== undefined && (code === "ConnectionFailure" || code === "RuntimeError" || code === "NoError")) {
    if (status === 407) {
      return sttError({ ...context, kind: "authentication", message: "The HTTP proxy refused the connection (HTTP 407): its user name or password is missing or wrong (azure.proxy)." });
    }
    return errorFromHttpStatus(status, context);
  }
  switch (code) {
    case "AuthenticationFailure":
      return sttError({ ...context, kind: "authentication", message: "Azure rejected the credentials. Check the key or token and the region." });
    case "Forbidden":
      return sttError({ ...context, kind: "forbidden", message: "Azure refused this request: these credentials may not use this resource or feature." });
    case "TooManyRequests":
      return sttError({ ...context, kind: "rate-limit", message: "Azure throttled the request (too many requests or quota exhausted). Retry later or raise the quota." });
    case "BadRequestParameters":
      return sttError({ ...context, kind: "bad-request", message: "Azure rejected the request parameters (check endpoint id, language and audio format)." });
    case "ServiceTimeout":
      return sttError({ ...context, kind: "timeout", timeoutMs: 0, message: "Azure timed out while recognizing." });
    case "ServiceError":
      return sttError({ ...context, kind: "provider", message: "Azure reported an internal error." });
    case "ConnectionFailure":
      return sttError({ ...context, kind: "connection", message: "The connection to Azure failed and the Speech SDK could not restore it." });
    case "RuntimeError":
    case "NoError":
      return sttError({ ...context, kind: "provider", message: "The Azure Speech SDK stopped recognition unexpectedly." });
  }
}
