import { err, ok, ResultAsync, type Result } from "neverthrow";
import { bytesPerFrame, bytesPerSecond, durationMs, sameFormat, type AudioConversion, type AudioFormat } from "../../audio/format.js";
import { describeCause, sttError, type SttError } from "../../errors.js";
import type { SpeechEvent, Transcript, TranscriptSegment } from "../../events.js";
import type { Language } from "../../language.js";
import type { RecognitionStream, StreamOptions } from "../../speech-to-text.js";
import type { DriverEvent, RecognitionDriver, RecognitionSink } from "./driver.js";
import { PcmConverter } from "../pcm-converter.js";
import { ChunkCopier } from "./chunk-copier.js";
import { EventQueue } from "./event-queue.js";
import { recordFinalLatency, recordStreamMetrics, type MetricAttributes } from "./otel.js";
import { StreamMetricsRecorder } from "./stream-metrics.js";
import { assembleTranscript } from "./transcript.js";

/**
 * The life cycle of a {@link RecognitionStream}.
 *
 * @category Stream plumbing
 */
export type RecognitionStreamState = "open" | "ending" | "ended" | "failed" | "closed";

/**
 * How {@link createRecognitionStream} wraps a driver.
 *
 * @category Stream plumbing
 */
export interface RecognitionStreamInit {
  /** The provider name put on errors. */
  readonly provider: string;
  /** The PCM layout the driver receives (one the provider takes natively). */
  readonly format: AudioFormat;
  /**
   * The layout the caller writes, when it differs from `format`: the stream then converts every
   * chunk (rate, channels, encoding) before the driver sees it. {@link callerHooks} passes it on
   * from checked options.
   */
  readonly inputFormat?: AudioFormat;
  /** The provider-specific half. */
  readonly driver: RecognitionDriver;
  /**
   * After `end()`, how long the provider may stay silent (no event at all) before the stream
   * fails with a `timeout` error instead of hanging. Default 30 000 ms.
   */
  readonly finishIdleTimeoutMs?: number;
  /** Aborting it closes the stream. */
  readonly signal?: AbortSignal;
  /** Called synchronously with each event before it is queued (see {@link StreamOptions.onEvent}). */
  readonly onEvent?: (event: SpeechEvent) => void;
  /** The language reported on the transcript when no segment names one. */
  readonly language?: Language;
  /** The provider's model, when it has one: an attribute of the stream's OpenTelemetry measurements. */
  readonly model?: string;
}

const DEFAULT_FINISH_IDLE_TIMEOUT_MS = 30_000;
/** What `write()` returns ten times a second per stream: made once, frozen so no caller can change the shared one. */
const WRITE_ACCEPTED: Result<boolean, SttError> = Object.freeze(ok(true));
const WRITE_SATURATED: Result<boolean, SttError> = Object.freeze(ok(false));

/** Interim transcripts the consumer has not read yet are obsolete once a newer one arrives. */
function interimSupersedes(queued: SpeechEvent, incoming: SpeechEvent): boolean {
  return queued.type === "interim" && incoming.type === "interim";
}

class ManagedRecognitionStream implements RecognitionStream {
  readonly format: AudioFormat;
  readonly conversion: AudioConversion | undefined;
  readonly #converter: PcmConverter | undefined;
  readonly #init: RecognitionStreamInit;
  readonly #driver: RecognitionDriver;
  readonly #events = new EventQueue<SpeechEvent>(interimSupersedes);
  readonly #segments: TranscriptSegment[] = [];
  readonly #frameBytes: number;
  readonly #copier = new ChunkCopier();
  readonly #outcome: Promise<Result<Transcript, SttError>>;
  #resolveOutcome!: (result: Result<Transcript, SttError>) => void;
  #state: RecognitionStreamState = "open";
  #failure: SttError | undefined;
  #bytesWritten = 0;
  #partialFrame: Uint8Array | undefined;
  #saturated = false;
  #drainWaiters: Array<() => void> = [];
  #idleTimer: NodeJS.Timeout | undefined;
  #disposal: Promise<void> | undefined;
  #ending: ResultAsync<Transcript, SttError> | undefined;
  readonly #metrics = new StreamMetricsRecorder();
  readonly #metricAttributes: MetricAttributes;
  readonly #onAbort = (): void => {
    void this.close();
  };

  constructor(init: RecognitionStreamInit) {
    this.#init = init;
    this.#driver = init.driver;
    this.format = init.inputFormat ?? init.format;
    this.#converter = sameFormat(this.format, init.format) ? undefined : new PcmConverter(this.format, init.format);
    this.conversion = this.#converter ? Object.freeze({ from: this.format, to: init.format }) : undefined;
    this.#frameBytes = bytesPerFrame(this.format);
    this.#metricAttributes = {
      provider: init.provider,
      ...(init.language ? { language: init.language } : {}),
      ...(init.model ? { model: init.model } : {}),
    };
    this.#outcome = new Promise((resolve) => {
      this.#resolveOutcome = resolve;
    });
    if (init.signal?.aborted) {
      this.#settle(err(this.#abortedError()));
      return;
    }
    init.signal?.addEventListener("abort", this.#onAbort, { once: true });
    try {
      this.#driver.start(this.#sink());
    } catch (cause) {
      this.#fail(this.#unexpected("start", cause));
    }
  }

  /** The current life-cycle state. */
  get state(): RecognitionStreamState {
    return this.#state;
  }

  #sink(): RecognitionSink {
    return {
      emit: (event) => this.#emit(event),
      fail: (error) => this.#fail(error),
      drain: () => this.#releaseWriters(),
      connected: () => this.#metrics.connected(),
      reconnected: (replayedMs) => this.#metrics.reconnected(replayedMs),
    };
  }

  #emit(event: DriverEvent): void {
    if (this.#isOver()) return;
    if (event.type === "final") this.#segments.push(event.segment);
    this.#publish(event);
    const latencyMs = this.#metrics.delivered(event);
    if (latencyMs !== undefined) {
      this.#publish({ type: "metrics", scope: "final", finalIndex: this.#segments.length - 1, endOfSpeechToFinalMs: latencyMs });
      recordFinalLatency(latencyMs, this.#metricAttributes);
    }
    if (this.#idleTimer) this.#idleTimer.refresh();
  }

  write(chunk: Uint8Array): Result<boolean, SttError> {
    if (!(chunk instanceof Uint8Array)) {
      return err(
        sttError({
          kind: "invalid-argument",
          argument: "chunk",
          provider: this.#init.provider,
          message: "write() takes a Uint8Array (or Buffer) of 16-bit little-endian PCM.",
        }),
      );
    }
    if (this.#state !== "open") return err(this.#notWritable());
    const frames = this.#takeWholeFrames(chunk);
    if (frames.byteLength > 0) {
      this.#bytesWritten += frames.byteLength;
      this.#metrics.wrote(durationMs(frames.byteLength, this.format));
      if (!this.#forward(this.#converter ? this.#converter.push(frames) : frames)) return err(this.#notWritable());
    }
    return this.#saturated ? WRITE_SATURATED : WRITE_ACCEPTED;
  }

  /** Hands audio in the driver's format to the driver; false when the driver failed. */
  #forward(audio: Uint8Array): boolean {
    if (audio.byteLength === 0) return true;
    try {
      if (!this.#driver.write(audio)) this.#saturated = true;
      return true;
    } catch (cause) {
      this.#fail(this.#unexpected("write", cause));
      return false;
    }
  }

  /** Joins a split sample frame with the next chunk, so no audio is lost or misaligned. */
  #takeWholeFrames(chunk: Uint8Array): Uint8Array {
    let bytes = chunk;
    if (this.#partialFrame) {
      bytes = new Uint8Array(this.#partialFrame.byteLength + chunk.byteLength);
      bytes.set(this.#partialFrame, 0);
      bytes.set(chunk, this.#partialFrame.byteLength);
      this.#partialFrame = undefined;
    }
    const whole = bytes.byteLength - (bytes.byteLength % this.#frameBytes);
    if (whole < bytes.byteLength) this.#partialFrame = bytes.slice(whole);
    // Callers commonly reuse their buffers, and drivers may hold on to chunks: copy unless the
    // driver does, or the converter makes new buffers anyway.
    if (bytes !== chunk || this.#driver.copiesAudio === true || this.#converter) return whole === bytes.byteLength ? bytes : bytes.subarray(0, whole);
    return this.#copier.copy(whole === chunk.byteLength ? chunk : chunk.subarray(0, whole));
  }

  drained(): Promise<void> {
    if (!this.#saturated || this.#isOver()) return Promise.resolve();
    return new Promise((resolve) => this.#drainWaiters.push(resolve));
  }

  #releaseWriters(): void {
    this.#saturated = false;
    const waiters = this.#drainWaiters;
    this.#drainWaiters = [];
    for (const resolve of waiters) resolve();
  }

  end(): ResultAsync<Transcript, SttError> {
    if (this.#ending) return this.#ending;
    if (this.#state !== "open") return this.result();
    this.#state = "ending";
    this.#partialFrame = undefined;
    // The resampler's look-ahead: the last few milliseconds of converted audio.
    if (this.#converter) this.#forward(this.#converter.flush());
    this.#ending = new ResultAsync(this.#finish());
    return this.#ending;
  }

  async #finish(): Promise<Result<Transcript, SttError>> {
    const idleTimeoutMs = this.#init.finishIdleTimeoutMs ?? DEFAULT_FINISH_IDLE_TIMEOUT_MS;
    this.#idleTimer = setTimeout(() => {
      this.#fail(
        sttError({
          kind: "timeout",
          timeoutMs: idleTimeoutMs,
          provider: this.#init.provider,
          message: `The provider sent nothing for ${idleTimeoutMs} ms after the end of the audio; giving up on the last transcript.`,
        }),
      );
    }, idleTimeoutMs);
    let finished: Result<void, SttError>;
    try {
      finished = await Promise.race([this.#driver.finish(), this.#outcome.then(() => ok(undefined))]);
    } catch (cause) {
      finished = err(this.#unexpected("finish", cause));
    }
    if (finished.isErr()) this.#fail(finished.error);
    else this.#settle(ok(this.#transcript()));
    // A failure settles end() at once, with the error; releasing goes on in the background (close()
    // waits for it). A success waits for the release, so a finished stream holds nothing.
    if (this.#state === "ended") await this.#dispose();
    return this.#outcome;
  }

  close(): Promise<void> {
    if (!this.#isOver()) this.#settle(err(this.#abortedError()));
    return this.#dispose();
  }

  result(): ResultAsync<Transcript, SttError> {
    return new ResultAsync(this.#outcome);
  }

  [Symbol.asyncIterator](): AsyncIterator<SpeechEvent> {
    return this.#events[Symbol.asyncIterator]();
  }

  #fail(error: SttError): void {
    if (this.#isOver()) return;
    this.#failure = error;
    this.#settle(err(error));
    void this.#dispose();
  }

  #settle(result: Result<Transcript, SttError>): void {
    if (this.#isOver()) return;
    const aborted = result.isErr() && result.error.kind === "aborted";
    this.#state = result.isOk() ? "ended" : aborted ? "closed" : "failed";
    clearTimeout(this.#idleTimer);
    this.#idleTimer = undefined;
    this.#init.signal?.removeEventListener("abort", this.#onAbort);
    const audioSeconds = this.#audioSeconds();
    const summary = this.#metrics.summary(audioSeconds * 1000);
    this.#publish({ type: "metrics", scope: "stream", metrics: summary });
    recordStreamMetrics(summary, this.#metricAttributes);
    this.#publish({ type: "usage", audioSeconds });
    if (result.isErr() && !aborted) this.#publish({ type: "error", error: result.error, fatal: true });
    this.#events.close();
    this.#releaseWriters();
    this.#resolveOutcome(result);
  }

  #publish(event: SpeechEvent): void {
    const onEvent = this.#init.onEvent;
    if (onEvent) {
      try {
        onEvent(event);
      } catch {
        // An observer's bug must not break recognition; iteration still delivers the event.
      }
    }
    this.#events.push(event);
  }

  #dispose(): Promise<void> {
    this.#disposal ??= this.#driver.dispose().catch(() => undefined);
    return this.#disposal;
  }

  #isOver(): boolean {
    return this.#state === "ended" || this.#state === "failed" || this.#state === "closed";
  }

  /** Audio the provider processed: what the driver says (never more than was written), or all written. */
  #audioSeconds(): number {
    const writtenSeconds = this.#bytesWritten / bytesPerSecond(this.format);
    if (!this.#driver.processedAudioMs) return writtenSeconds;
    let processedMs: number;
    try {
      processedMs = this.#driver.processedAudioMs();
    } catch {
      // A driver that cannot say processed nothing it can vouch for.
      processedMs = 0;
    }
    if (!Number.isFinite(processedMs) || processedMs <= 0) return 0;
    return Math.min(writtenSeconds, processedMs / 1000);
  }

  #transcript(): Transcript {
    const audioSeconds = this.#audioSeconds();
    return { ...assembleTranscript(this.#segments, audioSeconds, this.#init.language), metrics: this.#metrics.summary(audioSeconds * 1000) };
  }

  #notWritable(): SttError {
    if (this.#state === "failed" && this.#failure) return this.#failure;
    return sttError({
      kind: "stream-state",
      state: this.#state,
      provider: this.#init.provider,
      message: `Cannot write audio: the stream is ${this.#state}${this.#state === "ending" ? " (end() was called)" : ""}.`,
    });
  }

  #abortedError(): SttError {
    return sttError({ kind: "aborted", provider: this.#init.provider, message: "The stream was closed before it finished." });
  }

  #unexpected(step: string, cause: unknown): SttError {
    return sttError({
      kind: "provider",
      provider: this.#init.provider,
      message: `The ${this.#init.provider} adapter failed unexpectedly during ${step}.`,
      detail: describeCause(cause),
      cause,
    });
  }
}

/**
 * The options of {@link StreamOptions} the shared stream itself honours (`signal`, `onEvent`, and
 * from options checked by {@link checkStreamSupport} the caller's `inputFormat`, which the stream
 * converts from), to spread into {@link RecognitionStreamInit}:
 * `createRecognitionStream({ ..., ...callerHooks(options) })`.
 *
 * @category Stream plumbing
 */
export function callerHooks(options: StreamOptions & { readonly inputFormat?: AudioFormat }): Pick<RecognitionStreamInit, "signal" | "onEvent" | "inputFormat"> {
  return {
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
    ...(options.inputFormat ? { inputFormat: options.inputFormat } : {}),
  };
}

/**
 * `options` without the hooks {@link callerHooks} takes: what an adapter wrapping other adapters
 * (failover, post-processing) passes on to them, keeping the caller's hooks for its own stream.
 *
 * @category Stream plumbing
 */
export function withoutCallerHooks(options: StreamOptions & { readonly inputFormat?: AudioFormat }): Omit<StreamOptions, "signal" | "onEvent"> {
  // The input format stays with the outer stream too: it converts once, members get `format`.
  const { signal: _signal, onEvent: _onEvent, inputFormat: _inputFormat, ...rest } = options;
  return rest;
}

/**
 * Builds a {@link RecognitionStream} around an adapter's {@link RecognitionDriver}: the one place
 * that implements stream state, ordering, interim coalescing, backpressure, frame alignment, the
 * transcript, usage, the finish timeout and idempotent `end()`/`close()` for every adapter.
 *
 * @category Stream plumbing
 */
export function createRecognitionStream(init: RecognitionStreamInit): RecognitionStream & {
  readonly state: RecognitionStreamState;
} {
  return new ManagedRecognitionStream(init);
}
