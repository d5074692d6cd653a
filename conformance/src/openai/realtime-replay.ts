/**
 * The per-connection half of the local OpenAI server's Realtime side: one live WebSocket, read as
 * the SDK's realtime client speaks it (JSON client events), replaying the recorded session's
 * server events timed against the audio received, with the faults planned for this connection.
 *
 * @module
 */
import { createHash } from "node:crypto";
import type { WebSocket } from "ws";
import type { OpenAIRealtimeFaults } from "./faults.js";
import type { ObservedRealtimeConnection } from "./observed.js";
import { realtimeMessages, type OpenAIServerEvent, type RecordedOpenAIMessage, type RecordedOpenAISession } from "./session-format.js";

/** The only input format a transcription session takes: PCM16 mono at 24 kHz. */
export const REALTIME_SAMPLE_RATE = 24_000;
const BYTES_PER_MS = (REALTIME_SAMPLE_RATE * 2) / 1000;
/** The service refuses to commit less audio than this (`input_audio_buffer_commit_empty`). */
const MIN_COMMIT_MS = 100;
/** Transcription models a Realtime transcription session takes. */
export const OPENAI_REALTIME_MODELS: ReadonlySet<string> = new Set(["whisper-1", "gpt-4o-transcribe", "gpt-4o-mini-transcribe"]);
/** The most bytes one client event may have (the API's limit for an append is 15 MiB of base64). */
const MAX_CLIENT_EVENT_BYTES = 16 * 1024 * 1024;
/** Session-level events of a recording: the replay answers the client's own `session.update` instead. */
const SESSION_EVENTS = new Set(["session.created", "session.updated", "transcription_session.created", "transcription_session.updated"]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** One live Realtime connection: checks what the client sends and replays the session. */
export class RealtimeReplay {
  readonly #ws: WebSocket;
  readonly #connection: ObservedRealtimeConnection;
  readonly #session: RecordedOpenAISession;
  readonly #faults: OpenAIRealtimeFaults | undefined;
  readonly #violations: string[];
  readonly #keepPcm: boolean;
  #messages: readonly RecordedOpenAIMessage[];
  /** Where each VAD commit of the recording closed the buffer (`speech_stopped.audio_end_ms`), ascending. */
  readonly #vadBoundaries: readonly number[];
  #next = 0;
  #configured = false;
  #endOfAudio = false;
  #manualBoundaryMs = 0;
  #timer: NodeJS.Timeout | undefined;
  #sending = false;
  #halted = false;
  #finals = 0;
  #dropArmed = false;
  #failArmed = false;
  #events = 0;
  #generatedItems = 0;
  readonly #onSent: ((event: OpenAIServerEvent, sentAt: number) => void) | undefined;

  constructor(
    ws: WebSocket,
    connection: ObservedRealtimeConnection,
    session: RecordedOpenAISession,
    faults: OpenAIRealtimeFaults | undefined,
    violations: string[],
    keepPcm: boolean,
    onSent?: (event: OpenAIServerEvent, sentAt: number) => void,
  ) {
    this.#onSent = onSent;
    this.#ws = ws;
    this.#connection = connection;
    this.#session = session;
    this.#faults = faults;
    this.#violations = violations;
    this.#keepPcm = keepPcm;
    this.#messages = realtimeMessages(session).filter((message) => !SESSION_EVENTS.has(message.event.type));
    this.#vadBoundaries = this.#messages.flatMap(({ event }) =>
      event.type === "input_audio_buffer.speech_stopped" && typeof event["audio_end_ms"] === "number" ? [event["audio_end_ms"] as number] : [],
    );
    this.#failArmed = faults?.failedAfterFinals === 0;
    ws.on("message", (data, isBinary) => this.#receive(data as Buffer, isBinary));
    ws.on("error", () => undefined);
    this.#emit({
      type: "session.created",
      session: { type: "transcription", object: "realtime.transcription_session", id: `sess_${connection.attempt}`, audio: { input: this.#effectiveInput(undefined) } },
    });
  }

  /** Stops replaying (the server is closing or the socket is gone). */
  stop(): void {
    this.#halted = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #violation(text: string): void {
    this.#violations.push(`connection #${this.#connection.attempt}: ${text}`);
  }

  #eventId(): string {
    return `event_${createHash("md5").update(`${this.#connection.attempt}/${this.#events++}`).digest("hex").slice(0, 20)}`;
  }

  #emit(event: Omit<OpenAIServerEvent, "event_id"> & { event_id?: string }): void {
    if (this.#ws.readyState !== this.#ws.OPEN) return;
    this.#ws.send(JSON.stringify({ event_id: this.#eventId(), ...event }));
  }

  #error(code: string, message: string, clientEventId: unknown, type = "invalid_request_error"): void {
    this.#emit({ type: "error", error: { type, code, message, param: null, event_id: typeof clientEventId === "string" ? clientEventId : null } });
  }

  #receive(data: Buffer, isBinary: boolean): void {
    if (isBinary) return this.#violation("a binary frame (the API takes JSON text events)");
    if (data.byteLength > MAX_CLIENT_EVENT_BYTES) return this.#violation(`a client event of ${data.byteLength} bytes (over the API's limit)`);
    let event: unknown;
    try {
      event = JSON.parse(data.toString("utf8"));
    } catch {
      this.#violation("a text frame that is not JSON");
      return this.#error("invalid_json", "The server could not parse the event as JSON.", undefined);
    }
    if (!isRecord(event) || typeof event["type"] !== "string") {
      this.#violation("a client event without a type");
      return this.#error("invalid_value", "Client events must have a type.", undefined);
    }
    switch (event["type"]) {
      case "session.update":
        return this.#sessionUpdate(event);
      case "input_audio_buffer.append":
        return this.#append(event);
      case "input_audio_buffer.commit":
        return this.#commit(event);
      case "input_audio_buffer.clear":
        return this.#violation("input_audio_buffer.clear (a transcription stream never discards audio)");
      default:
        this.#violation(`unexpected client event ${String(event["type"])}`);
        return this.#error("invalid_value", `Invalid value: '${String(event["type"])}'.`, event["event_id"]);
    }
  }

  /** The input configuration in force after an update (the recorded VAD unless the client set its own). */
  #effectiveInput(input: Record<string, unknown> | undefined): Record<string, unknown> {
    const vad = this.#session.request.realtime.turnDetection;
    return {
      format: { type: "audio/pcm", rate: REALTIME_SAMPLE_RATE },
      transcription: { model: this.#session.request.realtime.model },
      noise_reduction: null,
      turn_detection: { type: "server_vad", threshold: vad.threshold, prefix_padding_ms: vad.prefixPaddingMs, silence_duration_ms: vad.silenceDurationMs },
      ...(input ?? {}),
    };
  }

  #sessionUpdate(event: Record<string, unknown>): void {
    this.#connection.sessionUpdates.push(event);
    const session = event["session"];
    const input = isRecord(session) && isRecord(session["audio"]) && isRecord(session["audio"]["input"]) ? session["audio"]["input"] : undefined;
    if (!isRecord(session) || session["type"] !== "transcription") this.#violation('session.update without session.type "transcription"');
    if (!input) {
      this.#violation("session.update without session.audio.input");
    } else {
      const format = input["format"];
      if (!isRecord(format) || format["type"] !== "audio/pcm" || format["rate"] !== REALTIME_SAMPLE_RATE) {
        this.#violation(`input format ${JSON.stringify(format)} (a transcription session takes { type: "audio/pcm", rate: 24000 })`);
      }
      const transcription = input["transcription"];
      const model = isRecord(transcription) ? transcription["model"] : undefined;
      if (typeof model !== "string" || !OPENAI_REALTIME_MODELS.has(model)) {
        this.#violation(`transcription model ${JSON.stringify(model)}`);
        return this.#error("invalid_value", `Invalid transcription model ${JSON.stringify(model)}.`, event["event_id"]);
      }
      const language = isRecord(transcription) ? transcription["language"] : undefined;
      if (language !== undefined && (typeof language !== "string" || !/^[a-z]{2,3}$/.test(language))) this.#violation(`transcription language ${JSON.stringify(language)} (ISO 639-1 expected)`);
      const prompt = isRecord(transcription) ? transcription["prompt"] : undefined;
      if (prompt !== undefined && typeof prompt !== "string") this.#violation("transcription prompt is not a string");
      const noise = input["noise_reduction"];
      if (noise !== undefined && noise !== null && !(isRecord(noise) && (noise["type"] === "near_field" || noise["type"] === "far_field"))) {
        this.#violation(`noise_reduction ${JSON.stringify(noise)}`);
      }
      this.#checkTurnDetection(input["turn_detection"]);
    }
    this.#configured = true;
    this.#emit({ type: "session.updated", session: { type: "transcription", object: "realtime.transcription_session", id: `sess_${this.#connection.attempt}`, audio: { input: this.#effectiveInput(input) } } });
    this.#pump();
  }

  /** The replay's timing is the recording's: a client asking for other VAD settings would not get what the service would send. */
  #checkTurnDetection(value: unknown): void {
    const recorded = this.#session.request.realtime.turnDetection;
    if (!isRecord(value) || value["type"] !== "server_vad") return this.#violation(`turn_detection ${JSON.stringify(value)} (the session was recorded with server_vad)`);
    const asked: Array<[string, number]> = [
      ["threshold", recorded.threshold],
      ["prefix_padding_ms", recorded.prefixPaddingMs],
      ["silence_duration_ms", recorded.silenceDurationMs],
    ];
    for (const [key, want] of asked) {
      if (value[key] !== undefined && value[key] !== want) this.#violation(`turn_detection.${key} ${JSON.stringify(value[key])}, but the session was recorded with ${want}`);
    }
  }

  #append(event: Record<string, unknown>): void {
    const audio = event["audio"];
    if (!this.#configured) this.#violation("audio appended before session.update");
    if (this.#endOfAudio) this.#violation("audio appended after the final commit");
    if (typeof audio !== "string" || !/^[A-Za-z0-9+/]*={0,2}$/.test(audio)) return this.#violation("input_audio_buffer.append without base64 audio");
    const pcm = Buffer.from(audio, "base64");
    if (pcm.byteLength % 2 !== 0) this.#violation("appended audio is not whole 16-bit samples");
    this.#connection.appends++;
    this.#connection.audioBytes += pcm.byteLength;
    if (this.#keepPcm) this.#connection.pcm.push(new Uint8Array(pcm));
    this.#pump();
  }

  #receivedMs(): number {
    return this.#connection.audioBytes / BYTES_PER_MS;
  }

  /**
   * The client's commit: the end of its audio. Less than 100 ms since the last commit is the
   * service's `input_audio_buffer_commit_empty` error; otherwise the recording's events held for
   * the end of the audio go out, or, when it has none, the service's answer to audio without speech
   * (a committed item with an empty transcript).
   */
  #commit(event: Record<string, unknown>): void {
    this.#connection.commits++;
    const receivedMs = this.#receivedMs();
    const vadBoundary = this.#vadBoundaries.filter((at) => at <= receivedMs).at(-1) ?? 0;
    const boundary = Math.max(vadBoundary, this.#manualBoundaryMs);
    const buffered = receivedMs - boundary;
    if (buffered < MIN_COMMIT_MS) {
      return this.#error(
        "input_audio_buffer_commit_empty",
        `Error committing input audio buffer: buffer too small. Expected at least ${MIN_COMMIT_MS}ms of audio, but buffer only has ${buffered.toFixed(2)}ms of audio.`,
        event["event_id"],
      );
    }
    this.#manualBoundaryMs = receivedMs;
    this.#endOfAudio = true;
    const held = this.#messages.slice(this.#next).some((message) => message.afterEndOfAudio);
    if (!held) {
      const itemId = `item_generated_${this.#generatedItems++}`;
      this.#messages = [
        ...this.#messages,
        { atAudioMs: receivedMs, afterEndOfAudio: true, event: { type: "input_audio_buffer.committed", item_id: itemId, previous_item_id: null } },
        { atAudioMs: receivedMs, afterEndOfAudio: true, event: { type: "conversation.item.input_audio_transcription.completed", item_id: itemId, content_index: 0, transcript: "", usage: { type: "tokens", input_tokens: 1, output_tokens: 1, total_tokens: 2 } } },
      ];
    }
    this.#pump();
  }

  /** Sends every event now due, in order; a delayed event holds back the ones after it (no delays once the audio has ended). */
  #pump(): void {
    while (!this.#halted && !this.#sending) {
      const message = this.#messages[this.#next];
      if (!message) return;
      if (!this.#endOfAudio && (message.atAudioMs > this.#receivedMs() || message.afterEndOfAudio)) return;
      const delay = message.delayMs ?? 0;
      if (delay > 0 && !this.#endOfAudio) {
        this.#sending = true;
        this.#timer = setTimeout(() => {
          this.#timer = undefined;
          this.#sending = false;
          this.#send(message);
          this.#pump();
        }, delay);
        return;
      }
      this.#send(message);
    }
  }

  #send(message: RecordedOpenAIMessage): void {
    if (this.#halted) return;
    if (this.#ws.readyState !== this.#ws.OPEN) {
      this.stop(); // the client is gone: nothing more to send
      return;
    }
    this.#next++;
    const { event } = message;
    const faults = this.#faults;
    if (faults?.errorAfterFinals && this.#finals >= faults.errorAfterFinals.finals) {
      this.#emit({ type: "error", error: { ...faults.errorAfterFinals.error, param: null, event_id: null } });
      this.#halted = true;
      return;
    }
    if (this.#dropArmed && (event.type === "input_audio_buffer.speech_started" || event.type === "input_audio_buffer.committed")) {
      this.#ws.send(JSON.stringify(event));
      this.#halted = true;
      this.#connection.closed = "dropped";
      this.#ws.terminate();
      return;
    }
    if (event.type === "conversation.item.input_audio_transcription.completed" && this.#failArmed) {
      this.#failArmed = false;
      this.#ws.send(
        JSON.stringify({
          type: "conversation.item.input_audio_transcription.failed",
          event_id: event["event_id"] ?? this.#eventId(),
          item_id: event["item_id"],
          content_index: 0,
          error: { type: "transcription_error", code: "audio_unintelligible", message: "Audio could not be transcribed.", param: null },
        }),
      );
      return;
    }
    this.#ws.send(JSON.stringify(event));
    this.#onSent?.(event, performance.now());
    if (event.type !== "conversation.item.input_audio_transcription.completed" || typeof event["transcript"] !== "string" || event["transcript"].trim() === "") return;
    this.#finals++;
    if (faults?.dropAfterFinals !== undefined && this.#finals >= faults.dropAfterFinals) this.#dropArmed = true;
    if (faults?.failedAfterFinals !== undefined && this.#finals === faults.failedAfterFinals) this.#failArmed = true;
    if (faults?.stallAfterFinals !== undefined && this.#finals >= faults.stallAfterFinals) this.#halted = true;
    else if (faults?.malformedAfterFinals !== undefined && this.#finals >= faults.malformedAfterFinals) {
      this.#ws.send("this is not a JSON event");
      this.#halted = true;
    }
  }
}
