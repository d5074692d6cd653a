import type { FastTranscriptionFaults } from "./fast-transcription.js";

/** The `RecognitionStatus` values the service sends in a failing `speech.phrase`. */
export type AzureErrorStatus = "Error" | "TooManyRequests" | "BadRequest" | "Forbidden";

/**
 * Faults the replay server injects. Each applies to the first `connections` connection attempts
 * the server sees (default: every attempt), so "fail once, then behave" is expressible, as is
 * "always fail".
 */
export interface AzureFaults {
  /** Answer the WebSocket upgrade with this HTTP status instead of 101 (401, 403, 429, 500, ...). */
  readonly refuseUpgrade?: number;
  /** After this many phrases, send a phrase with a failing `RecognitionStatus`. */
  readonly statusAfterPhrases?: { readonly phrases: number; readonly status: AzureErrorStatus };
  /**
   * After this many phrases, drop the TCP connection with no close frame, in the middle of the
   * next utterance (right after its first hypothesis; at the end of the audio if none comes).
   */
  readonly dropAfterPhrases?: number;
  /**
   * Drop the TCP connection with no close frame the moment the client's end-of-audio frame
   * arrives, before answering it: the phrases still due at the end of the audio are not sent.
   */
  readonly dropOnEndOfAudio?: boolean;
  /** After this many phrases, close the WebSocket with this close code. */
  readonly closeAfterPhrases?: { readonly phrases: number; readonly code: number };
  /** Accept the connection but never send anything (no turn.start, no turn.end). */
  readonly stall?: boolean;
  /** After this many phrases, stop sending anything while keeping the connection open. */
  readonly stallAfterPhrases?: number;
  /** After this many phrases, send a text frame that is not a valid USP message. */
  readonly malformedAfterPhrases?: number;
  /** Faults of the fast transcription endpoint (REST), for the requests the faults apply to. */
  readonly fastTranscription?: FastTranscriptionFaults;
  /** How many connection attempts (or fast transcription requests), counted from the first, the faults apply to. Default: all. */
  readonly connections?: number;
}
