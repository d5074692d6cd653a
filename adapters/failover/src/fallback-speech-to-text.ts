import { err, ok, type Result, type ResultAsync } from "neverthrow";
import {
  bytesPerFrame,
  bytesPerSecond,
  DEFAULT_AUDIO_FORMAT,
  type AudioFormat,
  type AudioSource,
  type RecognitionStream,
  type SpeechEvent,
  type SpeechToText,
  type StreamOptions,
  type SttCapabilities,
  type SttError,
  type Transcript,
  type TranscribeOptions,
  type TranscriptSegment,
} from "@sttkit/core";
import {
  callerHooks,
  checkStreamOptions,
  createRecognitionStream,
  flagSetting,
  numberSetting,
  readSettings,
  ReplayBuffer,
  sectionSetting,
  sttError,
  transcribeThroughStream,
  withDefault,
  withoutCallerHooks,
  writeThrough,
  type DriverEvent,
  type ReadSettings,
  type RecognitionDriver,
  type RecognitionSink,
  type SettingsTable,
} from "@sttkit/core/kit";
import { commonCapabilities } from "./capabilities.js";

/** Exponential backoff between attempts. */
export interface BackoffOptions {
  /** Delay before the first retry, in ms. Default 100. */
  readonly initialMs?: number;
  /** Growth factor per attempt. Default 2. */
  readonly multiplier?: number;
  /** Upper bound of a delay, in ms. Default 5 000. */
  readonly maxMs?: number;
}

/** How {@link FallbackSpeechToText.create} retries and switches. All optional. */
export interface FallbackOptions {
  /** Attempts per stream, across all providers, counting the first. Default: 2 × the number of providers. */
  readonly maxAttempts?: number;
  /** Delays between attempts. */
  readonly backoff?: BackoffOptions;
  /**
   * How long one attempt may take to deliver its last final after the audio ended before it
   * counts as failed (a retryable `timeout`) and the next provider takes over. Default 20 000 ms.
   */
  readonly attemptTimeoutMs?: number;
  /** How long a provider that failed is passed over by new streams and switches. Default 30 000 ms. */
  readonly cooldownMs?: number;
  /** Return to a preferred provider at the next final once its cooldown is over. Default true. */
  readonly recoverToPrimary?: boolean;
  /** Most audio kept for replay, in ms. Older audio is dropped (and could not be replayed). Default 300 000. */
  readonly maxReplayMs?: number;
}

/** The settings of `fallback.backoff`, once, with their defaults. */
const BACKOFF_SETTINGS = {
  initialMs: withDefault(numberSetting({ min: 0, max: 600_000, integer: false }), 100),
  multiplier: withDefault(numberSetting({ min: 1, max: 100, integer: false }), 2),
  maxMs: withDefault(numberSetting({ min: 0, max: 3_600_000, integer: false }), 5_000),
} as const satisfies SettingsTable<BackoffOptions>;

/** Every failover setting, once, with its rule and default (`maxAttempts` defaults to 2 × the providers, so it has none here). */
const FALLBACK_SETTINGS = {
  maxAttempts: numberSetting({ min: 1, max: 1_000, integer: true }),
  backoff: sectionSetting("fallback.backoff", "fallback", BACKOFF_SETTINGS),
  attemptTimeoutMs: withDefault(numberSetting({ min: 1, max: 3_600_000, integer: false }), 20_000),
  cooldownMs: withDefault(numberSetting({ min: 0, max: 86_400_000, integer: false }), 30_000),
  recoverToPrimary: withDefault(flagSetting(), true),
  maxReplayMs: withDefault(numberSetting({ min: 0, max: 86_400_000, integer: false }), 300_000),
} as const satisfies SettingsTable<FallbackOptions>;

/** The failover settings after validation, defaults applied. */
type ResolvedFallbackOptions = ReadSettings<typeof FALLBACK_SETTINGS>;

/** Health shared by every stream of one failover chain: when each provider may be used again. */
class ProviderHealth {
  readonly #unhealthyUntil: number[];

  constructor(count: number) {
    this.#unhealthyUntil = new Array<number>(count).fill(0);
  }

  markFailed(index: number, cooldownMs: number): void {
    this.#unhealthyUntil[index] = performance.now() + cooldownMs;
  }

  isHealthy(index: number): boolean {
    return (this.#unhealthyUntil[index] ?? 0) <= performance.now();
  }

  /** The first healthy provider in preference order, else the one that recovers soonest. */
  preferred(): number {
    const healthy = this.#unhealthyUntil.findIndex((_, index) => this.isHealthy(index));
    if (healthy >= 0) return healthy;
    let best = 0;
    this.#unhealthyUntil.forEach((until, index) => {
      if (until < (this.#unhealthyUntil[best] ?? Infinity)) best = index;
    });
    return best;
  }

  /** The next provider to try after `current` failed: healthy ones first, in order after it. */
  next(current: number): number {
    const count = this.#unhealthyUntil.length;
    for (let step = 1; step <= count; step++) {
      const candidate = (current + step) % count;
      if (this.isHealthy(candidate)) return candidate;
    }
    return (current + 1) % count;
  }
}

/** One provider's inner stream within a failover stream. */
interface Attempt {
  readonly index: number;
  readonly stream: RecognitionStream;
  /** Where the inner stream's time 0 sits on the outer stream's time line, in ms. */
  readonly baseMs: number;
  /** Set when the chain moved on deliberately (recovery to a preferred provider). */
  superseded: boolean;
  /** Set when the attempt overran `attemptTimeoutMs`. */
  timedOut: boolean;
  /** Settles once the attempt's events are forwarded: how it ended. */
  done: Promise<"ok" | "switched" | "failed">;
}

class FallbackDriver implements RecognitionDriver {
  readonly #members: readonly SpeechToText[];
  readonly #health: ProviderHealth;
  readonly #options: ResolvedFallbackOptions;
  readonly #streamOptions: StreamOptions;
  readonly #format: AudioFormat;
  readonly #buffer: ReplayBuffer;
  readonly #maxAttempts: number;
  #sink!: RecognitionSink;
  #active: Attempt | undefined;
  #attempts = 0;
  #lastFinalEndMs: number | undefined;
  /** How far on the outer time line the providers processed the audio (from their usage), in ms. */
  #processedMs = 0;
  #ending = false;
  #disposed = false;
  #failure: SttError | undefined;
  #switching: Promise<void> | undefined;
  #endSwitch: (() => void) | undefined;
  #initial: { readonly index: number; readonly stream: RecognitionStream } | undefined;
  #timers = new Set<NodeJS.Timeout>();

  constructor(
    members: readonly SpeechToText[],
    health: ProviderHealth,
    options: ResolvedFallbackOptions,
    streamOptions: StreamOptions,
    format: AudioFormat,
    initial: { readonly index: number; readonly stream: RecognitionStream },
  ) {
    this.#initial = initial;
    this.#members = members;
    this.#health = health;
    this.#options = options;
    this.#streamOptions = streamOptions;
    this.#format = format;
    this.#maxAttempts = options.maxAttempts ?? members.length * 2;
    const maxReplayMs = options.maxReplayMs;
    this.#buffer = new ReplayBuffer(Math.ceil((maxReplayMs / 1000) * bytesPerSecond(format)), bytesPerFrame(format));
  }

  start(sink: RecognitionSink): void {
    this.#sink = sink;
    const initial = this.#initial;
    this.#initial = undefined;
    if (initial) this.#adopt(initial.index, initial.stream);
  }

  write(pcm: Uint8Array): boolean {
    this.#buffer.append(pcm);
    const attempt = this.#active;
    if (!attempt || this.#switching) return true;
    // A refused write means the inner stream failed: its pump switches and replays the buffer.
    return writeThrough(attempt.stream, pcm, this.#sink);
  }

  /** The audio the member providers processed, on the outer stream's time line. */
  processedAudioMs(): number {
    return this.#processedMs;
  }

  async finish(): Promise<Result<void, SttError>> {
    this.#ending = true;
    for (;;) {
      while (this.#switching) await this.#switching;
      const attempt = this.#active;
      if (this.#failure || !attempt) return err(this.#failure ?? this.#exhausted());
      void attempt.stream.end();
      const timer = this.#timer(this.#options.attemptTimeoutMs, () => {
        attempt.timedOut = true;
        void attempt.stream.close();
      });
      const outcome = await attempt.done;
      this.#clearTimer(timer);
      if (outcome === "ok") return ok(undefined);
      if (outcome === "failed") return err(this.#failure ?? this.#exhausted());
    }
  }

  async dispose(): Promise<void> {
    this.#disposed = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    this.#endSwitch?.();
    const attempt = this.#active;
    this.#active = undefined;
    if (attempt) {
      attempt.superseded = true;
      await attempt.stream.close();
      await attempt.done;
    }
  }

  /** Opens an inner stream on provider `index` and replays the buffered audio into it. */
  #open(index: number): Result<Attempt, SttError> {
    const member = this.#members[index] as SpeechToText;
    const opened = member.stream({ ...this.#streamOptions, format: this.#format });
    if (opened.isErr()) {
      this.#attempts++;
      return err(opened.error);
    }
    return ok(this.#adopt(index, opened.value));
  }

  #adopt(index: number, stream: RecognitionStream): Attempt {
    this.#attempts++;
    const baseMs = (this.#buffer.startByte / bytesPerSecond(this.#format)) * 1000;
    const attempt: Attempt = { index, stream, baseMs, superseded: false, timedOut: false, done: Promise.resolve("ok") };
    attempt.done = this.#pump(attempt);
    this.#active = attempt;
    for (const chunk of this.#buffer.chunks()) {
      if (stream.write(chunk).isErr()) break;
    }
    if (this.#ending) void stream.end();
    return attempt;
  }

  /** Forwards an inner stream's events onto the outer time line, then handles how it ended. */
  async #pump(attempt: Attempt): Promise<"ok" | "switched" | "failed"> {
    for await (const event of attempt.stream) {
      // A provider's usage counts even once it is replaced: it processed that audio. One that
      // processed nothing vouches for nothing, not even the audio before its start.
      if (event.type === "usage" && event.audioSeconds > 0) {
        this.#processedMs = Math.max(this.#processedMs, attempt.baseMs + event.audioSeconds * 1000);
      }
      if (attempt !== this.#active || attempt.superseded) continue;
      this.#forward(event, attempt);
    }
    const result = await attempt.stream.result();
    if (attempt.superseded || this.#disposed) return "switched";
    if (result.isOk()) return "ok";
    const error = attempt.timedOut
      ? sttError({
          kind: "timeout",
          timeoutMs: this.#options.attemptTimeoutMs,
          provider: this.#members[attempt.index]?.provider,
          message: "The provider did not deliver its last transcript in time.",
        })
      : result.error;
    return this.#handleFailure(error, attempt.index);
  }

  #forward(event: SpeechEvent, attempt: Attempt): void {
    const shift = attempt.baseMs;
    switch (event.type) {
      case "final": {
        const segment = shiftSegment(event.segment, shift);
        // A final ending where an earlier one ended is the replayed audio recognised twice
        // (within a millisecond: replay starts at a whole sample frame).
        if (this.#lastFinalEndMs !== undefined && segment.endMs <= this.#lastFinalEndMs + 1) return;
        this.#lastFinalEndMs = segment.endMs;
        this.#buffer.discardBefore(Math.floor((segment.endMs / 1000) * this.#format.sampleRate) * bytesPerFrame(this.#format));
        this.#sink.emit({ type: "final", segment });
        this.#maybeReturnToPreferred(attempt);
        return;
      }
      case "interim":
        this.#sink.emit({ ...event, startMs: event.startMs + shift, endMs: event.endMs + shift });
        return;
      case "speech-started":
      case "speech-ended":
        this.#sink.emit({ ...event, offsetMs: event.offsetMs + shift });
        return;
      case "provider-switched":
        this.#sink.emit({ ...event, resumeAtMs: event.resumeAtMs + shift });
        return;
      case "error":
        if (!event.fatal) this.#sink.emit(event as DriverEvent);
        return;
      case "usage":
      case "metrics":
        // The chain's own stream measures and reports these, on its own time line.
        return;
    }
  }

  #maybeReturnToPreferred(attempt: Attempt): void {
    if (!this.#options.recoverToPrimary || this.#ending || this.#switching) return;
    const preferred = this.#health.preferred();
    if (preferred >= attempt.index || !this.#health.isHealthy(preferred)) return;
    attempt.superseded = true;
    void attempt.stream.close();
    this.#switchTo(preferred, attempt.index, undefined);
  }

  /** Decides what a failed attempt leads to: a switch (with backoff), or the stream's failure. */
  #handleFailure(error: SttError, index: number): "switched" | "failed" {
    this.#health.markFailed(index, this.#options.cooldownMs);
    if (!error.retryable || this.#attempts >= this.#maxAttempts || this.#disposed) {
      this.#failure = error;
      this.#active = undefined;
      this.#sink.fail(error);
      return "failed";
    }
    this.#sink.emit({ type: "error", error, fatal: false });
    this.#switchTo(this.#health.next(index), index, error);
    return "switched";
  }

  #switchTo(index: number, from: number, reason: SttError | undefined): void {
    this.#active = undefined;
    const delay = reason ? this.#backoffMs() : 0;
    let resolveSwitch!: () => void;
    const switching = new Promise<void>((resolve) => {
      resolveSwitch = resolve;
    });
    const settle = (): void => {
      if (this.#switching === switching) {
        this.#switching = undefined;
        this.#endSwitch = undefined;
      }
      resolveSwitch();
    };
    this.#switching = switching;
    this.#endSwitch = settle;
    this.#timer(delay, () => {
      // Settle first: audio written from here on must go to the new attempt, not only the buffer.
      settle();
      if (this.#disposed) return;
      this.#sink.emit({
        type: "provider-switched",
        from: this.#members[from]?.provider ?? String(from),
        to: this.#members[index]?.provider ?? String(index),
        resumeAtMs: (this.#buffer.startByte / bytesPerSecond(this.#format)) * 1000,
        ...(reason ? { reason } : {}),
      });
      // A switch is the chain's reconnect: the audio since the last final is sent again.
      this.#sink.reconnected((this.#buffer.byteLength / bytesPerSecond(this.#format)) * 1000);
      const opened = this.#open(index);
      if (opened.isErr()) this.#handleFailure(opened.error, index);
    });
  }

  #backoffMs(): number {
    const backoff = this.#options.backoff;
    const retries = Math.max(0, this.#attempts - 1);
    return Math.min(backoff.maxMs, backoff.initialMs * backoff.multiplier ** retries);
  }

  #exhausted(): SttError {
    return sttError({ kind: "connection", provider: "fallback", message: "Every provider failed." });
  }

  #timer(ms: number, run: () => void): NodeJS.Timeout {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      run();
    }, ms);
    this.#timers.add(timer);
    return timer;
  }

  #clearTimer(timer: NodeJS.Timeout): void {
    clearTimeout(timer);
    this.#timers.delete(timer);
  }
}

function shiftSegment(segment: TranscriptSegment, shiftMs: number): TranscriptSegment {
  if (shiftMs === 0) return segment;
  return {
    ...segment,
    startMs: segment.startMs + shiftMs,
    endMs: segment.endMs + shiftMs,
    ...(segment.words
      ? { words: segment.words.map((word) => ({ ...word, startMs: word.startMs + shiftMs, endMs: word.endMs + shiftMs })) }
      : {}),
  };
}

/**
 * A {@link SpeechToText} over an ordered list of adapters (typically bound from DI config). When
 * the active provider fails with a retryable error, the stream switches to the next one and
 * replays the audio since the last final transcript, so no speech is lost and no final is doubled.
 * Retries back off; each attempt has a time limit; a failed provider is passed over until its
 * cooldown ends, and streams return to it at the next final once it has. Every switch is a
 * `provider-switched` event.
 */
export class FallbackSpeechToText implements SpeechToText {
  /** Always `"fallback"`. */
  readonly provider = "fallback";
  /** What every member can do (see {@link commonCapabilities}). */
  readonly capabilities: SttCapabilities;
  readonly #members: readonly SpeechToText[];
  readonly #options: ResolvedFallbackOptions;
  readonly #health: ProviderHealth;

  private constructor(members: readonly SpeechToText[], options: ResolvedFallbackOptions) {
    this.#members = members;
    this.#options = options;
    this.#health = new ProviderHealth(members.length);
    this.capabilities = commonCapabilities(members.map((member) => member.capabilities));
  }

  /** Builds the chain; an empty list or a nonsensical option is an `Err`. */
  static create(members: readonly SpeechToText[], options: FallbackOptions = {}): Result<FallbackSpeechToText, SttError> {
    if (members.length === 0) {
      return err(sttError({ kind: "invalid-argument", argument: "fallback.providers", message: "A fallback chain needs at least one provider." }));
    }
    // Options come from configuration files too: each is checked, and an unknown one refused.
    return readSettings("fallback", "fallback", options, FALLBACK_SETTINGS).map((resolved) => new FallbackSpeechToText(members, resolved));
  }

  /** The providers in preference order. */
  get members(): readonly SpeechToText[] {
    return this.#members;
  }

  /**
   * Opens a stream on the preferred healthy provider. Its option errors (an unsupported language,
   * format, ...) are returned as they are: another provider would not make the request valid.
   */
  stream(streamOptions?: StreamOptions): Result<RecognitionStream, SttError> {
    const checked = checkStreamOptions(streamOptions, this.provider);
    if (checked.isErr()) return err(checked.error);
    const options = checked.value;
    const format = options.format ?? DEFAULT_AUDIO_FORMAT;
    const attemptTimeoutMs = this.#options.attemptTimeoutMs;
    // The caller's hooks belong to the outer stream: members report to the chain, not to the caller.
    const innerOptions = withoutCallerHooks(options);
    const index = this.#health.preferred();
    const first = (this.#members[index] as SpeechToText).stream({ ...innerOptions, format });
    if (first.isErr()) return err(first.error);
    return ok(
      createRecognitionStream({
        provider: this.provider,
        format,
        driver: new FallbackDriver(this.#members, this.#health, this.#options, innerOptions, format, { index, stream: first.value }),
        finishIdleTimeoutMs: attemptTimeoutMs * (this.#options.maxAttempts ?? this.#members.length * 2) + 5_000,
        ...callerHooks(options),
      }),
    );
  }

  transcribe(audio: AudioSource, options?: TranscribeOptions): ResultAsync<Transcript, SttError> {
    return transcribeThroughStream(this, audio, options);
  }
}
