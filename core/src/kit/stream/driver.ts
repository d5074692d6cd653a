import type { Result } from "neverthrow";
import type { SttError } from "../../errors.js";
import type { ErrorEvent, MetricsEvent, SpeechEvent, UsageEvent } from "../../events.js";

/**
 * Events a driver reports; the stream itself adds `usage`, `metrics` and fatal `error` events.
 *
 * @category Stream plumbing
 */
export type DriverEvent = Exclude<SpeechEvent, UsageEvent | MetricsEvent | ErrorEvent> | (ErrorEvent & { readonly fatal: false });

/**
 * Where a {@link RecognitionDriver} reports what the provider does.
 *
 * @category Stream plumbing
 */
export interface RecognitionSink {
  /** Reports an event, in provider order. Ignored once the stream is over. */
  emit(event: DriverEvent): void;
  /** Reports a failure the provider cannot recover from: the stream fails with it. */
  fail(error: SttError): void;
  /** Tells a writer waiting on `drained()` that the driver accepts audio again. */
  drain(): void;
  /** The provider accepted the session (for the stream's `connectMs`). Only the first call counts. */
  connected(): void;
  /** The driver re-established its connection and sent `replayedMs` of audio again (for the stream's metrics). */
  reconnected(replayedMs: number): void;
}

/**
 * The provider-specific half of a recognition stream. Adapters implement this; the shared
 * {@link createRecognitionStream} does the rest (state, ordering, backpressure, transcript,
 * usage, timeouts, idempotent end and close), so adapters stay small and behave alike.
 *
 * @category Stream plumbing
 */
export interface RecognitionDriver {
  /**
   * `true` when {@link RecognitionDriver.write} copies whatever it keeps of `pcm` before
   * returning. The stream then hands over the caller's bytes as they are instead of copying them
   * first, so audio is copied once, not twice. Default `false`: the driver receives its own copy.
   */
  readonly copiesAudio?: boolean;
  /** Starts recognition (connect, configure). Called once, before any audio. */
  start(sink: RecognitionSink): void;
  /**
   * Sends whole sample frames of PCM. Return `false` when the provider is saturated; call
   * `sink.drain()` when it catches up. Unless {@link RecognitionDriver.copiesAudio} is set, `pcm`
   * is the driver's to keep; with it, `pcm` may be the caller's buffer, valid only during the call.
   */
  write(pcm: Uint8Array): boolean;
  /**
   * No more audio: flush, and settle once the provider has delivered its last final transcript
   * (through `sink.emit`) and stopped. An `Err` fails the stream.
   */
  finish(): Promise<Result<void, SttError>>;
  /**
   * How much of the stream's audio the provider processed (or received and acknowledged), in
   * milliseconds from the start of the stream: what the `usage` event and the transcript's
   * `audioSeconds` report. Audio the provider never processed (a refused connection, a stream that
   * failed before the service answered) must not count. Capped at the audio written. Without it,
   * every byte written counts as processed.
   */
  processedAudioMs?(): number;
  /**
   * Releases every resource (sockets, processes, timers, SDK objects) and stops at once if still
   * running. Called exactly once per stream: after `finish()` settles, or instead of it when the
   * stream is closed or fails. Must never reject.
   */
  dispose(): Promise<void>;
}
