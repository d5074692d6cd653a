import type { Result } from "neverthrow";
import { durationMs, type SttError } from "@sttkit/core";
import { ChunkCopier, ConnectionRecovery, DriverLifecycle, type RecognitionDriver, type RecognitionSink } from "@sttkit/core/kit";
import type { SdkClient } from "./client.js";
import { DeepgramConnection, type ConnectionListener } from "./connection.js";
import { PROVIDER } from "./constants.js";
import { errorFromClose, errorFromConnectFailure, errorFromServiceMessage, errorFromUnreadableMessage, withoutSecret } from "./error-mapping.js";
import type { DeepgramMessage, DeepgramResults } from "./messages.js";
import { listenQuery, type DeepgramQuery } from "./query.js";
import { interimFromResults, segmentFromResults, streamMs, windowEndMs, type ResultContext } from "./results.js";
import type { DeepgramStreamSettings } from "./stream-settings.js";

/**
 * Audio waiting in the socket beyond which the writer is asked to wait (about 30 s of 16 kHz
 * audio): a network slower than the caller must not make the process buffer without bound.
 */
const HIGH_WATER_BYTES = 1024 * 1024;
/** How often a saturated socket is checked for having caught up; `ws` reports no drain event. */
const DRAIN_POLL_MS = 20;

/**
 * The Deepgram half of a recognition stream. Runs one {@link DeepgramConnection} at a time;
 * when one is lost, opens another, replays the audio since the end of the last final and moves
 * the new connection's times (which start again at 0) onto the stream's time line, so every
 * final arrives once, in order.
 */
export class DeepgramRecognitionDriver implements RecognitionDriver {
  /**
   * Audio is copied once, here: into the replay buffer's ring, which is also what is sent (the
   * socket may hold a chunk it has not written yet, so the caller's own buffer is never sent).
   * The ring's bytes are reused once a final covers them, so a stream makes no garbage per chunk.
   */
  readonly copiesAudio = true;
  /** Copies of sent audio when recovery is off and nothing is kept for replay. */
  readonly #copier = new ChunkCopier();
  readonly #settings: DeepgramStreamSettings;
  readonly #client: SdkClient;
  readonly #secret: string;
  readonly #query: DeepgramQuery;
  /**
   * The connection in use, the audio to replay into the next and when to try again. A final is
   * placed by the end of its audio window: all before it is transcribed.
   */
  readonly #recovery: ConnectionRecovery<DeepgramConnection>;
  #sink: RecognitionSink | undefined;
  #drainTimer: NodeJS.Timeout | undefined;
  #lastSegmentEndMs = 0;
  #speaking = false;
  #lastBoundaryMs = Number.NEGATIVE_INFINITY;
  #audioEnded = false;
  /** Stream bytes written so far. */
  #writtenBytes = 0;
  /** How far on the stream's time line the service has shown it processed the audio, in ms. */
  #acknowledgedMs = 0;
  /** The failure, disposal and waiting `finish()` calls. */
  readonly #lifecycle = new DriverLifecycle();

  constructor(settings: DeepgramStreamSettings, client: SdkClient, secret: string) {
    this.#settings = settings;
    this.#client = client;
    this.#secret = secret;
    this.#query = listenQuery(settings);
    this.#recovery = new ConnectionRecovery({ provider: PROVIDER, service: "Deepgram", format: settings.format, reconnect: settings.config.reconnect, copyAudio: true });
  }

  start(sink: RecognitionSink): void {
    this.#sink = sink;
    this.#connect();
  }

  write(pcm: Uint8Array): boolean {
    if (this.#lifecycle.over) return true;
    this.#writtenBytes += pcm.byteLength;
    const connection = this.#recovery.current;
    if (connection?.isOpen) {
      // With recovery off nothing is ever replayed: the audio need not be kept once sent.
      if (this.#recovery.enabled) for (const held of this.#recovery.replay.append(pcm)) connection.send(held);
      else connection.send(this.#copier.copy(pcm));
      return connection.bufferedBytes <= HIGH_WATER_BYTES || !this.#waitForDrain();
    }
    // Before the socket opens, the replay buffer is the queue: opening sends it all.
    this.#recovery.replay.append(pcm);
    return true;
  }

  /** Polls until the socket has written its backlog, then lets the writer go on. Returns true (saturated). */
  #waitForDrain(): boolean {
    this.#drainTimer ??= setInterval(() => {
      const connection = this.#recovery.current;
      if (this.#lifecycle.over || !connection?.isOpen || connection.bufferedBytes <= HIGH_WATER_BYTES / 2) {
        clearInterval(this.#drainTimer);
        this.#drainTimer = undefined;
        this.#sink?.drain();
      }
    }, DRAIN_POLL_MS);
    return true;
  }

  /** How much of the stream's audio the service processed: what its results covered, or all once it finished. */
  processedAudioMs(): number {
    return this.#acknowledgedMs;
  }

  finish(): Promise<Result<void, SttError>> {
    return this.#lifecycle.finish(() => {
      this.#audioEnded = true;
      const connection = this.#recovery.current;
      if (connection?.isOpen) this.#endAudio(connection);
    });
  }

  dispose(): Promise<void> {
    return this.#lifecycle.dispose(async () => {
      clearInterval(this.#drainTimer);
      this.#drainTimer = undefined;
      await this.#recovery.stop();
    });
  }

  #connect(): void {
    if (this.#lifecycle.over) return;
    let connection: DeepgramConnection;
    const listener = this.#listenerFor(() => connection);
    connection = new DeepgramConnection(listener, this.#settings.config.keepAliveIntervalMs);
    this.#recovery.adopt(connection);
    connection.start(this.#client, this.#query, this.#settings.config.connectTimeoutMs);
  }

  #listenerFor(current: () => DeepgramConnection): ConnectionListener {
    // A replaced or closed connection's reports are stale: they must not reach the stream.
    const live = (): boolean => !this.#lifecycle.over && this.#recovery.isCurrent(current());
    return {
      opened: () => {
        if (live()) this.#onOpened(current());
      },
      message: (message) => {
        if (live()) this.#onMessage(message);
      },
      closed: (code, reason) => {
        if (live()) this.#onClosed(code, reason);
      },
      failed: (text) => {
        if (live()) this.#onLost(errorFromConnectFailure(text, this.#settings.config.connectTimeoutMs));
      },
    };
  }

  #onOpened(connection: DeepgramConnection): void {
    this.#sink?.connected();
    for (const chunk of this.#recovery.replayChunks()) connection.send(chunk);
    if (!this.#recovery.enabled) this.#recovery.replay.clear();
    if (this.#audioEnded) this.#endAudio(connection);
  }

  /** Finalize flushes what was sent into a final; CloseStream then makes the service finish and close. */
  #endAudio(connection: DeepgramConnection): void {
    connection.finalize();
    connection.closeStream();
  }

  #context(): ResultContext {
    return { baseMs: this.#recovery.baseMs, languages: this.#settings.languages, wordTimings: this.#settings.wordTimings };
  }

  #onMessage(message: DeepgramMessage): void {
    switch (message.type) {
      case "Results":
        this.#acknowledge(windowEndMs(message, this.#recovery.baseMs));
        if (message.isFinal) this.#onFinal(message);
        else this.#onInterim(message);
        return;
      case "SpeechStarted":
        this.#beginSpeech(streamMs(message.timestamp, this.#recovery.baseMs));
        return;
      case "UtteranceEnd":
        this.#endSpeech(streamMs(message.lastWordEnd, this.#recovery.baseMs));
        return;
      case "Error":
        this.#fail(errorFromServiceMessage(message.description, message.code));
        return;
      case "Unreadable":
        this.#fail(errorFromUnreadableMessage(message.detail));
        return;
      case "Metadata":
      case "Other":
        // Metadata precedes the service's close after CloseStream; the close settles the stream.
        return;
    }
  }

  #onInterim(results: DeepgramResults): void {
    if (!this.#settings.interimResults || results.transcript.trim().length === 0) return;
    const interim = interimFromResults(results, this.#context());
    if (interim.endMs <= this.#recovery.lastFinalEndMs) return;
    this.#beginSpeech(interim.startMs);
    this.#sink?.emit(interim);
  }

  #onFinal(results: DeepgramResults): void {
    // Replayed audio is recognised again after a recovery: a window ending no later than the last
    // final's was delivered already.
    if (!this.#recovery.acceptFinal(windowEndMs(results, this.#recovery.baseMs))) return;
    if (results.transcript.trim().length === 0) return;
    const segment = segmentFromResults(results, this.#context());
    this.#beginSpeech(segment.startMs);
    this.#lastSegmentEndMs = segment.endMs;
    this.#sink?.emit({ type: "final", segment });
    if (results.speechFinal) this.#endSpeech(segment.endMs);
  }

  /** Speech boundaries alternate and never go back in time; replayed audio does not repeat them. */
  #beginSpeech(offsetMs: number): void {
    if (this.#speaking || offsetMs < this.#lastBoundaryMs) return;
    this.#speaking = true;
    this.#lastBoundaryMs = offsetMs;
    this.#sink?.emit({ type: "speech-started", offsetMs });
  }

  #endSpeech(offsetMs: number): void {
    if (!this.#speaking) return;
    this.#speaking = false;
    this.#lastBoundaryMs = Math.max(this.#lastBoundaryMs, offsetMs);
    this.#sink?.emit({ type: "speech-ended", offsetMs: this.#lastBoundaryMs });
  }

  #onClosed(code: number, reason: string): void {
    if (this.#audioEnded && code === 1000) {
      // The service closed after CloseStream: it processed all the audio.
      this.#acknowledge(durationMs(this.#writtenBytes, this.#settings.format));
      this.#endSpeech(this.#lastSegmentEndMs);
      this.#lifecycle.succeed();
      return;
    }
    this.#onLost(code === 1000 ? errorFromClose(1006, "closed before the end of the audio") : errorFromClose(code, reason));
  }

  /** A lost connection: recover when a new one can help and attempts remain, else fail. */
  #onLost(error: SttError): void {
    const notice = this.#recovery.recover(error, (replayedMs) => {
      this.#sink?.reconnected(replayedMs);
      this.#connect();
    });
    if (notice) this.#sink?.emit({ type: "error", fatal: false, error: withoutSecret(notice, this.#secret) });
    else this.#fail(error);
  }

  /** The service has shown it processed the audio up to `ms` on the stream's time line. */
  #acknowledge(ms: number): void {
    if (ms > this.#acknowledgedMs) this.#acknowledgedMs = ms;
  }

  #fail(error: SttError): void {
    const safe = withoutSecret(error, this.#secret);
    if (this.#lifecycle.fail(safe)) this.#sink?.fail(safe);
  }
}
