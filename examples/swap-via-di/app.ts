import type { ResultAsync } from "neverthrow";
import type { SpeechToText, SttError, TranscriptSegment } from "@sttkit/core";

/** What the application makes of a meeting recording. */
export interface Meeting {
  /** The provider that transcribed it. */
  readonly provider: string;
  /** What was said, in order. */
  readonly segments: readonly TranscriptSegment[];
}

/**
 * Application code: it knows the provider-neutral interface and nothing else. Which vendor
 * answers is decided by whoever built the container (see main.ts), never here. A failure stays a
 * typed `SttError` in the Result, for the caller to handle; nothing is thrown.
 */
export function transcribeMeeting(stt: SpeechToText, file: string): ResultAsync<Meeting, SttError> {
  return stt.transcribe({ path: file }).map((transcript) => ({ provider: stt.provider, segments: transcript.segments }));
}
