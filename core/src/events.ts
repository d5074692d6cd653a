import type { SttError } from "./errors.js";
import type { Language } from "./language.js";

/**
 * One recognised word with its place on the stream's time line.
 *
 * @category Events
 */
export interface WordTiming {
  /** The word as displayed. */
  readonly text: string;
  /** Start, in milliseconds from the first byte of audio written to the stream. */
  readonly startMs: number;
  /** End, in milliseconds from the first byte of audio written to the stream. */
  readonly endMs: number;
  /** The recogniser's confidence in this word, 0 to 1, when it reports one. */
  readonly confidence?: number;
}

/**
 * A final, stable piece of transcript: one utterance or phrase.
 *
 * @category Events
 */
export interface TranscriptSegment {
  /** The recognised text, punctuated and cased for display where the provider does so. */
  readonly text: string;
  /** Start, in milliseconds from the first byte of audio written to the stream. */
  readonly startMs: number;
  /** End, in milliseconds from the first byte of audio written to the stream. */
  readonly endMs: number;
  /** The language the provider recognised in (detected, or the one requested). */
  readonly language?: Language;
  /** The provider's confidence in the segment, 0 to 1, when it reports one. */
  readonly confidence?: number;
  /** The raw lexical form (no punctuation or inverse text normalisation), when available. */
  readonly lexical?: string;
  /** Word-level timings, when the provider reports them and they were asked for. */
  readonly words?: readonly WordTiming[];
}

/**
 * The whole result of a stream or a `transcribe()` call.
 *
 * @category Events
 */
export interface Transcript {
  /** Every final segment's text, joined by single spaces. */
  readonly text: string;
  /** The final segments in the order they were spoken. */
  readonly segments: readonly TranscriptSegment[];
  /** The language of most of the speech, when known. */
  readonly language?: Language;
  /** Seconds of audio the provider processed, as the `usage` event reports it. */
  readonly audioSeconds: number;
}

/**
 * The provider heard speech begin.
 *
 * @category Events
 */
export interface SpeechStartedEvent {
  /** Discriminant. */
  readonly type: "speech-started";
  /** Where speech began, in milliseconds on the stream's time line. */
  readonly offsetMs: number;
}

/**
 * A provisional transcript of the utterance in progress; a later interim or the final replaces it.
 *
 * @category Events
 */
export interface InterimTranscriptEvent {
  /** Discriminant. */
  readonly type: "interim";
  /** The text so far. */
  readonly text: string;
  /** Start of the utterance, in milliseconds on the stream's time line. */
  readonly startMs: number;
  /** End of the audio this hypothesis covers, in milliseconds on the stream's time line. */
  readonly endMs: number;
  /** The language, when the provider reports it. */
  readonly language?: Language;
}

/**
 * A final transcript for one utterance. It is never revised.
 *
 * @category Events
 */
export interface FinalTranscriptEvent {
  /** Discriminant. */
  readonly type: "final";
  /** The segment recognised. */
  readonly segment: TranscriptSegment;
}

/**
 * The provider heard speech end.
 *
 * @category Events
 */
export interface SpeechEndedEvent {
  /** Discriminant. */
  readonly type: "speech-ended";
  /** Where speech ended, in milliseconds on the stream's time line. */
  readonly offsetMs: number;
}

/**
 * How much audio was processed, for metering and billing. Sent once, as the stream finishes.
 *
 * @category Events
 */
export interface UsageEvent {
  /** Discriminant. */
  readonly type: "usage";
  /**
   * Seconds of the stream's audio the provider processed (or received and acknowledged): never
   * more than was written, and none for audio it never got (a refused connection).
   */
  readonly audioSeconds: number;
}

/**
 * Something went wrong. When `fatal` is true the stream has failed and no more events follow;
 * otherwise the provider recovered (for example a reconnect) and recognition goes on.
  *
  * @category Events
 */
export interface ErrorEvent {
  /** Discriminant. */
  readonly type: "error";
  /** What went wrong. */
  readonly error: SttError;
  /** Whether the stream stopped because of it. */
  readonly fatal: boolean;
}

/**
 * A failover stream moved to another provider (or back to a preferred one). Audio since the last
 * final transcript is replayed to the new provider, so no speech is lost and no final is doubled.
  *
  * @category Events
 */
export interface ProviderSwitchedEvent {
  /** Discriminant. */
  readonly type: "provider-switched";
  /** The provider that was active. */
  readonly from: string;
  /** The provider now active. */
  readonly to: string;
  /** Why: the error that caused the switch, or absent when returning to a recovered provider. */
  readonly reason?: SttError;
  /** Where on the stream's time line the new provider starts (the end of the last final), in ms. */
  readonly resumeAtMs: number;
}

/**
 * Everything a recognition stream reports, in order, through async iteration.
 *
 * @category Events
 */
export type SpeechEvent =
  | SpeechStartedEvent
  | InterimTranscriptEvent
  | FinalTranscriptEvent
  | SpeechEndedEvent
  | ProviderSwitchedEvent
  | UsageEvent
  | ErrorEvent;

/**
 * The `type` discriminant of {@link SpeechEvent}.
 *
 * @category Events
 */
export type SpeechEventType = SpeechEvent["type"];
