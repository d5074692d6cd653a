import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocket, type RawData } from "ws";
import { AzureLoopbackEndpoint } from "./loopback-endpoint.js";
import { RECORDED_SESSION_FORMAT, type RecordedAudioReference } from "../sessions/envelope.js";
import type { RecordedAzureMessage, RecordedAzureSession } from "./session-format.js";
import { parseBinaryFrame, parseRiffHeader, parseTextFrame, RECOGNITION_PATHS } from "./usp.js";

/** Where the recording proxy forwards to, and with which credentials. */
export interface RecordingProxyOptions {
  /** Base URL of the real service (or a stand-in), e.g. `wss://westeurope.stt.speech.microsoft.com`. */
  readonly upstream: string;
  /** Subscription key sent upstream; the client's own is forwarded when absent. */
  readonly apiKey?: string;
  /** Authorization token sent upstream instead of a key. */
  readonly authorizationToken?: string;
}

/** One turn as recorded: the service's messages with the audio position at which each arrived. */
interface RecordingTurn {
  readonly requestId: string;
  headerSeen: boolean;
  bytesPerMs: number;
  pcmBytes: number;
  endOfAudio: boolean;
  readonly messages: RecordedAzureMessage[];
}

function newTurn(requestId: string): RecordingTurn {
  return { requestId, headerSeen: false, bytesPerMs: 32, pcmBytes: 0, endOfAudio: false, messages: [] };
}

/** A running recording proxy. */
export interface RecordingProxy {
  /** `ws://127.0.0.1:PORT`, for `SpeechConfig.fromHost`. */
  readonly host: string;
  /** The full recognition URL, for `SpeechConfig.fromEndpoint`. */
  readonly endpoint: string;
  /**
   * The session recorded on the first connection that carried audio, as a
   * `RecordedAzureSession`; `undefined` when nothing was recorded.
   */
  session(fixture: string, audio: RecordedAudioReference, request: RecordedAzureSession["request"], description: string): RecordedAzureSession | undefined;
  /** Closes every socket, both sides, and the proxy. */
  close(): Promise<void>;
}

/** The Speech service's recognition paths: the only ones the proxy forwards. */
const FORWARDED_PATHS = RECOGNITION_PATHS;

/** Resolves request targets that are origin-form (`/path?query`); any host it ends up naming is not ours. */
const PLACEHOLDER_ORIGIN = "ws://recording-proxy.invalid";

/**
 * Where a client's upgrade request goes: the configured upstream's origin with the request's
 * path and query, or `undefined` when the request names anything else. The upstream is sent the
 * configured key, so the request must not be able to pick the host: a protocol-relative target
 * (`//host/...`), an absolute URL (`ws://host/...`), a backslash the URL parser reads as a slash,
 * or a path other than a recognition endpoint is refused.
 */
function forwardTarget(requestUrl: string | undefined, upstream: string): URL | undefined {
  if (requestUrl === undefined || !requestUrl.startsWith("/") || requestUrl.startsWith("//")) return undefined;
  let requested: URL;
  let base: URL;
  try {
    requested = new URL(requestUrl, PLACEHOLDER_ORIGIN);
    base = new URL(upstream);
  } catch {
    return undefined;
  }
  if (requested.origin !== PLACEHOLDER_ORIGIN || !FORWARDED_PATHS.has(requested.pathname)) return undefined;
  if (base.protocol !== "ws:" && base.protocol !== "wss:") return undefined;
  const target = new URL(base.origin);
  target.pathname = requested.pathname;
  target.search = requested.search;
  return target;
}

/** Close codes a peer may send; others (1005, 1006, 1015) only describe what happened. */
function sendableCloseCode(code: number): number | undefined {
  return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999) ? code : undefined;
}

/**
 * Starts a WebSocket proxy on 127.0.0.1 between the Speech SDK and the service. Every frame is
 * forwarded unchanged both ways; every service text message is recorded with the amount of audio
 * the client had sent in that turn when it arrived, which is what the replay server needs to send
 * it at the same point. A refused upgrade upstream is refused to the client with the same status.
 * It forwards only to the configured upstream, and only the service's recognition paths: a
 * request naming another host or path is refused without connecting anywhere, since the
 * upstream is sent the configured key.
 */
export async function startRecordingProxy(options: RecordingProxyOptions): Promise<RecordingProxy> {
  const proxy = new Proxy(options);
  await proxy.listen();
  return proxy;
}

class Proxy extends AzureLoopbackEndpoint implements RecordingProxy {
  readonly #options: RecordingProxyOptions;
  readonly #upstreams = new Set<WebSocket>();
  readonly #connections: RecordingTurn[][] = [];

  constructor(options: RecordingProxyOptions) {
    super();
    this.#options = options;
  }

  session(fixture: string, audio: RecordedAudioReference, request: RecordedAzureSession["request"], description: string): RecordedAzureSession | undefined {
    const turns = this.#connections.find((connection) => connection.some((turn) => turn.pcmBytes > 0));
    if (!turns) return undefined;
    return {
      format: RECORDED_SESSION_FORMAT,
      provider: "azure",
      fixture,
      audio,
      source: { kind: "service", description, recordedAt: new Date().toISOString() },
      request,
      turns: turns.map((turn) => ({ messages: turn.messages })),
    };
  }

  async close(): Promise<void> {
    for (const upstream of this.#upstreams) upstream.terminate();
    await this.loopback.close();
  }

  protected upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const target = forwardTarget(request.url, this.#options.upstream);
    if (!target) {
      socket.end("HTTP/1.1 404 Not Forwarded\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
      return;
    }
    const headers: Record<string, string> = {};
    const clientKey = request.headers["ocp-apim-subscription-key"];
    const key = this.#options.apiKey ?? (typeof clientKey === "string" ? clientKey : undefined);
    if (this.#options.authorizationToken) headers["Authorization"] = `Bearer ${this.#options.authorizationToken}`;
    else if (key) {
      headers["Ocp-Apim-Subscription-Key"] = key;
      if (target.searchParams.has("Ocp-Apim-Subscription-Key")) target.searchParams.set("Ocp-Apim-Subscription-Key", key);
    }
    const connectionId = request.headers["x-connectionid"];
    if (typeof connectionId === "string") headers["X-ConnectionId"] = connectionId;
    const upstream = new WebSocket(target, { headers, perMessageDeflate: false });
    this.#upstreams.add(upstream);
    upstream.once("unexpected-response", (_request, response) => {
      socket.end(`HTTP/1.1 ${response.statusCode ?? 502} Refused upstream\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      upstream.terminate();
    });
    upstream.once("error", () => {
      if (socket.writable) socket.end("HTTP/1.1 502 Bad Gateway\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
    });
    upstream.once("close", () => this.#upstreams.delete(upstream));
    upstream.once("open", () => {
      this.loopback.wss.handleUpgrade(request, socket, head, (client) => this.#bridge(client, upstream));
    });
  }

  #bridge(client: WebSocket, upstream: WebSocket): void {
    const turns: RecordingTurn[] = [];
    this.#connections.push(turns);
    const turnOf = (requestId: string | undefined): RecordingTurn | undefined => turns.find((turn) => turn.requestId === requestId);
    client.on("message", (data: RawData, isBinary: boolean) => {
      const bytes = Buffer.isBuffer(data) ? data : Buffer.concat(Array.isArray(data) ? data : [Buffer.from(data)]);
      if (isBinary) this.#clientAudio(turns, turnOf, new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      else this.#clientText(turns, turnOf, bytes.toString("utf8"));
      if (upstream.readyState === WebSocket.OPEN) upstream.send(bytes, { binary: isBinary });
    });
    upstream.on("message", (data: RawData, isBinary: boolean) => {
      const bytes = Buffer.isBuffer(data) ? data : Buffer.concat(Array.isArray(data) ? data : [Buffer.from(data)]);
      if (!isBinary) this.#serviceMessage(turnOf, bytes.toString("utf8"));
      if (client.readyState === WebSocket.OPEN) client.send(bytes, { binary: isBinary });
    });
    const closeOther = (other: WebSocket, code: number): void => {
      const sendable = sendableCloseCode(code);
      if (sendable !== undefined) other.close(sendable);
      else other.terminate();
    };
    client.on("close", (code) => closeOther(upstream, code));
    upstream.on("close", (code) => closeOther(client, code));
    client.on("error", () => upstream.terminate());
    upstream.on("error", () => client.terminate());
  }

  /** A turn opens with the client's `speech.context` (the service may answer before any audio). */
  #clientText(turns: RecordingTurn[], turnOf: (id: string | undefined) => RecordingTurn | undefined, text: string): void {
    const message = parseTextFrame(text);
    const requestId = message?.headers["x-requestid"];
    if (message?.path === "speech.context" && requestId && !turnOf(requestId)) turns.push(newTurn(requestId));
  }

  #clientAudio(turns: RecordingTurn[], turnOf: (id: string | undefined) => RecordingTurn | undefined, frame: Uint8Array): void {
    const message = parseBinaryFrame(frame);
    const requestId = message?.headers["x-requestid"];
    if (!message || message.path !== "audio" || !requestId) return;
    const payload = message.body as Uint8Array;
    let turn = turnOf(requestId);
    if (!turn) {
      turn = newTurn(requestId);
      turns.push(turn);
    }
    const riff = turn.headerSeen ? undefined : parseRiffHeader(payload);
    if (riff) {
      turn.headerSeen = true;
      turn.bytesPerMs = (riff.sampleRate * riff.channels * 2) / 1000;
      turn.pcmBytes += payload.byteLength - 44;
    } else if (payload.byteLength === 0) turn.endOfAudio = true;
    else turn.pcmBytes += payload.byteLength;
  }

  #serviceMessage(turnOf: (id: string | undefined) => RecordingTurn | undefined, text: string): void {
    const message = parseTextFrame(text);
    const turn = turnOf(message?.headers["x-requestid"]);
    if (!message || !turn) return;
    let body: unknown;
    try {
      body = JSON.parse(typeof message.body === "string" ? message.body : "");
    } catch {
      body = undefined;
    }
    const original = message.headers["path"] ?? message.path;
    turn.messages.push({
      path: original,
      atAudioMs: Math.round((turn.pcmBytes / turn.bytesPerMs) * 10) / 10,
      ...(turn.endOfAudio ? { afterEndOfAudio: true } : {}),
      ...(body !== undefined ? { body } : {}),
    });
  }
}
