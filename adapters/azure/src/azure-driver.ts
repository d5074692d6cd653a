import type { Result } from "neverthrow";
import { ConnectionRecovery, DriverLifecycle, describeCause, sttError, type RecognitionDriver, type RecognitionSink } from "@sttkit/core/kit";
import type { SttError } from "@sttkit/core";
import { errorFromCancellation, type AzureCancellation } from "./cancellation.js";
import { PROVIDER } from "./constants.js";
import { segmentFromPhrase, phraseLanguage, ticksToStreamMs, type AzurePhrase } from "./phrase.js";
import { ConnectWatchdog } from "./connect-watchdog.js";
import { RecognitionAttempt, type AttemptListener } from "./recognition-attempt.js";
import { SdkAudioBlocks } from "./sdk-audio-blocks.js";
import type { AzureStreamSettings } from "./stream-settings.js";

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
    const attempt = this.#recovery.current;
    if (attempt) this.#feed(attempt, block);
  };
  #sink: RecognitionSink | undefined;
  readonly #watchdog: ConnectWatchdog;
  #speaking = false;
  #lastBoundaryMs = Number.NEGATIVE_INFINITY;
  #audioEnded = false;
  /** The failure, disposal and waiting `finish()` calls. */
  readonly #lifecycle = new DriverLifecycle();

  constructor(settings: AzureStreamSettings) {
    this.#settings = settings;
    this.#recovery = new ConnectionRecovery({ provider: PROVIDER, service: "Azure", format: settings.format, reconnect: settings.config.reconnect });
    this.#blocks = new SdkAudioBlocks(settings.format);
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
    this.#startAttempt();
  }

  write(pcm: Uint8Array): boolean {
    if (!this.#lifecycle.over) this.#blocks.add(pcm, this.#sendBlock);
    return true;
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
      await this.#recovery.stop();
    });
  }

  #startAttempt(): void {
    if (this.#lifecycle.over) return;
    let attempt: RecognitionAttempt;
    try {
      attempt = new RecognitionAttempt(this.#settings, this.#listenerFor(() => attempt));
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
        if (live()) this.#watchdog.connected();
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
        if (live() && this.#settings.interimResults) this.#emitInterim(phrase);
      },
      recognized: (phrase) => {
        if (live()) this.#emitFinal(phrase);
      },
      canceled: (cancellation) => {
        if (live()) this.#onCanceled(cancellation);
      },
      sessionStopped: () => {
        if (!live()) return;
        if (this.#audioEnded) this.#lifecycle.succeed();
        else this.#onCanceled({ code: "ConnectionFailure", details: "The service ended the session before the end of the audio." });
      },
    };
  }

  /**
   * Speech boundaries alternate (started, ended) and move forward in time. Replayed audio (after
   * a reconnect) is recognized again: a boundary before the end of the last delivered final or
   * before the last boundary, or a second start of an utterance the lost connection cut off, was
   * reported already.
   */
  #emitSpeechBoundary(type: "speech-started" | "speech-ended", offsetTicks: number): void {
    const offsetMs = ticksToStreamMs(offsetTicks, this.#recovery.baseMs);
    const starting = type === "speech-started";
    if (offsetMs < Math.max(this.#recovery.lastFinalEndMs, this.#lastBoundaryMs) || starting === this.#speaking) return;
    this.#speaking = starting;
    this.#lastBoundaryMs = offsetMs;
    this.#sink?.emit({ type, offsetMs });
  }

  #emitInterim(phrase: AzurePhrase): void {
    const endMs = ticksToStreamMs(phrase.offsetTicks + phrase.durationTicks, this.#recovery.baseMs);
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
    // After a reconnect the replayed audio is recognized again: a final that ends no later than
    // the last one delivered was delivered already.
    if (!this.#recovery.acceptFinal(segment.endMs)) return;
    if (segment.text.trim().length > 0) this.#sink?.emit({ type: "final", segment });
  }

  #singleLanguage(): AzureStreamSettings["languages"][number] | undefined {
    return this.#settings.languages.length === 1 ? this.#settings.languages[0] : undefined;
  }

  #onCanceled(cancellation: AzureCancellation): void {
    const error = errorFromCancellation(cancellation);
    const notice = this.#recovery.recover(error, () => this.#startAttempt());
    if (!notice) return this.#fail(error);
    this.#watchdog.stop();
    this.#sink?.emit({ type: "error", fatal: false, error: notice });
  }

  #fail(error: SttError): void {
    if (!this.#lifecycle.fail(error)) return;
    this.#watchdog.stop();
    this.#sink?.fail(error);
  }
}
