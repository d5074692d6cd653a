/**
 * The local Azure protocol server: listens on 127.0.0.1, decides each upgrade (path, query, key,
 * refusals the faults ask for), recognises a client resuming a stream, and hands every accepted
 * WebSocket to a {@link ConnectionReplay}.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { TICKS_PER_MS } from "@sttkit/core/kit";
import { AzureLoopbackEndpoint } from "./loopback-endpoint.js";
import { ConnectionReplay, type Continuation } from "./connection-replay.js";
import { faultsForAttempt } from "../loopback/fault-plan.js";
import type { AzureFaults } from "./faults.js";
import type { ObservedConnection } from "./observed.js";
import { ReplayProgress } from "./replay-progress.js";
import { RECORDED_SESSION_FORMAT } from "../sessions/envelope.js";
import type { RecordedAzureSession } from "./session-format.js";
import { RECOGNITION_PATHS } from "./usp.js";
import { DEFAULT_RETAINED_AUDIO_MS, turnAudioRange } from "./turn-audio.js";
import { answerFastTranscription, FAST_TRANSCRIPTION_MAX_UPLOAD_BYTES, type ObservedFastRequest } from "./fast-transcription.js";

const ACCEPTED_PATHS = RECOGNITION_PATHS;

/** What {@link startAzureReplayServer} serves. */
export interface AzureReplayServerOptions {
  /** The recorded session to replay, or a function choosing one per connection (e.g. by language). */
  readonly session: RecordedAzureSession | ((connection: ObservedConnection) => RecordedAzureSession | undefined);
  /** Faults to inject (see {@link AzureFaults}). */
  readonly faults?: AzureFaults;
  /** When set, a connection without this subscription key is refused with HTTP 401. */
  readonly expectedKey?: string;
  /**
   * When set, a connection is refused with HTTP 401 unless it carries an authorization token
   * (`Authorization: Bearer <token>`, as the SDK sends it) this accepts: a test decides which
   * tokens are still valid, and so can let an old one expire mid-stream. Called at each upgrade.
   */
  readonly acceptsToken?: (token: string) => boolean;
  /**
   * The PCM of the recording the session was made from. With it, a stream whose audio starts
   * inside the recording rather than at its beginning (a failover target receiving the audio
   * another service had not yet transcribed) is recognised from there, as the service would,
   * instead of from the first phrase.
   */
  readonly recording?: Uint8Array;
  /** The largest upload the fast transcription endpoint takes, in bytes (larger: 413). Default 300 MB, the service's limit. */
  readonly maxUploadBytes?: number;
  /**
   * How much of each turn's audio the server keeps, in ms of audio: what `pcmOf` returns and where
   * a stream moving to a new recognizer is looked for. Older audio is let go (counted in
   * `ObservedTurn.pcmDroppedBytes`), so an hour-long stream does not hold an hour of audio. A
   * resumed or rotated stream starts at its last final, seconds back, so a minute is plenty;
   * default ten minutes (whole audio for any fixture), at least one second.
   */
  readonly retainAudioMs?: number;
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
  /** Every request to the fast transcription endpoint (`POST /speechtotext/transcriptions:transcribe`), in order. */
  readonly fastRequests: readonly ObservedFastRequest[];
  /** `http://127.0.0.1:PORT`: the origin of the fast transcription endpoint. */
  readonly origin: string;
  /** Replaces the faults for connections from now on (attempts are counted from this call). */
  setFaults(faults: AzureFaults | undefined): void;
  /** Concatenated PCM of one turn of one connection (what is still kept, see `retainAudioMs`), for comparison with the audio sent. */
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

class ReplayServer extends AzureLoopbackEndpoint implements AzureReplayServer {
  readonly connections: ObservedConnection[] = [];
  readonly violations: string[] = [];
  readonly fastRequests: ObservedFastRequest[] = [];
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();
  readonly #options: AzureReplayServerOptions;
  readonly #progress = new Map<string, ReplayProgress>();
  readonly #sessions = new Set<ConnectionReplay>();
  #faults: AzureFaults | undefined;
  #faultAttemptBase = 0;
  #closed = false;

  constructor(options: AzureReplayServerOptions) {
    super();
    this.#options = options;
    this.#faults = options.faults;
    if (options.retainAudioMs !== undefined && !(options.retainAudioMs >= 1_000)) throw new Error("retainAudioMs must be at least 1000");
    if (typeof options.session !== "function" && options.session.format !== RECORDED_SESSION_FORMAT) {
      throw new Error(`not a ${RECORDED_SESSION_FORMAT} session`);
    }
  }

  setFaults(faults: AzureFaults | undefined): void {
    this.#faults = faults;
    this.#faultAttemptBase = this.connections.length;
  }

  pcmOf(connection: ObservedConnection, turn = 0): Uint8Array {
    const observed = connection.turns[turn];
    return observed ? turnAudioRange(observed, 0, observed.pcmBytes) : new Uint8Array(0);
  }

  get origin(): string {
    return this.loopback.origin;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    for (const session of this.#sessions) session.stop();
    await this.loopback.close();
  }

  protected override request(request: IncomingMessage, response: ServerResponse): void {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) {
      if (typeof value === "string") headers[name.toLowerCase()] = value;
    }
    const observed: ObservedFastRequest = { path: url.pathname, query: Object.fromEntries(url.searchParams.entries()), headers, parts: [], audioBytes: 0, problems: [] };
    this.fastRequests.push(observed);
    const faults = faultsForAttempt(this.#faults, this.fastRequests.length - 1);
    answerFastTranscription(request, response, observed, {
      sessionFor: (definition) => this.#sessionForDefinition(definition),
      expectedKey: this.#options.expectedKey,
      faults: faults?.fastTranscription,
      maxUploadBytes: this.#options.maxUploadBytes ?? FAST_TRANSCRIPTION_MAX_UPLOAD_BYTES,
      timers: this.#timers,
      violations: this.violations,
    });
  }

  /** The session for a fast transcription request: the one session, or the chooser's pick for the definition's first locale. */
  #sessionForDefinition(definition: unknown): RecordedAzureSession | undefined {
    const session = this.#options.session;
    if (typeof session !== "function") return session;
    const locales = (definition as { locales?: unknown } | undefined)?.locales;
    const language = Array.isArray(locales) && typeof locales[0] === "string" ? locales[0] : undefined;
    return session({ attempt: -1, path: "", query: language ? { language } : {}, headers: {}, connectionId: undefined, speechContexts: [], turns: [], phraseEndsMs: [] });
  }

  protected upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
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
      phraseEndsMs: [],
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
    const token = /^Bearer (.+)$/.exec(headers["authorization"] ?? "")?.[1];
    if (this.#options.acceptsToken !== undefined && (token === undefined || !this.#options.acceptsToken(token))) return refuse(401);
    const session = typeof this.#options.session === "function" ? this.#options.session(connection) : this.#options.session;
    if (!session) return refuse(400);
    this.loopback.wss.handleUpgrade(request, socket, head, (ws) => {
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
      const replay = new ConnectionReplay(ws, connection, session, progress, faults, this.violations, continuation, this.#options.retainAudioMs ?? DEFAULT_RETAINED_AUDIO_MS);
      this.#sessions.add(replay);
      ws.on("close", (code) => {
        if (connection.closed === undefined) connection.closed = code;
        replay.stop();
        this.#sessions.delete(replay);
      });
    });
  }

  /**
   * A new recognizer whose audio starts inside audio an earlier connection received continues
   * that stream. After a failure (the earlier connection was faulted) the client is resuming (the
   * adapter replays from the last final it got): recognise it from the phrase after the last one
   * delivered there, so none is delivered twice. From a healthy connection it is a rotation (the
   * client moved to a fresh recognizer by choice): like the service, which keeps nothing between
   * connections, recognise its own audio afresh, every phrase after its start. Either is recorded
   * in `connection.continues`; a rotation must start at the end of a phrase delivered on the
   * earlier connection. A stream starting at the beginning of the audio is a new stream, whatever
   * came before.
   */
  #findContinuation(self: ObservedConnection, firstPcm: Uint8Array): Continuation | undefined {
    const needle = Buffer.from(firstPcm.buffer, firstPcm.byteOffset, firstPcm.byteLength);
    for (let index = this.connections.length - 1; index >= 0; index--) {
      const earlier = this.connections[index] as ObservedConnection;
      if (earlier === self || earlier.turns.length === 0) continue;
      const format = earlier.turns[0]?.format;
      const progress = this.#progress.get(earlier.connectionId ?? `attempt-${earlier.attempt}`);
      if (!format || !progress) continue;
      const found = this.#locate(earlier, format.sampleRate * format.channels * 2, format.channels * 2, needle);
      if (!found) continue;
      const { baseMs, atFinalBoundary } = found;
      // A healthy connection is left only at a final (`#locate` looks nowhere else in it): audio
      // matching elsewhere is the same sound in another stream (a repeated recording).
      const kind = earlier.faulted ? "resumed" : "rotated";
      self.continues = { attempt: earlier.attempt, kind, atMs: baseMs, atFinalBoundary };
      return { progress: kind === "resumed" ? progress : this.#progressBefore(self, baseMs), baseMs };
    }
    return this.#joinRecording(self, needle);
  }

  /**
   * Where `needle` (a new recognizer's first audio) starts in `earlier`'s audio, on the recording's
   * time line. Audio repeats (silence, a sentence said twice), so of several places the latest at
   * the end of a phrase delivered there wins: a client resumes or rotates at its last final. Only
   * the audio around those ends is compared, so a server with hundreds of long streams answers a
   * new connection in a moment. A healthy connection is left only there; a failed one may also be
   * resumed elsewhere (the SDK's own replay), found by searching all its kept audio.
   */
  #locate(earlier: ObservedConnection, bytesPerSecond: number, frameBytes: number, needle: Buffer): { baseMs: number; atFinalBoundary: boolean } | undefined {
    const turn = earlier.turns[0];
    if (!turn) return undefined;
    const bytesPerMs = bytesPerSecond / 1000;
    const startMs = turn.startMs;
    const keptFromMs = startMs + turn.pcmDroppedBytes / bytesPerMs;
    let atBoundary: number | undefined;
    // Phrase ends are in delivery order, so the kept ones are the last: stop at the first one before.
    for (let index = earlier.phraseEndsMs.length - 1; index >= 0; index--) {
      const endMs = earlier.phraseEndsMs[index] as number;
      if (endMs + 1 < keptFromMs) break;
      const from = Math.max(0, Math.floor((endMs - 1 - startMs) * bytesPerMs));
      const window = Buffer.from(turnAudioRange(turn, from, Math.ceil((endMs + 1 - startMs) * bytesPerMs) + needle.byteLength));
      const windowStart = Math.max(from, turn.pcmDroppedBytes);
      for (let found = window.indexOf(needle); found >= 0; found = window.indexOf(needle, found + 1)) {
        const position = windowStart + found;
        if (position === 0 || position % frameBytes !== 0) continue;
        const baseMs = startMs + position / bytesPerMs;
        if (Math.abs(endMs - baseMs) <= 1 && (atBoundary === undefined || baseMs > atBoundary)) atBoundary = baseMs;
      }
    }
    if (atBoundary !== undefined) return { baseMs: atBoundary, atFinalBoundary: true };
    if (!earlier.faulted) return undefined;
    // Otherwise the first place; audio found at the very start is a new stream, not a continuation.
    const found = Buffer.from(this.pcmOf(earlier)).indexOf(needle);
    const position = found < 0 ? -1 : turn.pcmDroppedBytes + found;
    if (position <= 0 || position % frameBytes !== 0) return undefined;
    return { baseMs: startMs + position / bytesPerMs, atFinalBoundary: false };
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
    return { progress: this.#progressBefore(self, baseMs), baseMs };
  }

  /** Progress for audio starting at `baseMs` on the recording: every phrase that ends by then counts as delivered. */
  #progressBefore(self: ObservedConnection, baseMs: number): ReplayProgress {
    const session = typeof this.#options.session === "function" ? this.#options.session(self) : this.#options.session;
    const progress = new ReplayProgress();
    (session?.turns[0]?.messages ?? []).forEach((message, index) => {
      const body = message.body as { Offset?: unknown; Duration?: unknown } | undefined;
      if (message.path === "speech.phrase" && typeof body?.Offset === "number" && typeof body.Duration === "number") {
        if ((body.Offset + body.Duration) / TICKS_PER_MS <= baseMs) progress.phraseDelivered(index, message);
      } else if (message.path === "speech.endDetected" && typeof body?.Offset === "number" && body.Offset / TICKS_PER_MS <= baseMs) {
        // The end of speech that closed the last phrase before the start: not sent again either.
        progress.endOfSpeechDelivered(index);
      }
    });
    return progress;
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
