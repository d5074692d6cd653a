/**
 * Faults the local OpenAI server injects, for the batch endpoint and for Realtime connections.
 *
 * @module
 */

/** Faults of `POST /v1/audio/transcriptions`. Each applies to the first `requests` requests (default: all). */
export interface OpenAIBatchFaults {
  /** Answer with this HTTP status and an OpenAI error body instead of transcribing (401, 403, 404, 413, 429, 500, 503, ...). */
  readonly status?: number;
  /** The `Retry-After` header sent with `status` (seconds, or an HTTP date), as the service does with 429 and 503. */
  readonly retryAfter?: string;
  /** The `retry-after-ms` header sent with `status`. */
  readonly retryAfterMs?: string;
  /** Put the whole bearer token into the error message, as a badly behaved gateway might: the adapter must redact it. */
  readonly echoKey?: boolean;
  /** Wait this long, in ms, after the upload before answering (a slow service). */
  readonly delayMs?: number;
  /** Destroy the connection after the upload instead of answering. */
  readonly drop?: boolean;
  /** With `stream=true`, cut the connection after this many transcript deltas. */
  readonly cutStreamAfterDeltas?: number;
  /** How many requests, counted from the first, the faults apply to. Default: all. */
  readonly requests?: number;
}

/** A Realtime `error` event's `error` object. */
export interface OpenAIRealtimeErrorFields {
  /** `server_error`, `invalid_request_error`, `rate_limit_exceeded`, ... */
  readonly type: string;
  /** The error code, if any. */
  readonly code?: string;
  /** The service's message. */
  readonly message: string;
}

/** Faults of Realtime connections. Each applies to the first `connections` connection attempts (default: all). */
export interface OpenAIRealtimeFaults {
  /** Answer the WebSocket upgrade with this HTTP status instead of 101. */
  readonly refuseUpgrade?: number;
  /** Accept the TCP/TLS connection but never answer the upgrade request. */
  readonly stallUpgrade?: boolean;
  /** After this many finals (completed transcripts with text), send an `error` event. */
  readonly errorAfterFinals?: { readonly finals: number; readonly error: OpenAIRealtimeErrorFields };
  /** After this many finals, answer the next item with `conversation.item.input_audio_transcription.failed`. */
  readonly failedAfterFinals?: number;
  /** After this many finals, drop the TCP connection (no close frame) at the next speech start. */
  readonly dropAfterFinals?: number;
  /** After this many finals, stop sending anything while keeping the connection open. */
  readonly stallAfterFinals?: number;
  /** After this many finals, send a text frame that is not JSON. */
  readonly malformedAfterFinals?: number;
  /** How many connection attempts, counted from the first, the faults apply to. Default: all. */
  readonly connections?: number;
}

/** Every fault the local OpenAI server can inject. */
export interface OpenAIFaults {
  /** Faults of the batch endpoint. */
  readonly batch?: OpenAIBatchFaults;
  /** Faults of Realtime connections. */
  readonly realtime?: OpenAIRealtimeFaults;
}

/** The Realtime faults in force for connection attempt `attempt` (0-based), if any. */
export function realtimeFaultsFor(faults: OpenAIRealtimeFaults | undefined, attempt: number): OpenAIRealtimeFaults | undefined {
  if (!faults) return undefined;
  return faults.connections !== undefined && attempt >= faults.connections ? undefined : faults;
}

/** The batch faults in force for request `request` (0-based), if any. */
export function batchFaultsFor(faults: OpenAIBatchFaults | undefined, request: number): OpenAIBatchFaults | undefined {
  if (!faults) return undefined;
  return faults.requests !== undefined && request >= faults.requests ? undefined : faults;
}
