import type { IncomingMessage } from "node:http";
import { OpenAIRealtimeWS } from "openai/realtime/ws";
import type { RealtimeClientEvent, SessionUpdateEvent } from "openai/resources/realtime/realtime";
import { ok, type Result } from "neverthrow";
import type { AudioFormat, SttError } from "@sttkit/core";
import { sttError, type DriverEvent, type RecognitionDriver, type RecognitionSink } from "@sttkit/core/kit";
import type { OpenAIClient } from "../client.js";
import { MIN_COMMIT_MS, PROVIDER, REALTIME_SAMPLE_RATE } from "../constants.js";
import type { SecretRedactor } from "@sttkit/core/kit";
import type { RequestSettings } from "../request-settings.js";
import type { ResolvedOpenAIConfig } from "../validate-config.js";
import { realtimeEventError, realtimeSocketError, transcriptionFailedError, type RealtimeErrorFields } from "./errors.js";
import { TranscriptionItems } from "./items.js";

/** What one Realtime stream needs. */
export interface RealtimeStreamSettings {
  readonly config: ResolvedOpenAIConfig;
  /** The audio format the driver receives: 24 kHz mono 16-bit (the shared stream converts any other). */
  readonly format: AudioFormat;
  readonly request: RequestSettings;
  readonly interimResults: boolean;
}

/** PCM bytes (24 kHz) per append event: about 5 s, well under the API's 15 MiB per event. */
const MAX_APPEND_PCM_BYTES = 240_000;
/** Base64 audio queued or unsent on the socket above which writers are asked to wait. */
const HIGH_WATER_BYTES = 1024 * 1024;
/** How often a saturated stream checks whether the socket has caught up, ms. */
const DRAIN_POLL_MS = 10;
/** How long a finished stream waits for the service's close frame before dropping the socket, ms. */
const CLOSE_GRACE_MS = 1000;
/** The most of a refused upgrade's body kept for the error's detail. */
const MAX_REFUSAL_BODY_BYTES = 4096;
/** The `event_id` of the client's final commit, so its answer (or refusal) is recognised. */
const COMMIT_EVENT_ID = "sttkit_final_commit";

type ServerEvent = { readonly type: string; readonly [field: string]: unknown };

const textField = (event: ServerEvent, field: string): string | undefined => (typeof event[field] === "string" ? (event[field] as string) : undefined);
const numberField = (event: ServerEvent, field: string): number | undefined => (typeof event[field] === "number" ? (event[field] as number) : undefined);

/**
 * One Realtime transcription session through the SDK's `OpenAIRealtimeWS`: opened with the
 * transcription model in the URL (the SDK builds only `/realtime?model=...`; naming the
 * transcription model there and `type: "transcription"` in the session update keeps it a
 * transcription session from its first event), configured with one `session.update` as soon as
 * the socket opens, fed base64 PCM16 at 24 kHz (the shared stream converts other rates), and committed at
 * `end()`. An `error` listener is always registered: without one, the SDK turns a server `error`
 * event into an unhandled rejection that ends the process.
 */
export class RealtimeDriver implements RecognitionDriver {
  /** `write` encodes into base64 strings and keeps nothing of the caller's. */
  readonly copiesAudio = true;
  readonly #settings: RealtimeStreamSettings;
  readonly #client: OpenAIClient;
  readonly #redactor: SecretRedactor;
  /** Samples appended so far (24 kHz). */
  #sentSamples = 0;
  readonly #items: TranscriptionItems;
  #sink: RecognitionSink | undefined;
  #rt: OpenAIRealtimeWS | undefined;
  /** Events held until the socket opens, and their size. */
  #queue: RealtimeClientEvent[] = [];
  #queuedBytes = 0;
  #open = false;
  #over = false;
  #connectTimer: NodeJS.Timeout | undefined;
  #drainTimer: NodeJS.Timeout | undefined;
  #closeTimer: NodeJS.Timeout | undefined;
  #finished: ((result: Result<void, SttError>) => void) | undefined;

  constructor(settings: RealtimeStreamSettings, client: OpenAIClient, redactor: SecretRedactor) {
    this.#settings = settings;
    this.#client = client;
    this.#redactor = redactor;
    const { realtime } = settings.config;
    this.#items = new TranscriptionItems({ prefixPaddingMs: realtime.prefixPaddingMs, silenceDurationMs: realtime.silenceDurationMs }, settings.request.language, settings.interimResults);
  }

  /** Audio sent to the service so far (appended, in order), in ms. */
  get #sentMs(): number {
    return (this.#sentSamples * 1000) / REALTIME_SAMPLE_RATE;
  }

  start(sink: RecognitionSink): void {
    this.#sink = sink;
    const { config } = this.#settings;
    const rt = new OpenAIRealtimeWS(
      {
        model: config.realtime.urlModel ?? config.realtime.model,
        options: { ...this.#client.socketOptions, handshakeTimeout: config.connectTimeoutMs, perMessageDeflate: false },
      },
      this.#client.sdk,
    );
    this.#rt = rt;
    rt.on("error", (error) => {
      // Server `error` events arrive through "event" too, with everything they carry.
      if (error.error !== undefined) return;
      this.#fail(realtimeSocketError(error.message, (error as { cause?: unknown }).cause, this.#redactor, config.connectTimeoutMs));
    });
    rt.on("event", (event) => this.#onEvent(event as unknown as ServerEvent));
    rt.socket.on("open", () => this.#onOpen());
    rt.socket.on("unexpected-response", (_request, response) => this.#onRefused(response));
    rt.socket.on("close", (code) => {
      if (!this.#over) this.#fail(sttError({ kind: "connection", provider: PROVIDER, message: `The Realtime connection closed (code ${code}) before the transcription finished.` }));
    });
    this.#connectTimer = setTimeout(() => {
      this.#fail(sttError({ kind: "timeout", provider: PROVIDER, timeoutMs: config.connectTimeoutMs, message: `The OpenAI Realtime session was not ready within ${config.connectTimeoutMs} ms.` }));
    }, config.connectTimeoutMs);
  }

  write(pcm: Uint8Array): boolean {
    this.#sentSamples += pcm.byteLength >> 1;
    this.#append(pcm);
    return !this.#saturated();
  }

  finish(): Promise<Result<void, SttError>> {
    // Less than 100 ms is refused by the service; with no speech open, it is silence after the last commit.
    if (this.#items.uncommittedMs(this.#sentMs) >= MIN_COMMIT_MS || this.#items.speaking) {
      this.#items.commitSent(this.#sentMs);
      this.#send({ type: "input_audio_buffer.commit", event_id: COMMIT_EVENT_ID });
    }
    return new Promise((resolve) => {
      this.#finished = resolve;
      this.#settleIfDone();
    });
  }

  async dispose(): Promise<void> {
    this.#over = true;
    clearTimeout(this.#connectTimer);
    clearTimeout(this.#drainTimer);
    const rt = this.#rt;
    if (!rt) return;
    const socket = rt.socket;
    if (socket.readyState === socket.CLOSED) return;
    await new Promise<void>((resolve) => {
      socket.once("close", () => resolve());
      if (socket.readyState === socket.OPEN) {
        rt.close({ code: 1000, reason: "done" });
        // A service that never answers the close frame must not keep the socket.
        this.#closeTimer = setTimeout(() => socket.terminate(), CLOSE_GRACE_MS);
      } else {
        socket.terminate();
      }
    });
    clearTimeout(this.#closeTimer);
  }

  #fail(error: SttError): void {
    if (this.#over) return;
    this.#over = true;
    clearTimeout(this.#connectTimer);
    this.#sink?.fail(error);
  }

  #emit(events: readonly DriverEvent[]): void {
    for (const event of events) this.#sink?.emit(event);
  }

  #onOpen(): void {
    const { config, request } = this.#settings;
    const { realtime } = config;
    const update: SessionUpdateEvent = {
      type: "session.update",
      session: {
        type: "transcription",
        audio: {
          input: {
            format: { type: "audio/pcm", rate: REALTIME_SAMPLE_RATE },
            transcription: {
              model: realtime.model,
              ...(request.languageCode !== undefined ? { language: request.languageCode } : {}),
              ...(request.prompt !== undefined ? { prompt: request.prompt } : {}),
            },
            ...(realtime.noiseReduction !== undefined ? { noise_reduction: { type: realtime.noiseReduction } } : {}),
            turn_detection: { type: "server_vad", threshold: realtime.vadThreshold, prefix_padding_ms: realtime.prefixPaddingMs, silence_duration_ms: realtime.silenceDurationMs },
          },
        },
      },
    };
    this.#open = true;
    this.#rt?.send(update);
    const queued = this.#queue;
    this.#queue = [];
    this.#queuedBytes = 0;
    for (const event of queued) this.#rt?.send(event);
  }

  /** A refused upgrade: the status maps to the error kind; the service's body (bounded, redacted) is the detail. */
  #onRefused(response: IncomingMessage): void {
    const status = response.statusCode ?? 0;
    const chunks: Buffer[] = [];
    let bytes = 0;
    let reported = false;
    const done = (): void => {
      if (reported) return;
      reported = true;
      clearTimeout(timer);
      response.destroy();
      const body = Buffer.concat(chunks).toString("utf8").trim();
      this.#fail(realtimeSocketError(`Unexpected server response: ${status}${body ? ` ${body}` : ""}`, undefined, this.#redactor, this.#settings.config.connectTimeoutMs, status));
      this.#rt?.socket.terminate();
    };
    // The body is a courtesy: a server that never ends it must not hold the error back.
    const timer = setTimeout(done, 500);
    response.on("data", (chunk: Buffer) => {
      if (bytes < MAX_REFUSAL_BODY_BYTES) chunks.push(chunk.subarray(0, MAX_REFUSAL_BODY_BYTES - bytes));
      bytes += chunk.byteLength;
    });
    response.on("end", done);
    response.on("error", done);
    response.on("close", done);
  }

  #onEvent(event: ServerEvent): void {
    if (this.#over) return;
    const itemId = textField(event, "item_id") ?? "";
    switch (event.type) {
      case "session.updated":
        clearTimeout(this.#connectTimer);
        return;
      case "input_audio_buffer.speech_started":
        return this.#emit(this.#items.speechStarted(itemId, numberField(event, "audio_start_ms") ?? 0));
      case "input_audio_buffer.speech_stopped":
        return this.#emit(this.#items.speechStopped(itemId, numberField(event, "audio_end_ms") ?? this.#sentMs));
      case "input_audio_buffer.committed":
        this.#emit(this.#items.committed(itemId, this.#sentMs));
        return this.#settleIfDone();
      case "conversation.item.input_audio_transcription.delta":
        return this.#emit(this.#items.delta(itemId, textField(event, "delta") ?? "", this.#sentMs));
      case "conversation.item.input_audio_transcription.completed":
        this.#emit(this.#items.completed(itemId, textField(event, "transcript") ?? "", this.#sentMs));
        return this.#settleIfDone();
      case "conversation.item.input_audio_transcription.failed":
        this.#items.failed(itemId);
        return this.#fail(transcriptionFailedError(event["error"] as RealtimeErrorFields | undefined, this.#redactor));
      case "error": {
        const error = (event["error"] ?? {}) as RealtimeErrorFields;
        // The final commit with too little audio: the service has nothing more to transcribe.
        if (error.code === "input_audio_buffer_commit_empty" && error.event_id === COMMIT_EVENT_ID) {
          this.#items.commitEmpty();
          return this.#settleIfDone();
        }
        return this.#fail(realtimeEventError(error, this.#redactor));
      }
      default:
        return; // events a transcription stream does not need (conversation.item.added, rate limits, ...)
    }
  }

  #settleIfDone(): void {
    if (this.#finished && !this.#over && this.#items.settled) {
      this.#over = true;
      clearTimeout(this.#connectTimer);
      this.#finished(ok(undefined));
    }
  }

  #append(pcm: Uint8Array): void {
    for (let at = 0; at < pcm.byteLength; at += MAX_APPEND_PCM_BYTES) {
      const piece = pcm.subarray(at, Math.min(pcm.byteLength, at + MAX_APPEND_PCM_BYTES));
      this.#send({ type: "input_audio_buffer.append", audio: Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength).toString("base64") });
    }
  }

  #send(event: RealtimeClientEvent): void {
    if (this.#over) return;
    if (!this.#open) {
      // Sending before the socket opens throws in the SDK: hold events until then, in order.
      this.#queue.push(event);
      this.#queuedBytes += event.type === "input_audio_buffer.append" ? event.audio.length : 64;
      return;
    }
    this.#rt?.send(event);
  }

  #saturated(): boolean {
    const saturated = this.#queuedBytes + (this.#rt?.socket.bufferedAmount ?? 0) > HIGH_WATER_BYTES;
    if (saturated && this.#drainTimer === undefined) this.#pollDrain();
    return saturated;
  }

  /** The socket has no drain event for its sender: check until it has caught up, then release the writer. */
  #pollDrain(): void {
    this.#drainTimer = setTimeout(() => {
      this.#drainTimer = undefined;
      if (this.#over) return;
      if (this.#queuedBytes + (this.#rt?.socket.bufferedAmount ?? 0) > HIGH_WATER_BYTES / 2) this.#pollDrain();
      else this.#sink?.drain();
    }, DRAIN_POLL_MS);
  }
}
