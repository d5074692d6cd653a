/**
 * The per-connection half of the local Azure protocol server: one live WebSocket, parsed as the
 * SDK speaks USP, replaying the recorded session's current turn timed against the audio received,
 * with the faults planned for this connection.
 *
 * @module
 */
import type { WebSocket } from "ws";
import type { AzureFaults } from "./faults.js";
import type { ObservedConnection, ObservedTurn } from "./observed.js";
import { keepTurnAudio, turnAudioRange } from "./turn-audio.js";
import { rebaseMessage, ReplayProgress } from "./replay-progress.js";
import type { RecordedAzureMessage, RecordedAzureSession } from "./session-format.js";
import { formatServiceMessage, parseBinaryFrame, parseRiffHeader, parseTextFrame, type ClientMessage } from "./usp.js";

/** What the service sends for a turn with nothing left to recognise: it opens, then closes at the end of the audio. */
const SILENT_TURN: readonly RecordedAzureMessage[] = [
  { path: "turn.start", atAudioMs: 0, body: { context: { serviceTag: "00000000000000000000000000000000" } } },
  { path: "turn.end", atAudioMs: 0, afterEndOfAudio: true, body: {} },
];

/** Where a resumed stream picks up: the progress it continues, and where its audio starts on the recording. */
export interface Continuation {
  /** The progress of the stream it continues. */
  readonly progress: ReplayProgress;
  /** Where its first audio byte sits on the recording's time line, in ms. */
  readonly baseMs: number;
}

/** Bytes of a fresh recognizer's first audio compared against earlier streams to detect a resume. */
const CONTINUATION_PROBE_BYTES = 3200;

/** A recorded message as it will be sent in this turn, with the recording's original. */
interface ReplayEntry {
  /** Rebased onto the current turn. */
  readonly message: RecordedAzureMessage;
  /** As recorded. */
  readonly original: RecordedAzureMessage;
  /** Index in the recorded turn. */
  readonly index: number;
}

/** One live WebSocket: parses what the SDK sends and replays the session's current turn. */
export class ConnectionReplay {
  readonly #ws: WebSocket;
  readonly #connection: ObservedConnection;
  readonly #session: RecordedAzureSession;
  #progress: ReplayProgress;
  readonly #continuation: ((firstPcm: Uint8Array) => Continuation | undefined) | undefined;
  #planned = false;
  readonly #faults: AzureFaults | undefined;
  readonly #violations: string[];
  #contextRequestId: string | undefined;
  #turn: ObservedTurn | undefined;
  /** Messages of the turn being replayed, rebased; `#next` indexes the next to send. */
  #messages: ReplayEntry[] = [];
  #next = 0;
  #bytesPerMs = 32;
  #timer: NodeJS.Timeout | undefined;
  #sending = false;
  #halted = false;
  #dropArmed = false;
  #turnsEnded = 0;
  readonly #retainAudioMs: number;

  constructor(
    ws: WebSocket,
    connection: ObservedConnection,
    session: RecordedAzureSession,
    progress: ReplayProgress,
    faults: AzureFaults | undefined,
    violations: string[],
    continuation: ((firstPcm: Uint8Array) => Continuation | undefined) | undefined,
    retainAudioMs: number,
  ) {
    this.#continuation = continuation;
    this.#retainAudioMs = retainAudioMs;
    this.#ws = ws;
    this.#connection = connection;
    this.#session = session;
    this.#progress = progress;
    this.#faults = faults;
    this.#violations = violations;
    ws.on("message", (data, isBinary) => this.#receive(data as Buffer, isBinary));
    ws.on("error", () => undefined);
  }

  stop(): void {
    this.#halted = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #violation(text: string): void {
    this.#violations.push(`connection #${this.#connection.attempt}: ${text}`);
  }

  #receive(data: Buffer, isBinary: boolean): void {
    const message = isBinary ? parseBinaryFrame(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)) : parseTextFrame(data.toString("utf8"));
    if (!message) return this.#violation(`unparseable ${isBinary ? "binary" : "text"} frame`);
    if (message.path === "speech.config") this.#connection.speechConfig = this.#json(message);
    else if (message.path === "speech.context") {
      this.#connection.speechContexts.push(this.#json(message));
      this.#contextRequestId = message.headers["x-requestid"];
    } else if (message.path === "audio") this.#audio(message);
  }

  #json(message: ClientMessage): unknown {
    try {
      return JSON.parse(typeof message.body === "string" ? message.body : new TextDecoder().decode(message.body));
    } catch {
      this.#violation(`${message.path} body is not JSON`);
      return undefined;
    }
  }

  #audio(message: ClientMessage): void {
    const requestId = message.headers["x-requestid"];
    const payload = message.body as Uint8Array;
    if (!requestId) return this.#violation("audio frame without X-RequestId");
    if (payload.byteLength === 0 && this.#faults?.dropOnEndOfAudio) {
      if (this.#turn) this.#turn.endOfAudio = true;
      return this.#drop();
    }
    if (!this.#turn || this.#turn.requestId !== requestId) {
      if (this.#contextRequestId !== undefined && this.#contextRequestId !== requestId) {
        this.#violation("audio X-RequestId differs from the speech.context that opened the turn");
      }
      this.#startTurn(requestId, payload);
      return;
    }
    const turn = this.#turn;
    if (payload.byteLength === 0) turn.endOfAudio = true;
    else this.#keep(turn, payload);
    this.#planWhenReady();
    this.#pump();
  }

  /** A fresh recognizer's turn is planned once enough audio arrived to tell a resume from a new stream. */
  #planWhenReady(): void {
    const turn = this.#turn;
    if (this.#planned || !turn) return;
    const probing = this.#continuation !== undefined && this.#turnsEnded === 0;
    if (probing && turn.pcmBytes < CONTINUATION_PROBE_BYTES && !turn.endOfAudio) return;
    this.#planned = true;
    const found = probing && turn.pcmBytes > 0 ? this.#continuation?.(this.#firstPcm(CONTINUATION_PROBE_BYTES)) : undefined;
    if (found) {
      this.#progress = found.progress;
      this.#plan(found.baseMs, found.progress.resumeAt);
    } else {
      const resuming = this.#progress.resumeAt > 0 && this.#turnsEnded === 0;
      this.#plan(resuming ? this.#progress.lastPhraseEndMs : 0, resuming ? this.#progress.resumeAt : 0);
    }
  }

  #firstPcm(bytes: number): Uint8Array {
    return turnAudioRange(this.#turn as ObservedTurn, 0, bytes);
  }

  #keep(turn: ObservedTurn, payload: Uint8Array): void {
    keepTurnAudio(turn, payload, Math.ceil(this.#retainAudioMs * this.#bytesPerMs));
  }

  #startTurn(requestId: string, firstPayload: Uint8Array): void {
    const turn: ObservedTurn = { requestId, pcm: [], pcmBytes: 0, pcmDroppedBytes: 0, endOfAudio: false, startMs: 0 };
    this.#connection.turns.push(turn);
    this.#turn = turn;
    const riff = parseRiffHeader(firstPayload);
    // A turn the SDK opens after the audio has ended carries only the empty end-of-audio frame.
    if (firstPayload.byteLength === 0) turn.endOfAudio = true;
    else if (!riff) this.#violation("a turn's first audio frame is not a RIFF header");
    else {
      turn.format = riff;
      if (riff.encoding !== 1 || riff.bitsPerSample !== 16) this.#violation(`audio is not 16-bit PCM (${JSON.stringify(riff)})`);
      this.#bytesPerMs = (riff.sampleRate * riff.channels * 2) / 1000;
      const extra = firstPayload.subarray(44);
      if (extra.byteLength > 0) this.#keep(turn, extra);
    }
    this.#planned = false;
    this.#messages = [];
    this.#next = 0;
    if (this.#faults?.stall) this.#halt();
    this.#planWhenReady();
    this.#pump();
  }

  /**
   * Chooses the messages of this turn: a new turn on the same socket continues the recording with
   * its next turn; a resumed stream continues the interrupted turn after the last delivered
   * phrase, with positions and offsets rebased onto the audio this turn starts with.
   */
  #plan(baseMs: number, startIndex: number): void {
    // Once the recording's turns are used up, the service only has silence left to report.
    const all = this.#session.turns[this.#turnsEnded]?.messages ?? SILENT_TURN;
    const resuming = startIndex > 0;
    if (this.#turn) this.#turn.startMs = baseMs;
    this.#messages = [];
    const turnStart = all.findIndex((message) => message.path === "turn.start");
    if (resuming && turnStart >= 0) {
      const original = all[turnStart] as RecordedAzureMessage;
      this.#messages.push({ message: { ...original, atAudioMs: 0 }, original, index: turnStart });
    }
    all.forEach((original, index) => {
      if (index >= startIndex && !(resuming && index === turnStart)) {
        this.#messages.push({ message: rebaseMessage(original, baseMs), original, index });
      }
    });
    this.#next = 0;
  }

  /** Sends every message now due, in order; a message with a delay holds back the ones after it. */
  #pump(): void {
    if (this.#halted || this.#sending || !this.#turn) return;
    const turn = this.#turn;
    const receivedMs = turn.pcmBytes / this.#bytesPerMs;
    const entry = this.#messages[this.#next];
    if (!entry) return;
    if (!turn.endOfAudio && (entry.message.atAudioMs > receivedMs || entry.message.afterEndOfAudio)) return;
    const delay = entry.message.delayMs ?? 0;
    if (delay > 0 && !turn.endOfAudio) {
      this.#sending = true;
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        this.#sending = false;
        this.#send(entry);
        this.#pump();
      }, delay);
      return;
    }
    this.#send(entry);
    this.#pump();
  }

  #send(entry: ReplayEntry): void {
    if (this.#halted || !this.#turn || this.#ws.readyState !== this.#ws.OPEN) return;
    this.#next++;
    const { message } = entry;
    const faults = this.#faults;
    if (message.path === "speech.phrase" && faults?.statusAfterPhrases && this.#progress.phrasesDelivered >= faults.statusAfterPhrases.phrases) {
      this.#write("speech.phrase", { RecognitionStatus: faults.statusAfterPhrases.status, Offset: 0, Duration: 0 });
      this.#halt();
      return;
    }
    if (message.path === "speech.hypothesis" && this.#dropArmed) {
      this.#write(message.path, message.body);
      this.#drop();
      return;
    }
    if (message.path === "turn.end" && this.#dropArmed) {
      this.#drop();
      return;
    }
    this.#write(message.path, this.#speakers(message));
    if (message.path === "speech.endDetected") this.#progress.endOfSpeechDelivered(entry.index);
    if (message.path === "turn.end") {
      this.#turnsEnded++;
      this.#turn = undefined;
      return;
    }
    if (message.path !== "speech.phrase") return;
    this.#progress.phraseDelivered(entry.index, entry.original);
    this.#connection.phraseEndsMs.push(this.#progress.lastPhraseEndMs);
    const delivered = this.#progress.phrasesDelivered;
    if (faults?.dropAfterPhrases !== undefined && delivered >= faults.dropAfterPhrases) this.#dropArmed = true;
    if (faults?.closeAfterPhrases && delivered >= faults.closeAfterPhrases.phrases) {
      this.#halt();
      this.#ws.close(faults.closeAfterPhrases.code);
    } else if (faults?.stallAfterPhrases !== undefined && delivered >= faults.stallAfterPhrases) {
      this.#halt();
    } else if (faults?.malformedAfterPhrases !== undefined && delivered >= faults.malformedAfterPhrases) {
      this.#ws.send("this is not a USP message");
      this.#halt();
    }
  }

  /**
   * Speaker labels as the service gives them: on phrases and hypotheses only when the client's
   * `speech.context` asked for speaker diarization (the SDK's conversation transcriber does), then
   * always (`Unknown` when the recording names none); never otherwise.
   */
  #speakers(message: RecordedAzureMessage): unknown {
    const body = message.body;
    if ((message.path !== "speech.phrase" && message.path !== "speech.hypothesis") || typeof body !== "object" || body === null) return body;
    const { SpeakerId, ...rest } = body as { SpeakerId?: unknown };
    if (!this.#diarizing()) return rest;
    return { ...rest, SpeakerId: typeof SpeakerId === "string" ? SpeakerId : "Unknown" };
  }

  /** Whether the latest `speech.context` asked for speaker diarization. */
  #diarizing(): boolean {
    const context = this.#connection.speechContexts.at(-1) as { phraseDetection?: { speakerDiarization?: unknown } } | undefined;
    return typeof context?.phraseDetection?.speakerDiarization === "object" && context.phraseDetection.speakerDiarization !== null;
  }

  #write(path: string, body: unknown): void {
    this.#ws.send(formatServiceMessage(path, (this.#turn as ObservedTurn).requestId, body));
  }

  /** A fault stops this connection's replay: the connection counts as failed (see `ObservedConnection.faulted`). */
  #halt(): void {
    this.#halted = true;
    this.#connection.faulted = true;
  }

  #drop(): void {
    this.#halt();
    this.#connection.closed = "dropped";
    this.#ws.terminate();
  }
}
