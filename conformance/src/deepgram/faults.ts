/**
 * Faults the local Deepgram server injects. Each applies to the first `connections` listen
 * connections (default: every one), so "fail once, then behave" is expressible.
 */
export interface DeepgramFaults {
  /** Refuse the WebSocket upgrade with this HTTP status and Deepgram's JSON error body (401, 403, 429, 500, 503). */
  readonly refuseUpgrade?: number;
  /** After this many finals, drop the TCP connection with no close frame, right after the next interim (mid-utterance). */
  readonly dropAfterFinals?: number;
  /** After this many finals, close the WebSocket with this code and reason (`1011` `NET-0001`, `1008` `DATA-0000`). */
  readonly closeAfterFinals?: { readonly finals: number; readonly code: number; readonly reason: string };
  /** After this many finals, send an `Error` message, then close with 1011. */
  readonly errorAfterFinals?: { readonly finals: number; readonly description: string; readonly code?: string };
  /** After this many finals, stop sending anything while keeping the connection open. */
  readonly stallAfterFinals?: number;
  /** After this many finals, send a text frame that is not JSON. */
  readonly malformedAfterFinals?: number;
  /** How many listen connections, counted from the first, the faults apply to. Default: all. */
  readonly connections?: number;
  /** Answer the pre-recorded endpoint with this status and Deepgram's error body instead of the recorded answer. */
  readonly restStatus?: number;
}

/** Deepgram's error body for a refused request: `{ err_code, err_msg, request_id }`. */
export function deepgramErrorBody(status: number): { err_code: string; err_msg: string; request_id: string } {
  const known: Record<number, [string, string]> = {
    400: ["Bad Request", "Bad Request: failed to process audio: corrupt or unsupported data"],
    401: ["INVALID_AUTH", "Invalid credentials."],
    402: ["ASR_PAYMENT_REQUIRED", "Project does not have enough credits for an ASR request."],
    403: ["INSUFFICIENT_PERMISSIONS", "User does not have sufficient permissions."],
    413: ["PAYLOAD_TOO_LARGE", "Payload too large."],
    429: ["TOO_MANY_REQUESTS", "Too many requests. Please try again later."],
  };
  const [code, message] = known[status] ?? ["INTERNAL_SERVER_ERROR", "The service is unavailable. Please try again later."];
  return { err_code: code, err_msg: message, request_id: "00000000-0000-4000-8000-000000000000" };
}
