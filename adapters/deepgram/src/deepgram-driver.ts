import { err, ok, type Result } from "neverthrow";
import { bytesForMs, bytesPerFrame, bytesPerSecond, durationMs, type SttError } from "@sttkit/core";
import { ReplayBuffer, sttError, type RecognitionDriver, type RecognitionSink } from "@sttkit/core/kit";
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
  readonly #settings: DeepgramStreamSettings;
  readonly #client: SdkClient;
  readonly #secret: string;
  readonly #query: DeepgramQuery;
  readonly #replay: ReplayBuffer;
  #sink: RecognitionSink | undefined;
  #connection: DeepgramConnection | undefined;
  /** Where the current connection's audio starts on the stream's time line. */
  #baseMs = 0;
  readonly #closing = new Set<Promise<void>>();
  #recoveryTimer: NodeJS.Timeout | undefined;
  #drainTimer: NodeJS.Timeout | undefined;
  /** End of the audio window of the last final, on the stream's time line: all before it is transcribed. */
  #lastFinalEndMs = Number.NEGATIVE_INFINITY;
  #lastSegmentEndMs = 0;
  #speaking = false;
  #lastBoundaryMs = Number.NEGATIVE_INFINITY;
  #recoveriesWithoutProgress = 0;
  #audioEnded = false;
  #over = false;
  #failure: SttError | undefined;
  #finishWaiters: Array<(result: Result<void, SttError>) => void> = [];
  #disposal: Promise<void> | undefined;

  constructor(settings: DeepgramStreamSettings, client: SdkClient, secret: string) {
    this.#settings = settings;
    this.#client = client;
    this.#secret = secret;
    this.#query = listenQuery(settings);
    const maxBytes = Math.floor(settings.config.reconnect.maxReplaySeconds * bytesPerSecond(settings.format));
    this.#replay = new ReplayBuffer(maxBytes, bytesPerFrame(settings.format));
  }

  start(sink: RecognitionSink): void {
    this.#sink = sink;
    this.#connect();
  }

  write(pcm: Uint8Array): boolean {
    if (this.#over) return true;
    const connection = this.#connection;
    if (connection?.isOpen) {
      connection.send(pcm);
      // With recovery off nothing is ever replayed: the audio need not be kept once sent.
      if (this.#recovers) this.#replay.append(pcm);
      return connection.bufferedBytes <= HIGH_WATER_BYTES || !this.#waitForDrain();
    }
    // Before the socket opens, the replay buffer is the queue: opening sends it all.
    this.#replay.append(pcm);
    return true;
  }

  /** Polls until the socket has written its backlog, then lets the writer go on. Returns true (saturated). */
  #waitForDrain(): boolean {
    this.#drainTimer ??= setInterval(() => {
      const connection = this.#connection;
      if (this.#over || !connection?.isOpen || connection.bufferedBytes <= HIGH_WATER_BYTES / 2) {
        clearInterval(this.#drainTimer);
        this.#drainTimer = undefined;
        this.#sink?.drain();
      }
    }, DRAIN_POLL_MS);
    return true;
  }

  get #recovers(): boolean {
    return this.#settings.config.reconnect.maxAttempts > 0;
  }

  finish(): Promise<Result<void, SttError>> {
    if (this.#failure) return Promise.resolve(err(this.#failure));
    if (this.#over) return Promise.resolve(ok(undefined));
    this.#audioEnded = true;
    if (this.#connection?.isOpen) this.#endAudio(this.#connection);
    return new Promise((resolve) => this.#finishWaiters.push(resolve));
  }

  dispose(): Promise<void> {
    this.#disposal ??= this.#dispose();
    return this.#disposal;
  }

  async #dispose(): Promise<void> {
    this.#over = true;
    clearTimeout(this.#recoveryTimer);
    this.#recoveryTimer = undefined;
    clearInterval(this.#drainTimer);
    this.#drainTimer = undefined;
    if (this.#connection) this.#retire(this.#connection);
    await Promise.all([...this.#closing]);
    this.#replay.clear();
    this.#settleFinish(this.#failure ? err(this.#failure) : ok(undefined));
  }

  #connect(): void {
    if (this.#over) return;
    let connection: DeepgramConnection;
    const listener = this.#listenerFor(() => connection);
    connection = new DeepgramConnection(listener, this.#settings.config.keepAliveIntervalMs);
    this.#connection = connection;
    connection.start(this.#client, this.#query, this.#settings.config.connectTimeoutMs);
  }

  #listenerFor(current: () => DeepgramConnection): ConnectionListener {
    // A replaced or closed connection's reports are stale: they must not reach the stream.
    const live = (): boolean => !this.#over && this.#connection === current();
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
    this.#baseMs = durationMs(this.#replay.startByte, this.#settings.format);
    for (const chunk of this.#replay.chunks()) connection.send(chunk);
    if (!this.#recovers) this.#replay.clear();
    if (this.#audioEnded) this.#endAudio(connection);
  }

  /** Finalize flushes what was sent into a final; CloseStream then makes the service finish and close. */
  #endAudio(connection: DeepgramConnection): void {
    connection.finalize();
    connection.closeStream();
  }

  #context(): ResultContext {
    return { baseMs: this.#baseMs, languages: this.#settings.languages, wordTimings: this.#settings.wordTimings };
  }

  #onMessage(message: DeepgramMessage): void {
    switch (message.type) {
      case "Results":
        if (message.isFinal) this.#onFinal(message);
        else this.#onInterim(message);
        return;
      case "SpeechStarted":
        this.#beginSpeech(streamMs(message.timestamp, this.#baseMs));
        return;
      case "UtteranceEnd":
        this.#endSpeech(streamMs(message.lastWordEnd, this.#baseMs));
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
    if (interim.endMs <= this.#lastFinalEndMs) return;
    this.#beginSpeech(interim.startMs);
    this.#sink?.emit(interim);
  }

  #onFinal(results: DeepgramResults): void {
    const endMs = windowEndMs(results, this.#baseMs);
    // Replayed audio is recognised again after a recovery: a window ending no later than the last
    // final's was delivered already.
    if (endMs <= this.#lastFinalEndMs) return;
    this.#lastFinalEndMs = endMs;
    this.#recoveriesWithoutProgress = 0;
    this.#replay.discardBefore(bytesForMs(endMs, this.#settings.format));
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
      this.#endSpeech(this.#lastSegmentEndMs);
      this.#settleFinish(ok(undefined));
      return;
    }
    this.#onLost(code === 1000 ? errorFromClose(1006, "closed before the end of the audio") : errorFromClose(code, reason));
  }

  /** A lost connection: recover when a new one can help and attempts remain, else fail. */
  #onLost(error: SttError): void {
    const { maxAttempts } = this.#settings.config.reconnect;
    if (error.kind === "connection" && this.#recoveriesWithoutProgress < maxAttempts) this.#recover(error);
    else this.#fail(error);
  }

  #recover(cause: SttError): void {
    if (this.#connection) this.#retire(this.#connection);
    this.#recoveriesWithoutProgress += 1;
    const { maxAttempts, backoffMs } = this.#settings.config.reconnect;
    const replaySeconds = this.#replay.byteLength / bytesPerSecond(this.#settings.format);
    const lost = this.#replay.overflowed ? " Older audio exceeded the replay buffer and is lost." : "";
    this.#sink?.emit({
      type: "error",
      fatal: false,
      error: withoutSecret(
        sttError({
          kind: "connection",
          provider: PROVIDER,
          message: `Lost the connection to Deepgram; reconnecting (attempt ${this.#recoveriesWithoutProgress} of ${maxAttempts}) and replaying ${replaySeconds.toFixed(1)} s of audio.${lost}`,
          ...(cause.detail !== undefined ? { detail: cause.detail } : {}),
        }),
        this.#secret,
      ),
    });
    this.#recoveryTimer = setTimeout(() => {
      this.#recoveryTimer = undefined;
      this.#connect();
    }, backoffMs * 2 ** (this.#recoveriesWithoutProgress - 1));
  }

  /** Detaches a connection from the stream and closes it in the background (awaited by dispose). */
  #retire(connection: DeepgramConnection): void {
    if (this.#connection === connection) this.#connection = undefined;
    const closing = connection.close().finally(() => this.#closing.delete(closing));
    this.#closing.add(closing);
  }

  #fail(error: SttError): void {
    if (this.#over) return;
    const safe = withoutSecret(error, this.#secret);
    this.#failure = safe;
    this.#sink?.fail(safe);
    this.#settleFinish(err(safe));
  }

  #settleFinish(result: Result<void, SttError>): void {
    const waiters = this.#finishWaiters;
    this.#finishWaiters = [];
    for (const resolve of waiters) resolve(result);
  }
}
