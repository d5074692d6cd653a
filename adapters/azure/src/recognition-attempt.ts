import {
  AudioConfig,
  AudioInputStream,
  AudioStreamFormat,
  CancellationErrorCode,
  ConversationTranscriber,
  CancellationReason,
  Connection,
  PhraseListGrammar,
  PropertyId,
  ResultReason,
  SpeechRecognizer,
  type ConnectionMessage,
  type PushAudioInputStream,
  type SpeechConfig,
  type RecognitionResult,
} from "microsoft-cognitiveservices-speech-sdk";
import type { AzureCancellation, AzureCancellationCode } from "./cancellation.js";
import type { AzurePhrase } from "./phrase.js";
import { SdkSockets } from "./sdk-sockets.js";
import { buildLanguageIdentification, buildSpeechConfig, type RecognizerCredentials } from "./speech-config.js";
import { useWsClientInSpeechSdk } from "./sdk-websocket.js";
import type { AzureStreamSettings } from "./stream-settings.js";
import { settleWithin } from "./settle-within.js";
import { UploadWatch } from "./upload-watch.js";

/** What one recognizer reports, free of SDK types. Times are ticks on this recognizer's own audio. */
export interface AttemptListener {
  /** The WebSocket is open and recognition has started. */
  sessionStarted(): void;
  /** The service sent something (any message): it is alive. */
  serviceAnswered(): void;
  speechStarted(offsetTicks: number): void;
  speechEnded(offsetTicks: number): void;
  recognizing(phrase: AzurePhrase): void;
  recognized(phrase: AzurePhrase): void;
  /** The SDK cancelled recognition with an error. */
  canceled(cancellation: AzureCancellation): void;
  /** The service ended the session (after the end of the audio). */
  sessionStopped(): void;
  /**
   * The SDK put this block of PCM on its WebSocket (again, when it replays after a reconnect).
   * `block` is the buffer given to {@link RecognitionAttempt.write}, or the SDK's own copy.
   */
  audioSent(block: ArrayBuffer): void;
  /**
   * The connection was lost after the SDK had sent the end of the audio: it will not send that
   * audio again (see {@link UploadWatch}), and the service will not answer it.
   */
  uploadLost(): void;
}

/** The SDK's connection events as its recognizer reports them internally (where `Connection` reads them). */
interface SdkConnectionEvents {
  attach(onEvent: (event: SdkConnectionEvent) => void): { detach(): unknown };
}

/** One of those events; a `ConnectionMessageSentEvent` carries the SDK's own message (see {@link SdkMessage}). */
interface SdkConnectionEvent {
  readonly name?: unknown;
  readonly connectionId?: unknown;
  readonly message?: unknown;
}

/** What a message the SDK sent is, read from its internal form (`SpeechConnectionMessage`). */
interface SdkMessage {
  /** 1 for binary (`MessageType.Binary`), 0 for text. */
  readonly messageType?: unknown;
  readonly path?: unknown;
  readonly body?: unknown;
}

/** The SDK's `MessageType.Binary`. */
const BINARY_MESSAGE = 1;

/**
 * The SDK announces each connection attempt (with its id) only on the recognizer's internal event
 * source, which the SDK's own `Connection` class reads too. Absent in another SDK version, the
 * adapter does without (and closing then relies on the SDK alone).
 */
function connectionEventsOf(recognizer: SpeechRecognizer | ConversationTranscriber): SdkConnectionEvents | undefined {
  const events = (recognizer.internalData as { connectionEvents?: unknown } | undefined)?.connectionEvents;
  return typeof (events as { attach?: unknown } | undefined)?.attach === "function" ? (events as SdkConnectionEvents) : undefined;
}

/** How long closing may wait for the SDK; a hung close must not keep the stream (or process) alive. */
const CLOSE_LIMIT_MS = 2_000;
/** Stopping during close is an abort: give the service this long to end its turn, then disconnect. */
const ABORT_STOP_TIMEOUT_MS = 50;

/** The SDK's speaker label (`Guest-1`, `Guest-2`, ...) as a core speaker number (0, 1, ...); none for `Unknown`. */
function speakerNumber(label: string | undefined): number | undefined {
  const match = /^Guest-(\d+)$/.exec(label ?? "");
  return match ? Number(match[1]) - 1 : undefined;
}

function phraseOf(result: RecognitionResult & { readonly speakerId?: string }): AzurePhrase {
  const speaker = speakerNumber(result.speakerId);
  return {
    ...(speaker !== undefined ? { speaker } : {}),
    text: result.text ?? "",
    offsetTicks: result.offset ?? 0,
    durationTicks: result.duration ?? 0,
    ...(result.language ? { language: result.language } : {}),
    ...(result.json ? { json: result.json } : {}),
  };
}

function cancellationCode(code: CancellationErrorCode): AzureCancellationCode {
  return (CancellationErrorCode[code] ?? "RuntimeError") as AzureCancellationCode;
}

/**
 * One Speech SDK recognizer fed by its own push stream: the unit the adapter starts, and starts
 * again to recover from a lost connection. Owns every SDK object it creates and closes them all.
 */
export class RecognitionAttempt {
  readonly #speechConfig: SpeechConfig;
  readonly #pushStream: PushAudioInputStream;
  /** A conversation transcriber when the stream separates speakers (diarization), else a speech recognizer. */
  readonly #recognizer: SpeechRecognizer | ConversationTranscriber;
  readonly #connection: Connection;
  readonly #sockets = new SdkSockets();
  readonly #upload = new UploadWatch();
  #connectionEvents: { detach(): unknown } | undefined;
  #listener: AttemptListener | undefined;
  #audioEnded = false;
  #closing: Promise<void> | undefined;
  /** Settles when the SDK's session stops or is cancelled: the service is done with this recognizer. */
  readonly #sessionOver: Promise<void>;
  #markSessionOver: () => void = () => undefined;
  /** Set by {@link RecognitionAttempt.endGracefully}: how long close() lets the service finish its turn. */
  #graceMs = 0;
  #cutGraceShort: () => void = () => undefined;

  constructor(settings: AzureStreamSettings, credentials: RecognizerCredentials, listener: AttemptListener) {
    this.#listener = listener;
    this.#sessionOver = new Promise<void>((resolve) => {
      this.#markSessionOver = resolve;
    });
    // Before the first SDK object: the SDK must dial with `ws` on Node 22+ too (see sdk-websocket.ts).
    useWsClientInSpeechSdk();
    this.#speechConfig = buildSpeechConfig(settings, credentials);
    this.#pushStream = AudioInputStream.createPushStream(AudioStreamFormat.getWaveFormatPCM(settings.format.sampleRate, 16, 1));
    const audioConfig = AudioConfig.fromStreamInput(this.#pushStream);
    const identification = buildLanguageIdentification(settings);
    if (settings.config.diarization) {
      this.#recognizer = identification
        ? ConversationTranscriber.FromConfig(this.#speechConfig, identification, audioConfig)
        : new ConversationTranscriber(this.#speechConfig, audioConfig);
    } else {
      this.#recognizer = identification
        ? SpeechRecognizer.FromConfig(this.#speechConfig, identification, audioConfig)
        : new SpeechRecognizer(this.#speechConfig, audioConfig);
    }
    if (settings.phrases.length > 0) PhraseListGrammar.fromRecognizer(this.#recognizer).addPhrases([...settings.phrases]);
    this.#connection = Connection.fromRecognizer(this.#recognizer);
    this.#wire(settings.interimResults);
  }

  #wire(interims: boolean): void {
    const recognizer = this.#recognizer;
    this.#connection.messageReceived = () => {
      this.#listener?.serviceAnswered();
      // One answer proves the service alive; without a handler the SDK stops wrapping every message for us.
      (this.#connection as { messageReceived?: unknown }).messageReceived = undefined;
    };
    this.#connection.connected = () => this.#upload.connected();
    this.#connection.disconnected = () => {
      if (this.#upload.disconnected()) this.#reportUploadLost();
    };
    const events = connectionEventsOf(recognizer);
    // Sent messages are followed on the internal event source where it exists: the public
    // `Connection.messageSent` wraps every message (each 100 ms audio block) in a new public
    // message with its headers copied, a per-block cost the raw SDK does not pay (profiled at
    // about 13 ms of a 10-minute file's 300 ms through `transcribe()`).
    this.#connectionEvents = events?.attach((event) => {
      if (event.name === "ConnectionMessageSentEvent") this.#followInternal(event.message as SdkMessage | undefined);
      else if (event.name === "ConnectionStartEvent" && typeof event.connectionId === "string") this.#sockets.claim(event.connectionId);
    });
    if (!events) this.#connection.messageSent = (event) => this.#followPublic(event.message);
    recognizer.sessionStarted = () => this.#listener?.sessionStarted();
    recognizer.sessionStopped = () => {
      this.#markSessionOver();
      this.#upload.sessionStopped();
      this.#listener?.sessionStopped();
    };
    recognizer.speechStartDetected = (_, event) => this.#listener?.speechStarted(event.offset);
    recognizer.speechEndDetected = (_, event) => this.#listener?.speechEnded(event.offset);
    const recognized = (result: RecognitionResult): void => {
      // NoMatch (silence, babble) carries no transcript.
      if (result.reason === ResultReason.RecognizedSpeech) this.#listener?.recognized(phraseOf(result));
    };
    // Interim results nobody asked for (a `transcribe()` without progress events) are not read at all.
    if (recognizer instanceof ConversationTranscriber) {
      if (interims) recognizer.transcribing = (_, event) => this.#listener?.recognizing(phraseOf(event.result));
      recognizer.transcribed = (_, event) => recognized(event.result);
    } else {
      if (interims) recognizer.recognizing = (_, event) => this.#listener?.recognizing(phraseOf(event.result));
      recognizer.recognized = (_, event) => recognized(event.result);
    }
    recognizer.canceled = (_, event) => {
      // EndOfStream is the normal end of the audio; sessionStopped follows.
      if (event.reason !== CancellationReason.Error) return;
      this.#markSessionOver();
      this.#listener?.canceled({ code: cancellationCode(event.errorCode), details: event.errorDetails ?? "" });
    };
  }

  /** A message sent, read from the SDK's internal form (no allocation per audio block). */
  #followInternal(message: SdkMessage | undefined): void {
    const body = message?.body;
    this.#followSent(message?.messageType === BINARY_MESSAGE, message?.path, body instanceof ArrayBuffer ? body : undefined);
  }

  /** A message sent, read from the public `ConnectionMessage` (when the internal event source is absent). */
  #followPublic(message: ConnectionMessage): void {
    let binary: boolean;
    let path: string;
    let body: unknown;
    try {
      binary = message.isBinaryMessage;
      path = message.path;
      body = binary ? message.binaryMessage : undefined;
    } catch {
      // The SDK's getters throw on a message of a shape they do not expect: not audio to follow.
      return;
    }
    this.#followSent(binary, path, body instanceof ArrayBuffer ? body : undefined);
  }

  /**
   * Follows what the SDK sent: the audio it got out (for backpressure), and whether its upload was
   * lost. Called inside the SDK's send path, where an exception would fail the send: none escapes.
   * `body` is a binary message's audio; the end-of-audio frame has none.
   */
  #followSent(binary: boolean, path: unknown, body: ArrayBuffer | undefined): void {
    try {
      if (!binary) {
        if (path === "speech.context") this.#upload.contextSent();
        return;
      }
      if (path !== "audio") return;
      const { sent, lost } = this.#upload.audioSent(body?.byteLength ?? 0);
      if (sent === "audio" && body) this.#listener?.audioSent(body);
      if (lost) this.#reportUploadLost();
    } catch {
      // A message of a shape this code does not know is not audio it needs to follow.
    }
  }

  /**
   * Reported after the SDK's own handling of the event in progress (a send, a closed socket):
   * recovering closes this recognizer, which must not happen inside the SDK's send path.
   */
  #reportUploadLost(): void {
    queueMicrotask(() => this.#listener?.uploadLost());
  }

  /**
   * Gives the recognizer a new authorization token. The SDK reads it each time it opens a
   * connection (its own reconnects included); the connection already open keeps going.
   */
  useToken(token: string): void {
    this.#recognizer.authorizationToken = token;
  }

  /** Starts continuous recognition; failures to start arrive as a cancellation. */
  start(): void {
    const failed = (error: string): void => this.#listener?.canceled({ code: "RuntimeError", details: String(error) });
    if (this.#recognizer instanceof ConversationTranscriber) this.#recognizer.startTranscribingAsync(undefined, failed);
    else this.#recognizer.startContinuousRecognitionAsync(undefined, failed);
  }

  /**
   * Queues PCM for the service. The SDK may keep the buffer itself rather than a copy: `pcm` must
   * not change afterwards.
   */
  write(pcm: Uint8Array): void {
    if (this.#audioEnded) return;
    const ownsWholeBuffer = pcm.byteOffset === 0 && pcm.byteLength === pcm.buffer.byteLength;
    this.#pushStream.write((ownsWholeBuffer ? pcm.buffer : pcm.buffer.slice(pcm.byteOffset, pcm.byteOffset + pcm.byteLength)) as ArrayBuffer);
  }

  /** No more audio: the SDK sends the end of the stream, and the service its last phrase. */
  endAudio(): void {
    if (this.#audioEnded) return;
    this.#audioEnded = true;
    this.#pushStream.close();
  }

  /**
   * Retires this recognizer cleanly: its reports are no longer wanted, its audio ends now (the
   * SDK sends what it holds, then the end of the audio), and {@link RecognitionAttempt.close} first
   * lets the service finish its turn, for at most `graceMs`, instead of aborting it. Used when the
   * stream moves to a fresh recognizer by choice (rotation), not after a failure.
   */
  endGracefully(graceMs: number): void {
    this.#listener = undefined;
    this.#graceMs = graceMs;
    this.endAudio();
  }

  /** A graceful end in progress stops waiting for the service (the stream is being closed). */
  cutGraceShort(): void {
    this.#graceMs = 0;
    this.#cutGraceShort();
  }

  /**
   * Stops listening to the SDK and closes the recognizer, its connection and the push stream.
   * Bounded in time, idempotent, never rejects.
   */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    this.#listener = undefined;
    if (this.#graceMs > 0) {
      const cut = new Promise<void>((resolve) => {
        this.#cutGraceShort = resolve;
      });
      await settleWithin(Promise.race([this.#sessionOver, cut]), this.#graceMs);
    }
    try {
      this.endAudio();
    } catch {
      // Already closed by the SDK; nothing to release.
    }
    // An upgrade the server never answers would hold the SDK's close (and the socket) forever.
    this.#sockets.abortPending();
    // Without a stop timeout, closing a recognizer whose service never ends its turn hangs forever.
    this.#recognizer.properties.setProperty(PropertyId.Recognizer_StopTimeoutMs, String(ABORT_STOP_TIMEOUT_MS));
    const closed = new Promise<void>((resolve) => {
      try {
        this.#recognizer.close(resolve, () => resolve());
      } catch {
        resolve();
      }
    });
    // Once the SDK is truly done it starts no more connections: only then may their ids be forgotten.
    void closed.then(() => {
      this.#connectionEvents?.detach();
      this.#sockets.dispose();
    });
    await settleWithin(closed, CLOSE_LIMIT_MS);
    this.#sockets.destroyAll();
    this.#connection.close();
    this.#speechConfig.close();
  }
}
