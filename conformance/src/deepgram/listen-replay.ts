import type { WebSocket } from "ws";
import type { DeepgramFaults } from "./faults.js";
import type { ObservedDeepgramConnection } from "./observed.js";
import { PcmLog } from "./observed.js";
import { heardAfter, rebaseDeepgramMessage, wireMessage, type DeepgramWireMessage, type RecordedDeepgramMessage, type RecordedDeepgramSession } from "./session-format.js";

/** Bytes of a connection's first audio compared against the recording to tell a resumed stream from a new one. */
const PROBE_BYTES = 6_400;
/** Control messages the listen endpoint accepts. */
const CONTROLS: ReadonlySet<string> = new Set(["KeepAlive", "Finalize", "CloseStream"]);

/** How one connection finds where its audio starts on the recording (0 for a new stream). */
export type LocateAudio = (connection: ObservedDeepgramConnection, probe: Uint8Array) => number;

/** What a listen replay needs from its server. */
export interface ListenReplayContext {
  readonly session: RecordedDeepgramSession;
  readonly faults: DeepgramFaults | undefined;
  readonly violations: string[];
  readonly locate: LocateAudio;
  /** Silence (no audio, no message) after which the service closes with 1011 `NET-0001`. */
  readonly idleCloseMs: number;
  /** Told of each recorded message right after it is sent. */
  readonly onSent?: (connection: ObservedDeepgramConnection, message: DeepgramWireMessage) => void;
}

/**
 * One live listen WebSocket: takes the client's audio and control messages as the service does,
 * and replays the recorded session timed against the audio received, from where the client's
 * audio starts on the recording (a client resuming after a lost connection replays from its last
 * final), with every time moved onto this connection.
 */
export class ListenReplay {
  readonly pcm = new PcmLog();
  readonly #ws: WebSocket;
  readonly #connection: ObservedDeepgramConnection;
  readonly #context: ListenReplayContext;
  readonly #bytesPerMs: number;
  #messages: RecordedDeepgramMessage[] | undefined;
  #next = 0;
  #finals = 0;
  #endOfAudio = false;
  #closeRequested = false;
  #halted = false;
  #dropArmed = false;
  #delayTimer: NodeJS.Timeout | undefined;
  readonly #idleTimer: NodeJS.Timeout;

  constructor(ws: WebSocket, connection: ObservedDeepgramConnection, context: ListenReplayContext) {
    this.#ws = ws;
    this.#connection = connection;
    this.#context = context;
    const rate = Number(connection.query["sample_rate"]);
    this.#bytesPerMs = ((Number.isFinite(rate) && rate > 0 ? rate : 16_000) * 2) / 1000;
    this.#idleTimer = setTimeout(() => this.#idleClose(), context.idleCloseMs);
    ws.on("message", (data, isBinary) => this.#receive(data as Buffer, isBinary));
    ws.on("error", () => undefined);
  }

  /** Stops sending and releases the timers. */
  stop(): void {
    this.#halted = true;
    clearTimeout(this.#delayTimer);
    clearTimeout(this.#idleTimer);
  }

  #violation(text: string): void {
    this.#context.violations.push(`connection #${this.#connection.attempt}: ${text}`);
  }

  #receivedMs(): number {
    return this.pcm.byteLength / this.#bytesPerMs;
  }

  #receive(data: Buffer, isBinary: boolean): void {
    this.#idleTimer.refresh();
    if (isBinary) return this.#audio(data);
    let message: unknown;
    try {
      message = JSON.parse(data.toString("utf8"));
    } catch {
      return this.#violation("a text frame that is not JSON");
    }
    const type = typeof (message as { type?: unknown })?.type === "string" ? (message as { type: string }).type : "";
    this.#connection.controls.push({ type, atAudioMs: Math.round(this.#receivedMs()) });
    if (!CONTROLS.has(type)) return this.#violation(`unknown control message ${JSON.stringify(type)}`);
    if (this.#closeRequested) return this.#violation(`${type} after CloseStream`);
    // Finalize flushes what was received; the recording's last messages are the answer to the end of the audio.
    if (type === "Finalize" || type === "CloseStream") this.#endOfAudio = true;
    if (type === "CloseStream") this.#closeRequested = true;
    this.#plan();
    this.#pump();
  }

  #audio(data: Buffer): void {
    if (this.#closeRequested) this.#violation("audio after CloseStream");
    if (data.byteLength % 2 !== 0) this.#violation(`an audio frame of ${data.byteLength} bytes is not whole linear16 samples`);
    this.pcm.append(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    this.#connection.audioBytes += data.byteLength;
    this.#connection.audioFrames++;
    this.#plan();
    this.#pump();
  }

  /** Chooses this connection's messages once enough audio arrived to tell where it starts on the recording. */
  #plan(): void {
    if (this.#messages) return;
    if (this.pcm.byteLength < PROBE_BYTES && !this.#endOfAudio) return;
    const baseMs = this.pcm.byteLength > 0 ? this.#context.locate(this.#connection, this.pcm.bytes().slice(0, PROBE_BYTES)) : 0;
    this.#connection.startMs = baseMs;
    const all = this.#context.session.turns[0]?.messages ?? [];
    this.#messages =
      baseMs === 0
        ? [...all]
        : all.flatMap((message) => {
            const heard = heardAfter(message, baseMs);
            return heard ? [rebaseDeepgramMessage(heard, baseMs)] : [];
          });
  }

  /** Sends every message now due, in order. */
  #pump(): void {
    const messages = this.#messages;
    if (this.#halted || !messages || this.#delayTimer) return;
    const receivedMs = this.#receivedMs();
    while (!this.#halted) {
      const message = messages[this.#next];
      if (!message) break;
      const due = this.#endOfAudio ? !(message.type === "Metadata" && !this.#closeRequested) : message.atAudioMs <= receivedMs && !message.afterEndOfAudio && message.type !== "Metadata";
      if (!due) return;
      if ((message.delayMs ?? 0) > 0 && !this.#endOfAudio) {
        this.#delayTimer = setTimeout(() => {
          this.#delayTimer = undefined;
          this.#send(message);
          this.#pump();
        }, message.delayMs);
        return;
      }
      this.#send(message);
    }
    if (this.#closeRequested && !this.#halted && this.#next >= messages.length) {
      this.#halted = true;
      this.#connection.closed = 1000;
      this.#ws.close(1000);
    }
  }

  #send(message: RecordedDeepgramMessage): void {
    if (this.#halted || this.#ws.readyState !== this.#ws.OPEN) return;
    this.#next++;
    const faults = this.#context.faults;
    const isFinal = message.type === "Results" && message["is_final"] === true;
    if (isFinal && faults?.errorAfterFinals && this.#finals >= faults.errorAfterFinals.finals) {
      this.#ws.send(JSON.stringify({ type: "Error", description: faults.errorAfterFinals.description, message: "", variant: faults.errorAfterFinals.code ?? "" }));
      return this.#close(1011, "NET-0000: internal server error");
    }
    if (this.#dropArmed && message.type === "Results") {
      this.#ws.send(JSON.stringify(wireMessage(message)));
      return this.#drop();
    }
    const wire = wireMessage(message);
    this.#ws.send(JSON.stringify(wire));
    this.#context.onSent?.(this.#connection, wire);
    if (!isFinal) return;
    this.#finals++;
    if (faults?.dropAfterFinals !== undefined && this.#finals >= faults.dropAfterFinals) this.#dropArmed = true;
    if (faults?.closeAfterFinals && this.#finals >= faults.closeAfterFinals.finals) this.#close(faults.closeAfterFinals.code, faults.closeAfterFinals.reason);
    else if (faults?.stallAfterFinals !== undefined && this.#finals >= faults.stallAfterFinals) this.#halted = true;
    else if (faults?.malformedAfterFinals !== undefined && this.#finals >= faults.malformedAfterFinals) {
      this.#ws.send("{\"type\": \"Results\", this is not JSON");
      this.#halted = true;
    }
  }

  #close(code: number, reason: string): void {
    this.#halted = true;
    this.#connection.closed = code;
    this.#ws.close(code, reason);
  }

  #idleClose(): void {
    if (this.#ws.readyState !== this.#ws.OPEN) return;
    this.#close(1011, "NET-0001: Deepgram did not receive audio data or a text message within the timeout window.");
  }

  #drop(): void {
    this.#halted = true;
    this.#connection.closed = "dropped";
    this.#ws.terminate();
  }
}
