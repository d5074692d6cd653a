/**
 * The local OpenAI server: one TLS host on 127.0.0.1 serving what the real `openai` SDK reaches
 * from one base URL, `https://127.0.0.1:PORT/v1`: the batch endpoint
 * (`POST /v1/audio/transcriptions`) and Realtime transcription over `wss://.../v1/realtime`.
 * The certificate is made for the test run with openssl; the client trusts it per connection
 * (the adapter's `ca` setting), never by turning verification off.
 *
 * @module
 */
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { errAsync, okAsync, ResultAsync } from "neverthrow";
import type { SttError, WavAudio } from "@sttkit/core";
import { sttError } from "@sttkit/core/kit";
import { LoopbackWebSocketHost } from "../loopback/loopback-host.js";
import { createTestCertificate, type TestCertificate } from "../loopback/test-certificate.js";
import { RECORDED_SESSION_FORMAT } from "../sessions/envelope.js";
import { handleBatchRequest } from "./batch-endpoint.js";
import { batchFaultsFor, realtimeFaultsFor, type OpenAIFaults } from "./faults.js";
import type { ObservedRealtimeConnection, ObservedUpload } from "./observed.js";
import { OPENAI_REALTIME_MODELS, RealtimeReplay } from "./realtime-replay.js";
import type { OpenAIServerEvent, RecordedOpenAISession } from "./session-format.js";

/** The Realtime path under the base URL (the SDK appends `/realtime` to it). */
export const REALTIME_PATH = "/v1/realtime";

/** What {@link startOpenAIReplayServer} serves. */
export interface OpenAIReplayServerOptions {
  /** The recorded session whose Realtime events and batch answers are replayed. */
  readonly session: RecordedOpenAISession;
  /**
   * The fixture's audio. With it, uploads of part of the fixture, or of a longer recording made of
   * it, are answered from the recorded words that lie in them; without it every upload gets the
   * recorded answer for the whole fixture.
   */
  readonly audio?: WavAudio;
  /** When set, requests and connections without this bearer token are refused with 401. */
  readonly expectedKey?: string;
  /** Faults to inject. */
  readonly faults?: OpenAIFaults;
  /** The TLS key and certificate; default: {@link createTestCertificate}. */
  readonly certificate?: TestCertificate;
  /** Keep the PCM each Realtime connection received (for tests comparing it). Default false. */
  readonly keepAudio?: boolean;
  /**
   * Called with each Realtime event from the recording right after it went out on the socket, with
   * `performance.now()`: the moment an event was on the wire, for benchmarks running the server
   * in the client's process (one clock).
   */
  readonly onEventSent?: (event: OpenAIServerEvent, sentAt: number) => void;
}

/** A running local OpenAI server. */
export interface OpenAIReplayServer {
  /** `https://127.0.0.1:PORT/v1`: the SDK's `baseURL` (the adapter's `baseURL`). */
  readonly baseURL: string;
  /** The certificate (PEM) the client must trust for this server: the adapter's `ca`. */
  readonly ca: string;
  /** Every request to the batch endpoint, in order. */
  readonly uploads: readonly ObservedUpload[];
  /** Every Realtime connection attempt, in order. */
  readonly connections: readonly ObservedRealtimeConnection[];
  /** Protocol problems in what the client sent; a conforming client leaves this empty. */
  readonly violations: readonly string[];
  /** Replaces the faults from now on (requests and connections are counted from this call). */
  setFaults(faults: OpenAIFaults | undefined): void;
  /** Closes every socket, timer and the server; resolves when all is released. */
  close(): Promise<void>;
}

/**
 * Starts the local OpenAI server on 127.0.0.1 (ephemeral port, TLS). The real, unmodified SDK
 * talks to it through `baseURL` and `ca`; it checks what the SDK sends, answers the batch endpoint
 * from the session's recorded answers, replays the session's Realtime events timed against the
 * audio received, and injects faults on request. `engine-unavailable` without openssl.
 */
export function startOpenAIReplayServer(options: OpenAIReplayServerOptions): ResultAsync<OpenAIReplayServer, SttError> {
  if (options.session.format !== RECORDED_SESSION_FORMAT) return errAsync(sttError({ kind: "invalid-argument", argument: "session", message: `Not a ${RECORDED_SESSION_FORMAT} session.` }));
  const certificate = options.certificate ? okAsync(options.certificate) : createTestCertificate();
  return certificate.andThen((tls) => {
    const server = new ReplayServer(options, tls);
    return ResultAsync.fromSafePromise(server.listen()).map(() => server as OpenAIReplayServer);
  });
}

class ReplayServer implements OpenAIReplayServer {
  readonly uploads: ObservedUpload[] = [];
  readonly connections: ObservedRealtimeConnection[] = [];
  readonly violations: string[] = [];
  readonly ca: string;
  readonly #options: OpenAIReplayServerOptions;
  readonly #loopback: LoopbackWebSocketHost;
  readonly #replays = new Set<RealtimeReplay>();
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #stalled = new Set<Duplex>();
  #faults: OpenAIFaults | undefined;
  #requestBase = 0;
  #connectionBase = 0;
  #closed = false;

  constructor(options: OpenAIReplayServerOptions, tls: TestCertificate) {
    this.#options = options;
    this.#faults = options.faults;
    this.ca = tls.cert;
    this.#loopback = new LoopbackWebSocketHost((request, socket, head) => this.#upgrade(request, socket, head), {
      tls,
      onRequest: (request, response) =>
        handleBatchRequest(
          {
            session: options.session,
            audio: options.audio,
            expectedKey: options.expectedKey,
            uploads: this.uploads,
            violations: this.violations,
            faultsFor: (request) => batchFaultsFor(this.#faults?.batch, request - this.#requestBase),
            later: (ms, action) => this.#later(ms, action),
          },
          request,
          response,
        ),
    });
  }

  get baseURL(): string {
    return `${this.#loopback.origin}/v1`;
  }

  listen(): Promise<void> {
    return this.#loopback.listen();
  }

  setFaults(faults: OpenAIFaults | undefined): void {
    this.#faults = faults;
    this.#requestBase = this.uploads.length;
    this.#connectionBase = this.connections.length;
  }

  #later(ms: number, action: () => void): void {
    if (this.#closed) return;
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      action();
    }, ms);
    this.#timers.add(timer);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    for (const replay of this.#replays) replay.stop();
    for (const socket of this.#stalled) socket.destroy();
    await this.#loopback.close();
  }

  #upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(request.url ?? "/", "https://127.0.0.1");
    const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? "")?.[1];
    const connection: ObservedRealtimeConnection = {
      attempt: this.connections.length,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams.entries()),
      authorized: this.#options.expectedKey === undefined || token === this.#options.expectedKey,
      sessionUpdates: [],
      audioBytes: 0,
      appends: 0,
      commits: 0,
      pcm: [],
    };
    this.connections.push(connection);
    const faults = realtimeFaultsFor(this.#faults?.realtime, connection.attempt - this.#connectionBase);
    const refuse = (status: number): void => {
      connection.refusedWith = status;
      socket.end(`HTTP/1.1 ${status} Refused\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}`);
    };
    const where = `connection #${connection.attempt}`;
    if (connection.path !== REALTIME_PATH) this.violations.push(`${where}: unexpected path ${connection.path}`);
    const model = connection.query["model"];
    if (faults?.stallUpgrade) {
      // Never answer: only the client's own handshake timeout ends this.
      this.#stalled.add(socket);
      socket.on("close", () => this.#stalled.delete(socket));
      return;
    }
    if (faults?.refuseUpgrade !== undefined) return refuse(faults.refuseUpgrade);
    if (!connection.authorized) return refuse(401);
    if (model === undefined || !OPENAI_REALTIME_MODELS.has(model)) {
      this.violations.push(`${where}: model ${JSON.stringify(model)} in the URL is not a transcription model`);
      return refuse(400);
    }
    this.#loopback.wss.handleUpgrade(request, socket, head, (ws) => {
      const replay = new RealtimeReplay(ws, connection, this.#options.session, faults, this.violations, this.#options.keepAudio === true, this.#options.onEventSent);
      this.#replays.add(replay);
      ws.on("close", (code) => {
        if (connection.closed === undefined) connection.closed = code;
        replay.stop();
        this.#replays.delete(replay);
      });
    });
  }
}
