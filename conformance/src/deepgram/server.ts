import type { IncomingMessage, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { LoopbackWebSocketHost } from "../loopback/loopback-host.js";
import { faultsForAttempt } from "../loopback/fault-plan.js";
import { deepgramErrorBody, type DeepgramFaults } from "./faults.js";
import { ListenReplay } from "./listen-replay.js";
import type { ObservedDeepgramConnection, ObservedDeepgramRequest } from "./observed.js";
import { queryProblems, readQuery } from "./query-checks.js";
import { answerPrerecorded } from "./rest-handler.js";
import { checkDeepgramSession, type DeepgramWireMessage, type RecordedDeepgramSession } from "./session-format.js";

/** The listen endpoint's path, for WebSocket streaming and pre-recorded POSTs alike. */
export const LISTEN_PATH = "/v1/listen";

/** What {@link startDeepgramServer} serves. */
export interface DeepgramServerOptions {
  /** The recorded session to replay (its turn on listen connections, its `batch` on the pre-recorded endpoint). */
  readonly session: RecordedDeepgramSession;
  /** When set, a request without `Authorization: Token <expectedKey>` is refused with 401. */
  readonly expectedKey?: string;
  /** When set, `Authorization: Bearer <expectedToken>` is accepted too. */
  readonly expectedToken?: string;
  /** Faults to inject. */
  readonly faults?: DeepgramFaults;
  /**
   * The PCM of the recording the session was made from (the fixture's). With it, a connection
   * whose audio starts inside the recording (a client resuming after a lost connection) is
   * answered from there, as the service would recognise that audio; without it, the audio of
   * earlier connections is searched.
   */
  readonly recording?: Uint8Array;
  /** Silence after which a listen connection is closed with 1011 `NET-0001`, in ms. Default 10 000, as the service. */
  readonly idleCloseMs?: number;
  /**
   * Called right after each recorded message is handed to the socket, with the connection and the
   * message as sent: a benchmark's clock for when a final left the service.
   */
  readonly onMessageSent?: (connection: ObservedDeepgramConnection, message: DeepgramWireMessage) => void;
}

/** A running local Deepgram server. */
export interface DeepgramServer {
  /** `http://127.0.0.1:PORT`: the adapter's (and the SDK's) `baseUrl`. */
  readonly baseUrl: string;
  /** Every listen connection attempt, in order. */
  readonly connections: readonly ObservedDeepgramConnection[];
  /** Every pre-recorded request, in order. */
  readonly requests: readonly ObservedDeepgramRequest[];
  /** Protocol problems in what the client sent; a conforming client leaves this empty. */
  readonly violations: readonly string[];
  /** Replaces the faults for connections from now on (attempts are counted from this call). */
  setFaults(faults: DeepgramFaults | undefined): void;
  /** Closes every socket and the server; resolves when all is released. */
  close(): Promise<void>;
}

/**
 * Starts a local Deepgram server on 127.0.0.1 (ephemeral port) that the real `@deepgram/sdk`
 * talks to through its `baseUrl`: the listen WebSocket (path, every query parameter and the
 * `Authorization` header checked; binary audio consumed; `KeepAlive`, `Finalize` and
 * `CloseStream` answered as the service does; the recorded session replayed timed against the
 * audio received; an idle connection closed with 1011 `NET-0001`) and the pre-recorded REST
 * endpoint (the recorded `batch` answer). Faults are injected on request.
 */
export async function startDeepgramServer(options: DeepgramServerOptions): Promise<DeepgramServer> {
  const checked = checkDeepgramSession(options.session);
  if (checked.isErr()) throw new Error(`not a replayable Deepgram session: ${checked.error}`);
  const server = new LocalDeepgram(options);
  await server.listen();
  return server;
}

class LocalDeepgram implements DeepgramServer {
  readonly connections: ObservedDeepgramConnection[] = [];
  readonly requests: ObservedDeepgramRequest[] = [];
  readonly violations: string[] = [];
  readonly #options: DeepgramServerOptions;
  readonly #host = new LoopbackWebSocketHost(
    (request, socket, head) => this.#upgrade(request, socket, head),
    { onRequest: (request, response) => this.#request(request, response) },
  );
  readonly #replays = new Map<ObservedDeepgramConnection, ListenReplay>();
  #faults: DeepgramFaults | undefined;
  #faultBase = 0;
  #closed = false;

  constructor(options: DeepgramServerOptions) {
    this.#options = options;
    this.#faults = options.faults;
  }

  get baseUrl(): string {
    return this.#host.host.replace(/^ws:/, "http:");
  }

  listen(): Promise<void> {
    return this.#host.listen();
  }

  setFaults(faults: DeepgramFaults | undefined): void {
    this.#faults = faults;
    this.#faultBase = this.connections.length;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const replay of this.#replays.values()) replay.stop();
    await this.#host.close();
  }

  /** The credential check both endpoints share; the problem, or `undefined` when accepted. */
  #authorization(headers: Readonly<Record<string, string>>): string | undefined {
    const given = headers["authorization"];
    const { expectedKey, expectedToken } = this.#options;
    if (expectedKey === undefined && expectedToken === undefined) return given ? undefined : "no Authorization header";
    if (expectedKey !== undefined && given === `Token ${expectedKey}`) return undefined;
    if (expectedToken !== undefined && given === `Bearer ${expectedToken}`) return undefined;
    return given ? "wrong credentials" : "no Authorization header";
  }

  #upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    const headers = lowerCaseHeaders(request);
    const connection: ObservedDeepgramConnection = {
      attempt: this.connections.length,
      path: url.pathname,
      query: readQuery(url),
      headers,
      audioBytes: 0,
      audioFrames: 0,
      controls: [],
      startMs: 0,
    };
    this.connections.push(connection);
    const refuse = (status: number): void => {
      connection.refusedWith = status;
      const body = JSON.stringify(deepgramErrorBody(status));
      socket.end(`HTTP/1.1 ${status} Refused\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    };
    const where = `connection #${connection.attempt}`;
    if (connection.path !== LISTEN_PATH) {
      this.violations.push(`${where}: unexpected path ${connection.path}`);
      return refuse(404);
    }
    const problems = queryProblems(connection.query, true);
    for (const problem of problems) this.violations.push(`${where}: ${problem}`);
    const faults = faultsForAttempt(this.#faults, connection.attempt - this.#faultBase);
    if (faults?.refuseUpgrade !== undefined) return refuse(faults.refuseUpgrade);
    if (this.#authorization(headers) !== undefined) return refuse(401);
    if (problems.length > 0) return refuse(400);
    this.#host.wss.handleUpgrade(request, socket, head, (ws) => {
      const replay = new ListenReplay(ws, connection, {
        session: this.#options.session,
        faults,
        violations: this.violations,
        idleCloseMs: this.#options.idleCloseMs ?? 10_000,
        locate: (self, probe) => this.#locate(self, probe),
        ...(this.#options.onMessageSent ? { onSent: this.#options.onMessageSent } : {}),
      });
      this.#replays.set(connection, replay);
      ws.on("close", (code) => {
        if (connection.closed === undefined) connection.closed = code;
        replay.stop();
        // Keep the audio for resumes from this connection, drop the timers.
      });
    });
  }

  /**
   * Where a connection's audio starts on the recording: found in the recording when the server
   * has it, else in an earlier connection's audio (a resumed stream); 0 for a new stream.
   */
  #locate(self: ObservedDeepgramConnection, probe: Uint8Array): number {
    const needle = Buffer.from(probe.buffer, probe.byteOffset, probe.byteLength);
    const bytesPerMs = (Number(self.query["sample_rate"]) * 2) / 1000;
    const recording = this.#options.recording;
    if (recording) {
      const position = Buffer.from(recording.buffer, recording.byteOffset, recording.byteLength).indexOf(needle);
      return position > 0 && position % 2 === 0 ? position / bytesPerMs : 0;
    }
    for (let index = this.connections.length - 1; index >= 0; index--) {
      const earlier = this.connections[index] as ObservedDeepgramConnection;
      const replay = this.#replays.get(earlier);
      if (earlier === self || !replay) continue;
      const bytes = replay.pcm.bytes();
      const position = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).indexOf(needle);
      if (position > 0 && position % 2 === 0) return earlier.startMs + position / bytesPerMs;
    }
    return 0;
  }

  #request(request: IncomingMessage, response: ServerResponse): void {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    const observed: ObservedDeepgramRequest = { path: url.pathname, query: readQuery(url), headers: lowerCaseHeaders(request), bodyBytes: 0 };
    this.requests.push(observed);
    answerPrerecorded(request, response, observed, {
      session: this.#options.session,
      violations: this.violations,
      authorizationProblem: this.#authorization(observed.headers),
      restStatus: this.#faults?.restStatus,
    });
  }
}

function lowerCaseHeaders(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) if (typeof value === "string") headers[name.toLowerCase()] = value;
  return headers;
}
