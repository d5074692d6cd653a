import type { Result } from "neverthrow";
import { ConnectionRecovery, DriverLifecycle, describeCause, sttError, type RecognitionDriver, type RecognitionSink } from "@sttkit/core/kit";
import { bytesForMs, bytesPerFrame, durationMs, type SttError } from "@sttkit/core";
import { errorFromCancellation, type AzureCancellation } from "./cancellation.js";
import { PROVIDER } from "./constants.js";
import { segmentFromPhrase, phraseLanguage, ticksToStreamMs, type AzurePhrase } from "./phrase.js";
import { ConnectWatchdog } from "./connect-watchdog.js";
import { RecognitionAttempt, type AttemptListener } from "./recognition-attempt.js";
import { SdkAudioBlocks } from "./sdk-audio-blocks.js";
import type { AzureStreamSettings } from "./stream-settings.js";
import type { RecognizerCredentials } from "./speech-config.js";
import type { AzureCredentials } from "./resolved-config.js";
import { TokenRefresh } from "./token-refresh.js";

/** The longest a rotated-out recognizer may take to end its turn before it is closed anyway. */
const ROTATION_GRACE_MS = 5_000;

/** How much audio the driver lets wait unsent in the SDK (see `AzureConfig.maxUnsentAudioMs`). */
export interface AzureFlowControl {
  /** Milliseconds of audio handed to the SDK and not yet sent, beyond which `write()` returns `false`. */
  readonly maxUnsentAudioMs: number;
}

/**
 * The Azure half of a recognition stream. Runs one {@link RecognitionAttempt} at a time; when the
 * SDK gives up on a connection, starts another, replays the audio since the last final
 * transcript, and keeps every time on the stream's own time line.
 */
export class AzureRecognitionDriver implements RecognitionDriver {
  /** Audio is copied once, into the SDK's blocks (see {@link SdkAudioBlocks}). */
  readonly copiesAudio = true;
  readonly #settings: AzureStreamSettings;
  /** The attempt in use, the audio to replay into the next, and when to try again. */
  readonly #recovery: ConnectionRecovery<RecognitionAttempt>;
  readonly #blocks: SdkAudioBlocks;
  readonly #sendBlock = (block: Uint8Array): void => {
    this.#recovery.replay.append(block);
    this.#pushedEndByte += block.byteLength;
    // The SDK sends the very buffers it is given: knowing where each ends tells how far it got.
    this.#blockEnds.set(block.buffer, this.#pushedEndByte);
    const attempt = this.#recovery.current;
    if (attempt) this.#feed(attempt, block);
  };
  /** Stream byte offset at the end of each block handed to the SDK, by its buffer. */
  readonly #blockEnds = new WeakMap<ArrayBufferLike, number>();
  /** Stream bytes handed to the SDK (and its push stream) so far. */
  #pushedEndByte = 0;
  /** How far on the stream's byte time line the current recognizer's SDK has sent audio. */
  #sentEndByte = 0;
  /** The most audio, in bytes, that may wait unsent in the SDK before write() asks the caller to wait. */
  readonly #maxUnsentBytes: number;
  #saturated = false;
  /** How far on the stream's time line the service has shown it processed the audio, in ms. */
  #acknowledgedMs = 0;
  #sink: RecognitionSink | undefined;
  readonly #watchdog: ConnectWatchdog;
  #speaking = false;
  #lastBoundaryMs = Number.NEGATIVE_INFINITY;
  #audioEnded = false;
  /** The failure, disposal and waiting `finish()` calls. */
  readonly #lifecycle = new DriverLifecycle();
  /** What the next recognizer connects with: with a token provider, its newest token. */
  #credentials: RecognizerCredentials = { kind: "none" };
  /** Renews the token while the stream runs, when the credentials come from a provider. */
  #tokens: TokenRefresh | undefined;
  /** Stream byte where the current recognizer's audio starts. */
  #attemptStartByte = 0;
  /** Audio, in bytes, after which the recognizer is replaced at the next final (0: never). */
  readonly #rotateAfterBytes: number;
  /** Recognizers replaced by rotation that are still ending their turn. */
  readonly #endingGracefully = new Set<RecognitionAttempt>();

  /**
   * @param settings - the stream's settings.
   * @param flow - how much audio may wait unsent in the SDK before `write()` returns `false`.
   */
  constructor(settings: AzureStreamSettings, flow: AzureFlowControl) {
    this.#settings = settings;
    this.#recovery = new ConnectionRecovery({ provider: PROVIDER, service: "Azure", format: settings.format, reconnect: settings.config.reconnect });
    this.#maxUnsentBytes = Math.max(bytesPerFrame(settings.format), bytesForMs(flow.maxUnsentAudioMs, settings.format));
    this.#blocks = new SdkAudioBlocks(settings.format);
    const { rotateRecognizerAfterSeconds } = settings.config;
    this.#rotateAfterBytes = rotateRecognizerAfterSeconds > 0 ? Math.max(1, bytesForMs(rotateRecognizerAfterSeconds * 1000, settings.format)) : 0;
    const { connectTimeoutMs } = settings.config;
    this.#watchdog = new ConnectWatchdog(connectTimeoutMs, (waitingFor) => {
      const what = waitingFor === "connection" ? "No connection to Azure" : "No answer from Azure to the audio";
      this.#fail(
        sttError({
          kind: "timeout",
          timeoutMs: connectTimeoutMs,
          provider: PROVIDER,
          message: `${what} within ${connectTimeoutMs} ms (azure.connectTimeoutMs). Check the network, host or endpoint.`,
        }),
      );
    });
  }

  start(sink: RecognitionSink): void {
    this.#sink = sink;
    const { credentials } = this.#settings.config;
    if (credentials.kind === "token-provider") return this.#startWithTokenProvider(credentials);
    this.#credentials = credentials;
    this.#startAttempt();
  }

  /**
   * The first recognizer waits for the provider's first token (audio written meanwhile waits in
   * the replay buffer); from then on the token is renewed on a timer, and every recognizer, and
   * every connection the SDK opens, uses the newest one.
   */
  #startWithTokenProvider(source: Extract<AzureCredentials, { kind: "token-provider" }>): void {
    const tokens = new TokenRefresh(
      { fetch: source.fetch, refreshIntervalMs: source.refreshIntervalMs, timeoutMs: this.#settings.config.connectTimeoutMs },
      {
        refreshed: (token) => {
          if (this.#lifecycle.over) return;
          this.#credentials = { kind: "token", token };
          this.#recovery.current?.useToken(token);
        },
        failed: (error) => {
          if (!this.#lifecycle.over) this.#sink?.emit({ type: "error", fatal: false, error });
        },
      },
    );
    this.#tokens = tokens;
    void tokens.fetch().then((first) => {
      if (this.#lifecycle.over) return;
      if (first.isErr()) return this.#fail(first.error);
      this.#credentials = { kind: "token", token: first.value };
      tokens.schedule();
      this.#startAttempt();
    });
  }

  /**
   * Hands the audio to the SDK in whole blocks. `false` once more than the configured bound is
   * waiting unsent (the SDK would otherwise hold any amount: it paces its upload, and sends
   * nothing while it connects); the sink's `drain()` follows when the SDK has caught up.
   */
  write(pcm: Uint8Array): boolean {
    if (this.#lifecycle.over) return true;
    this.#blocks.add(pcm, this.#sendBlock);
    if (this.#pushedEndByte - this.#sentEndByte > this.#maxUnsentBytes) this.#saturated = true;
    return !this.#saturated;
  }

  /** How much of the stream's audio the service processed: what it reported on, or all once it finished. */
  processedAudioMs(): number {
    return this.#acknowledgedMs;
  }

  finish(): Promise<Result<void, SttError>> {
    return this.#lifecycle.finish(() => {
      this.#audioEnded = true;
      const tail = this.#blocks.flush();
      if (tail) this.#sendBlock(tail);
      const attempt = this.#recovery.current;
      if (attempt) this.#endAudio(attempt);
    });
  }

  dispose(): Promise<void> {
    return this.#lifecycle.dispose(async () => {
      this.#watchdog.stop();
      this.#tokens?.stop();
      for (const attempt of this.#endingGracefully) attempt.cutGraceShort();
      await this.#recovery.stop();
    });
  }

  #startAttempt(): void {
    if (this.#lifecycle.over) return;
    let attempt: RecognitionAttempt;
    try {
      attempt = new RecognitionAttempt(this.#settings, this.#credentials, this.#listenerFor(() => attempt));
    } catch (cause) {
      this.#fail(
        sttError({
          kind: "provider",
          provider: PROVIDER,
          message: "The Azure Speech SDK refused the recognizer settings.",
          detail: describeCause(cause),
          cause,
        }),
      );
      return;
    }
    this.#recovery.adopt(attempt);
    // A new recognizer starts from nothing: the replayed audio is unsent again.
    this.#sentEndByte = this.#recovery.replay.startByte;
    this.#attemptStartByte = this.#recovery.replay.startByte;
    this.#watchdog.connecting();
    for (const chunk of this.#recovery.replayChunks()) this.#feed(attempt, chunk);
    if (this.#audioEnded) this.#endAudio(attempt);
    attempt.start();
  }

  #feed(attempt: RecognitionAttempt, pcm: Uint8Array): void {
    attempt.write(pcm);
    this.#watchdog.audioSent();
  }

  #endAudio(attempt: RecognitionAttempt): void {
    attempt.endAudio();
    this.#watchdog.audioSent();
  }

  #listenerFor(current: () => RecognitionAttempt): AttemptListener {
    // Events from an attempt that was replaced or closed are stale: they must not reach the stream.
    const live = (): boolean => !this.#lifecycle.over && this.#recovery.isCurrent(current());
    return {
      sessionStarted: () => {
        if (!live()) return;
        this.#watchdog.connected();
        this.#sink?.connected();
      },
      serviceAnswered: () => {
        if (live()) this.#watchdog.answered();
      },
      speechStarted: (offsetTicks) => {
        if (live()) this.#emitSpeechBoundary("speech-started", offsetTicks);
      },
      speechEnded: (offsetTicks) => {
        if (live()) this.#emitSpeechBoundary("speech-ended", offsetTicks);
      },
      recognizing: (phrase) => {
        // Only subscribed when the stream asked for interim results (see RecognitionAttempt).
        if (live()) this.#emitInterim(phrase);
      },
      recognized: (phrase) => {
        if (live()) this.#emitFinal(phrase);
      },
      canceled: (cancellation) => {
        if (live()) this.#onCanceled(cancellation);
      },
      sessionStopped: () => {
        if (!live()) return;
        if (this.#audioEnded) {
          // The service ended the session after the whole audio: all of it was processed.
          this.#acknowledge(durationMs(this.#pushedEndByte, this.#settings.format));
          this.#lifecycle.succeed();
        } else this.#onCanceled({ code: "ConnectionFailure", details: "The service ended the session before the end of the audio." });
      },
      audioSent: (block) => {
        if (live()) this.#onAudioSent(block);
      },
      uploadLost: () => {
        if (live()) this.#onUploadLost();
      },
    };
  }

  #onAudioSent(block: ArrayBuffer): void {
    const end = this.#blockEnds.get(block);
    // A buffer the SDK copied (a block cut by a replay, a tail it regrouped) is counted by its size.
    const reached = end ?? Math.min(this.#pushedEndByte, this.#sentEndByte + block.byteLength);
    if (reached <= this.#sentEndByte) return;
    this.#sentEndByte = reached;
    // Wake the writer once half the bound is free, not at every block: fewer wake-ups, no starving.
    if (this.#saturated && this.#pushedEndByte - this.#sentEndByte <= this.#maxUnsentBytes / 2) {
      this.#saturated = false;
      this.#sink?.drain();
    }
  }

  /**
   * The SDK sent the end of the audio and then lost its connection: it reconnects but never sends
   * that audio again, so the service would wait for it forever. Recover as from any lost
   * connection: a new recognizer gets the audio since the last final, and its end.
   */
  #onUploadLost(): void {
    if (this.#audioEnded && this.#recovery.replay.byteLength === 0) {
      // Every byte is covered by a delivered final: nothing is left to recognize.
      this.#acknowledge(durationMs(this.#pushedEndByte, this.#settings.format));
      this.#lifecycle.succeed();
      return;
    }
    this.#onCanceled({
      code: "ConnectionFailure",
      details: "The connection to Azure was lost after the end of the audio was sent; the Speech SDK does not send that audio again.",
    });
  }

  /** The service has shown it processed the audio up to `ms` on the stream's time line. */
  #acknowledge(ms: number): void {
    if (ms > this.#acknowledgedMs) this.#acknowledgedMs = ms;
  }

  /**
   * Speech boundaries alternate (started, ended) and move forward in time. Replayed audio (after
   * a reconnect) is recognized again: a boundary before the end of the last delivered final or
   * before the last boundary, or a second start of an utterance the lost connection cut off, was
   * reported already.
   */
  #emitSpeechBoundary(type: "speech-started" | "speech-ended", offsetTicks: number): void {
    const offsetMs = ticksToStreamMs(offsetTicks, this.#recovery.baseMs);
    this.#acknowledge(offsetMs);
    const starting = type === "speech-started";
    if (offsetMs < Math.max(this.#recovery.lastFinalEndMs, this.#lastBoundaryMs) || starting === this.#speaking) return;
    this.#speaking = starting;
    this.#lastBoundaryMs = offsetMs;
    this.#sink?.emit({ type, offsetMs });
    if (!starting) this.#rotateIfDue();
  }

  #emitInterim(phrase: AzurePhrase): void {
    const endMs = ticksToStreamMs(phrase.offsetTicks + phrase.durationTicks, this.#recovery.baseMs);
    this.#acknowledge(endMs);
    if (endMs <= this.#recovery.lastFinalEndMs) return;
    const language = phraseLanguage(phrase, this.#singleLanguage());
    this.#sink?.emit({
      type: "interim",
      text: phrase.text,
      startMs: ticksToStreamMs(phrase.offsetTicks, this.#recovery.baseMs),
      endMs,
      ...(language ? { language } : {}),
    });
  }

  #emitFinal(phrase: AzurePhrase): void {
    const segment = segmentFromPhrase(phrase, {
      baseMs: this.#recovery.baseMs,
      language: this.#singleLanguage(),
      detailed: this.#settings.detailed,
      wordTimings: this.#settings.wordTimings,
    });
    this.#acknowledge(segment.endMs);
    // After a reconnect the replayed audio is recognized again: a final that ends no later than
    // the last one delivered was delivered already.
    if (!this.#recovery.acceptFinal(segment.endMs)) return;
    if (segment.text.trim().length > 0) this.#sink?.emit({ type: "final", segment });
    this.#rotateIfDue();
  }

  /**
   * After a final, or the end of speech that follows it: rotate once the recognizer has had its
   * share of audio, and the stream is between utterances (so the old recognizer's end of speech
   * has been reported, and the new one starts in the pause). Speech that never pauses is cut at a
   * final once twice the share has gone by: finals stay exact, only that speech-ended merges
   * into the next.
   */
  #rotateIfDue(): void {
    if (this.#rotateAfterBytes === 0 || this.#recovery.lastFinalEndMs === Number.NEGATIVE_INFINITY) return;
    const audio = this.#pushedEndByte - this.#attemptStartByte;
    if (audio < this.#rotateAfterBytes || (this.#speaking && audio < 2 * this.#rotateAfterBytes)) return;
    // Not inside the SDK's event dispatch: closing its recognizer there is not safe.
    const attempt = this.#recovery.current;
    queueMicrotask(() => this.#rotate(attempt));
  }

  /**
   * Moves the stream to a fresh recognizer at a final boundary, so that the SDK's memory of a
   * long turn is released. The audio since the last final (in the replay buffer) goes to the new
   * one, whose times start there; the old one's reports stop counting at once, and it ends its
   * turn cleanly in the background (bounded by the finish timeout, cut short if the stream closes).
   */
  #rotate(from: RecognitionAttempt | undefined): void {
    if (this.#lifecycle.over || this.#audioEnded || !from || !this.#recovery.isCurrent(from)) return;
    from.endGracefully(Math.min(this.#settings.config.finishTimeoutMs, ROTATION_GRACE_MS));
    this.#endingGracefully.add(from);
    this.#recovery.retire(from);
    void from.close().finally(() => this.#endingGracefully.delete(from));
    this.#startAttempt();
  }

  #singleLanguage(): AzureStreamSettings["languages"][number] | undefined {
    return this.#settings.languages.length === 1 ? this.#settings.languages[0] : undefined;
  }

  #onCanceled(cancellation: AzureCancellation): void {
    const error = errorFromCancellation(cancellation);
    const notice = this.#recovery.recover(error, (replayedMs) => {
      this.#sink?.reconnected(replayedMs);
      this.#startAttempt();
    });
    if (!notice) return this.#fail(error);
    this.#watchdog.stop();
    this.#sink?.emit({ type: "error", fatal: false, error: notice });
  }

  #fail(error: SttError): void {
    if (!this.#lifecycle.fail(error)) return;
    this.#watchdog.stop();
    this.#tokens?.stop();
    this.#sink?.fail(error);
  }
}
