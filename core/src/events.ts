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
  /**
   * Who said the word, when the provider separates speakers (diarization): a number from 0,
   * stable within one stream or file. Absent when diarization is off or not offered.
   */
  readonly speaker?: number;
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
  /**
   * Who spoke the segment, when the provider separates speakers (diarization): the speaker of
   * most of its words. Each word carries its own {@link WordTiming.speaker}.
   */
  readonly speaker?: number;
  /**
   * The audio channel the segment was heard on, from 0, when a multi-channel recording was
   * transcribed channel by channel (a stereo call: one party per channel). Absent otherwise.
   */
  readonly channel?: number;
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
  /** How the stream went, measured by the library: latencies, reconnects, audio sent and processed. */
  readonly metrics?: StreamMetrics;
  /**
   * How a `transcribe()` call was served, from adapters that have more than one way (a provider's
   * whole-file endpoint, or a real-time stream), and why it was not the preferred one.
   */
  readonly route?: TranscribeRoute;
}

/**
 * How an adapter served one `transcribe()` call.
 *
 * @category Events
 */
export interface TranscribeRoute {
  /** `file`: the provider's whole-file endpoint, one request. `stream`: a real-time recognition stream. */
  readonly method: "file" | "stream";
  /** Why the adapter used this method rather than its preferred one (a setting, a limit of the service). */
  readonly reason?: string;
}

/**
 * A latency distribution in milliseconds, over the samples of one stream.
 *
 * @category Events
 */
export interface LatencySummary {
  /** How many samples. */
  readonly count: number;
  /** Median. */
  readonly p50: number;
  /** 90th percentile (nearest rank). */
  readonly p90: number;
  /** 99th percentile (nearest rank): with fewer than 100 samples, the worst or near it. */
  readonly p99: number;
  /** The worst. */
  readonly max: number;
}

/**
 * What one stream measured on its own clock, the same for every adapter (the adapter kit measures
 * it): what a voice agent budgets between the end of a user's speech and the transcript.
 *
 * @category Events
 */
export interface StreamMetrics {
  /** From opening the stream to the provider accepting the session, in ms (when the adapter reports it). */
  readonly connectMs?: number;
  /** From the first speech start to the first interim transcript after it, in ms (when there was one). */
  readonly firstInterimMs?: number;
  /**
   * For each final: from the moment the audio at the end of its speech (the final's `endMs`) was
   * written to the moment the final was delivered, in ms.
   */
  readonly endOfSpeechToFinalMs?: LatencySummary;
  /** Connections the adapter re-established during the stream. */
  readonly reconnects: number;
  /** Audio sent again after reconnects, in ms. */
  readonly replayedAudioMs: number;
  /** Audio written to the stream, in ms. */
  readonly audioSentMs: number;
  /** Audio the provider processed, in ms (the `usage` event's figure). */
  readonly audioProcessedMs: number;
  /** For `transcribe()`: seconds of audio per second of wall time. */
  readonly audioSecondsPerWallSecond?: number;
}

/**
 * Measurements, as they are made: one per final (its end-of-speech-to-final latency, right after
 * it), and the stream's summary once it is over (just before `usage`). Also delivered to
 * OpenTelemetry when the application registers a meter provider.
 *
 * @category Events
 */
export type MetricsEvent =
  | {
      /** Discriminant. */
      readonly type: "metrics";
      /** A measurement of the final just delivered. */
      readonly scope: "final";
      /** The final's place among the stream's finals, from 0. */
      readonly finalIndex: number;
      /** From the audio at the final's end being written to the final's delivery, in ms. */
      readonly endOfSpeechToFinalMs: number;
    }
  | {
      /** Discriminant. */
      readonly type: "metrics";
      /** The summary of the whole stream. */
      readonly scope: "stream";
      /** What the stream measured. */
      readonly metrics: StreamMetrics;
    };

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
  | MetricsEvent
  | ErrorEvent;

/**
 * The `type` discriminant of {@link SpeechEvent}.
 *
 * @category Events
 */
export type SpeechEventType = SpeechEvent["type"];
