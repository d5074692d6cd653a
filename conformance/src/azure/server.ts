import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import type { WebSocket } from "ws";
import { faultsForAttempt, type AzureFaults } from "./faults.js";
import { LoopbackWebSocketHost, RECOGNITION_PATH } from "./loopback-host.js";
import { rebaseMessage, ReplayProgress, TICKS_PER_MS } from "./replay-progress.js";
import { RECORDED_SESSION_FORMAT, type RecordedAzureMessage, type RecordedAzureSession } from "./session-format.js";
import { formatServiceMessage, parseBinaryFrame, parseRiffHeader, parseTextFrame, type ClientMessage } from "./usp.js";

const ACCEPTED_PATHS = new Set([
  RECOGNITION_PATH,
  "/speech/recognition/interactive/cognitiveservices/v1",
  "/speech/recognition/dictation/cognitiveservices/v1",
  "/speech/universal/v2",
]);

/** The audio format the SDK declared in a turn's RIFF header. */
export interface ObservedAudioFormat {
  /** WAVE format tag (1 = PCM). */
  readonly encoding: number;
  /** Sample rate in Hz. */
  readonly sampleRate: number;
  /** Channel count. */
  readonly channels: number;
  /** Bits per sample. */
  readonly bitsPerSample: number;
}

/** One recognition turn the SDK opened on a connection. */
export interface ObservedTurn {
  /** The turn's `X-RequestId`. */
  readonly requestId: string;
  /** The RIFF header's format, once received. */
  format?: ObservedAudioFormat;
  /** PCM received in this turn, in arrival order (the RIFF header excluded). */
  readonly pcm: Uint8Array[];
  /** Bytes of PCM received in this turn. */
  pcmBytes: number;
  /** Whether the SDK sent the empty end-of-audio frame. */
  endOfAudio: boolean;
  /** Where this turn's first audio byte sits on the recording's time line, in ms (non-zero when resumed). */
  startMs: number;
}

/** Everything the server saw of one WebSocket connection attempt. */
export interface ObservedConnection {
  /** 0-based attempt number across the server's life. */
  readonly attempt: number;
  /** Request path of the upgrade. */
  readonly path: string;
  /** Query parameters of the upgrade (`language` or `cid`, `format`, `profanity`, ...). */
  readonly query: Readonly<Record<string, string>>;
  /** Upgrade request headers, names lower-cased. */
  readonly headers: Readonly<Record<string, string>>;
  /** The SDK's `X-ConnectionId` (same across its reconnects). */
  readonly connectionId: string | undefined;
  /** The HTTP status the upgrade was refused with, when a fault refused it. */
  refusedWith?: number;
  /** The parsed `speech.config` body. */
  speechConfig?: unknown;
  /** Every parsed `speech.context` body, in order. */
  readonly speechContexts: unknown[];
  /** The turns, in order. */
  readonly turns: ObservedTurn[];
  /** How the socket ended: a close code, or `"dropped"` when the server cut it. */
  closed?: number | "dropped";
}

/** What {@link startAzureReplayServer} serves. */
export interface AzureReplayServerOptions {
  /** The recorded session to replay, or a function choosing one per connection (e.g. by language). */
  readonly session: RecordedAzureSession | ((connection: ObservedConnection) => RecordedAzureSession | undefined);
  /** Faults to inject (see {@link AzureFaults}). */
  readonly faults?: AzureFaults;
  /** When set, a connection without this subscription key is refused with HTTP 401. */
  readonly expectedKey?: string;
  /**
   * The PCM of the recording the session was made from. With it, a stream whose audio starts
   * inside the recording rather than at its beginning (a failover target receiving the audio
   * another service had not yet transcribed) is recognised from there, as the service would,
   * instead of from the first phrase.
   */
  readonly recording?: Uint8Array;
}

/** A running local Azure Speech protocol server. */
export interface AzureReplayServer {
  /** `ws://127.0.0.1:PORT`, for the SDK's `SpeechConfig.fromHost` (the adapter's `host`). */
  readonly host: string;
  /** The full recognition URL, for `SpeechConfig.fromEndpoint` (the adapter's `endpoint`). */
  readonly endpoint: string;
  /** Every connection attempt, in order. */
  readonly connections: readonly ObservedConnection[];
  /** Protocol problems in what the SDK sent; a conforming client leaves this empty. */
  readonly violations: readonly string[];
  /** Replaces the faults for connections from now on (attempts are counted from this call). */
  setFaults(faults: AzureFaults | undefined): void;
  /** Concatenated PCM of one turn of one connection, for comparison with the audio sent. */
  pcmOf(connection: ObservedConnection, turn?: number): Uint8Array;
  /** Closes every socket and the server; resolves when all is released. */
  close(): Promise<void>;
}

/**
 * Starts a WebSocket server on 127.0.0.1 (ephemeral port) that the real, unmodified Azure Speech
 * SDK connects to. It checks what the SDK sends, replays a recorded session timed against the
 * audio it has actually received, survives the SDK's reconnects without delivering a phrase
 * twice, and injects faults on request.
 */
export async function startAzureReplayServer(options: AzureReplayServerOptions): Promise<AzureReplayServer> {
  const server = new ReplayServer(options);
  await server.listen();
  return server;
}

class ReplayServer implements AzureReplayServer {
  readonly connections: ObservedConnection[] = [];
  readonly violations: string[] = [];
  readonly #options: AzureReplayServerOptions;
  readonly #loopback = new LoopbackWebSocketHost((request, socket, head) => this.#upgrade(request, socket, head));
  readonly #progress = new Map<string, ReplayProgress>();
  readonly #sessions = new Set<ConnectionReplay>();
  #faults: AzureFaults | undefined;
  #faultAttemptBase = 0;
  #closed = false;

  constructor(options: AzureReplayServerOptions) {
    this.#options = options;
    this.#faults = options.faults;
    if (typeof options.session !== "function" && options.session.format !== RECORDED_SESSION_FORMAT) {
      throw new Error(`not a ${RECORDED_SESSION_FORMAT} session`);
    }
  }

  get host(): string {
    return this.#loopback.host;
  }

  get endpoint(): string {
    return this.#loopback.endpoint;
  }

  listen(): Promise<void> {
    return this.#loopback.listen();
  }

  setFaults(faults: AzureFaults | undefined): void {
    this.#faults = faults;
    this.#faultAttemptBase = this.connections.length;
  }

  pcmOf(connection: ObservedConnection, turn = 0): Uint8Array {
    const chunks = connection.turns[turn]?.pcm ?? [];
    const out = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0));
    let at = 0;
    for (const chunk of chunks) {
      out.set(chunk, at);
      at += chunk.byteLength;
    }
    return out;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const session of this.#sessions) session.stop();
    await this.#loopback.close();
  }

  #upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(request.url ?? "/", "ws://127.0.0.1");
    const query = Object.fromEntries(url.searchParams.entries());
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) {
      if (typeof value === "string") headers[name.toLowerCase()] = value;
    }
    const connection: ObservedConnection = {
      attempt: this.connections.length,
      path: url.pathname,
      query,
      headers,
      connectionId: query["X-ConnectionId"] ?? headers["x-connectionid"],
      speechContexts: [],
      turns: [],
    };
    this.connections.push(connection);
    const faults = faultsForAttempt(this.#faults, connection.attempt - this.#faultAttemptBase);
    const refuse = (status: number): void => {
      connection.refusedWith = status;
      socket.end(`HTTP/1.1 ${status} Refused\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    this.#checkUpgrade(connection);
    if (faults?.refuseUpgrade !== undefined) return refuse(faults.refuseUpgrade);
    const key = query["Ocp-Apim-Subscription-Key"] ?? headers["ocp-apim-subscription-key"];
    if (this.#options.expectedKey !== undefined && key !== this.#options.expectedKey) return refuse(401);
    const session = typeof this.#options.session === "function" ? this.#options.session(connection) : this.#options.session;
    if (!session) return refuse(400);
    this.#loopback.wss.handleUpgrade(request, socket, head, (ws) => {
      const progressKey = connection.connectionId ?? `attempt-${connection.attempt}`;
      const known = this.#progress.get(progressKey);
      const progress = known ?? new ReplayProgress();
      this.#progress.set(progressKey, progress);
      const continuation = known
        ? undefined
        : (firstPcm: Uint8Array): Continuation | undefined => {
            const found = this.#findContinuation(connection, firstPcm);
            if (found) this.#progress.set(progressKey, found.progress);
            return found;
          };
      const replay = new ConnectionReplay(ws, connection, session, progress, faults, this.violations, continuation);
      this.#sessions.add(replay);
      ws.on("close", (code) => {
        if (connection.closed === undefined) connection.closed = code;
        replay.stop();
        this.#sessions.delete(replay);
      });
    });
  }

  /**
   * A new recognizer whose audio starts inside audio an earlier connection received is a client
   * resuming a stream after a failure (the adapter replays from the last final it got): like the
   * service, recognise it from there, so phrases already delivered are not delivered again. A
   * stream starting at the beginning of the audio is a new stream, whatever came before.
   */
  #findContinuation(self: ObservedConnection, firstPcm: Uint8Array): Continuation | undefined {
    const needle = Buffer.from(firstPcm.buffer, firstPcm.byteOffset, firstPcm.byteLength);
    for (let index = this.connections.length - 1; index >= 0; index--) {
      const earlier = this.connections[index] as ObservedConnection;
      if (earlier === self || earlier.turns.length === 0) continue;
      const haystack = Buffer.from(this.pcmOf(earlier));
      const position = haystack.indexOf(needle);
      const format = earlier.turns[0]?.format;
      if (position <= 0 || !format || position % (format.channels * 2) !== 0) continue;
      const progress = this.#progress.get(earlier.connectionId ?? `attempt-${earlier.attempt}`);
      if (!progress) continue;
      const startMs = earlier.turns[0]?.startMs ?? 0;
      return { progress, baseMs: startMs + position / ((format.sampleRate * format.channels * 2) / 1000) };
    }
    return this.#joinRecording(self, needle);
  }

  /** A stream starting part-way into the known recording: skip the phrases that end before it. */
  #joinRecording(self: ObservedConnection, needle: Buffer): Continuation | undefined {
    const recording = this.#options.recording;
    const format = self.turns[0]?.format;
    if (!recording || !format) return undefined;
    const position = Buffer.from(recording.buffer, recording.byteOffset, recording.byteLength).indexOf(needle);
    const frameBytes = format.channels * 2;
    if (position <= 0 || position % frameBytes !== 0) return undefined;
    const baseMs = position / ((format.sampleRate * frameBytes) / 1000);
    const session = typeof this.#options.session === "function" ? this.#options.session(self) : this.#options.session;
    const progress = new ReplayProgress();
    (session?.turns[0]?.messages ?? []).forEach((message, index) => {
      const body = message.body as { Offset?: unknown; Duration?: unknown } | undefined;
      if (message.path !== "speech.phrase" || typeof body?.Offset !== "number" || typeof body.Duration !== "number") return;
      if ((body.Offset + body.Duration) / TICKS_PER_MS <= baseMs) progress.phraseDelivered(index, message);
    });
    return { progress, baseMs };
  }

  #checkUpgrade(connection: ObservedConnection): void {
    const where = `connection #${connection.attempt}`;
    if (!ACCEPTED_PATHS.has(connection.path)) this.violations.push(`${where}: unexpected path ${connection.path}`);
    if (!connection.query["language"] && !connection.query["cid"]) this.violations.push(`${where}: neither language nor cid in the query`);
    const format = connection.query["format"];
    if (format !== undefined && format !== "simple" && format !== "detailed") this.violations.push(`${where}: format=${format}`);
    if (!connection.connectionId || !/^[0-9A-Fa-f]{32}$/.test(connection.connectionId)) {
      this.violations.push(`${where}: missing or malformed X-ConnectionId`);
    }
  }
}

/** What the service sends for a turn with nothing left to recognise: it opens, then closes at the end of the audio. */
const SILENT_TURN: readonly RecordedAzureMessage[] = [
  { path: "turn.start", atAudioMs: 0, body: { context: { serviceTag: "00000000000000000000000000000000" } } },
  { path: "turn.end", atAudioMs: 0, afterEndOfAudio: true, body: {} },
];

/** Where a resumed stream picks up: the progress it continues, and where its audio starts on the recording. */
interface Continuation {
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
class ConnectionReplay {
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

  constructor(
    ws: WebSocket,
    connection: ObservedConnection,
    session: RecordedAzureSession,
    progress: ReplayProgress,
    faults: AzureFaults | undefined,
    violations: string[],
    continuation: ((firstPcm: Uint8Array) => Continuation | undefined) | undefined,
  ) {
    this.#continuation = continuation;
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
    else {
      turn.pcm.push(payload.slice());
      turn.pcmBytes += payload.byteLength;
    }
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
    const turn = this.#turn as ObservedTurn;
    const out = new Uint8Array(Math.min(bytes, turn.pcmBytes));
    let at = 0;
    for (const chunk of turn.pcm) {
      if (at >= out.byteLength) break;
      const part = chunk.subarray(0, out.byteLength - at);
      out.set(part, at);
      at += part.byteLength;
    }
    return out;
  }

  #startTurn(requestId: string, firstPayload: Uint8Array): void {
    const turn: ObservedTurn = { requestId, pcm: [], pcmBytes: 0, endOfAudio: false, startMs: 0 };
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
      if (extra.byteLength > 0) {
        turn.pcm.push(extra.slice());
        turn.pcmBytes += extra.byteLength;
      }
    }
    this.#planned = false;
    this.#messages = [];
    this.#next = 0;
    if (this.#faults?.stall) this.#halted = true;
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
      this.#halted = true;
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
    this.#write(message.path, message.body);
    if (message.path === "speech.endDetected") this.#progress.endOfSpeechDelivered(entry.index);
    if (message.path === "turn.end") {
      this.#turnsEnded++;
      this.#turn = undefined;
      return;
    }
    if (message.path !== "speech.phrase") return;
    this.#progress.phraseDelivered(entry.index, entry.original);
    const delivered = this.#progress.phrasesDelivered;
    if (faults?.dropAfterPhrases !== undefined && delivered >= faults.dropAfterPhrases) this.#dropArmed = true;
    if (faults?.closeAfterPhrases && delivered >= faults.closeAfterPhrases.phrases) {
      this.#halted = true;
      this.#ws.close(faults.closeAfterPhrases.code);
    } else if (faults?.stallAfterPhrases !== undefined && delivered >= faults.stallAfterPhrases) {
      this.#halted = true;
    } else if (faults?.malformedAfterPhrases !== undefined && delivered >= faults.malformedAfterPhrases) {
      this.#ws.send("this is not a USP message");
      this.#halted = true;
    }
  }

  #write(path: string, body: unknown): void {
    this.#ws.send(formatServiceMessage(path, (this.#turn as ObservedTurn).requestId, body));
  }

  #drop(): void {
    this.#halted = true;
    this.#connection.closed = "dropped";
    this.#ws.terminate();
  }
}
