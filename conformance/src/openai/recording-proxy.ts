/**
 * A recording proxy between the real `openai` SDK and the OpenAI service, on 127.0.0.1 (TLS with
 * a certificate made for the run, since the SDK's Realtime client only speaks `wss:`). It
 * forwards exactly two things, and only to the configured upstream: `POST /v1/audio/transcriptions`
 * (recording each answer by model and response format) and Realtime upgrades to `/v1/realtime`
 * (recording every server event with the audio received so far). Anything else is answered 404
 * and never leaves the machine. The key is forwarded in its header, never recorded: any echo of it
 * in what the service sends is replaced before it is kept.
 *
 * @module
 */
import { SecretRedactor } from "@sttkit/core/kit";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { errAsync, ResultAsync } from "neverthrow";
import type { SttError } from "@sttkit/core";
import { sttError } from "@sttkit/core/kit";
import { Agent } from "undici";
import WebSocket from "ws";
import { LoopbackWebSocketHost } from "../loopback/loopback-host.js";
import { createTestCertificate } from "../loopback/test-certificate.js";
import { RECORDED_SESSION_FORMAT, type RecordedAudioReference } from "../sessions/envelope.js";
import { TRANSCRIPTIONS_PATH } from "./batch-endpoint.js";
import { formBoundary, parseMultipart } from "./multipart.js";
import { REALTIME_PATH } from "./server.js";
import { OPENAI_PROVIDER, type OpenAIServerEvent, type OpenAITurnDetection, type RecordedOpenAIMessage, type RecordedOpenAISession } from "./session-format.js";

/** What {@link startOpenAIRecordingProxy} forwards, and where. */
export interface OpenAIRecordingProxyOptions {
  /** The service's base URL, `https://api.openai.com/v1` for the public API; nothing goes anywhere else. */
  readonly upstream: string;
  /** The key in use: never recorded, and removed from anything the service echoes. */
  readonly apiKey: string;
  /** An extra certificate authority for the upstream (a local test double's); none for the public API. */
  readonly upstreamCa?: string;
}

/** A running recording proxy. */
export interface OpenAIRecordingProxy {
  /** `https://127.0.0.1:PORT/v1`: the SDK's `baseURL`. */
  readonly baseURL: string;
  /** The certificate the SDK must trust for the proxy (`ca`). */
  readonly ca: string;
  /**
   * The recorded session: the Realtime events of the last connection in `turns[0]` and the batch
   * answers in `batch`; `undefined` when the service sent nothing at all.
   */
  session(fixtureId: string, audio: RecordedAudioReference, description: string): RecordedOpenAISession | undefined;
  /** Closes every socket and the server. */
  close(): Promise<void>;
}

/** The most of a request or answer body the proxy holds: an upload at the service's limit with room to spare. */
const MAX_BODY_BYTES = 32 * 1024 * 1024;
/** Request headers forwarded upstream; every other header stays here. */
const FORWARDED_HEADERS = ["authorization", "content-type", "openai-organization", "openai-project"];
/** Audio bytes per ms of a Realtime session (PCM16 mono at 24 kHz). */
const BYTES_PER_MS = 48;

/** Starts a recording proxy on 127.0.0.1; `engine-unavailable` without openssl. */
export function startOpenAIRecordingProxy(options: OpenAIRecordingProxyOptions): ResultAsync<OpenAIRecordingProxy, SttError> {
  let upstream: URL;
  try {
    upstream = new URL(options.upstream.replace(/\/+$/, ""));
  } catch (cause) {
    return errAsync(sttError({ kind: "invalid-argument", argument: "upstream", message: `The upstream ${JSON.stringify(options.upstream)} is not a URL.`, cause }));
  }
  if (upstream.protocol !== "https:" && upstream.protocol !== "http:") {
    return errAsync(sttError({ kind: "invalid-argument", argument: "upstream", message: "The upstream must be an http(s) base URL such as https://api.openai.com/v1." }));
  }
  return createTestCertificate().andThen((tls) => {
    const proxy = new RecordingProxy(options, upstream, tls.cert, tls);
    return ResultAsync.fromSafePromise(proxy.listen()).map(() => proxy as OpenAIRecordingProxy);
  });
}

class RecordingProxy implements OpenAIRecordingProxy {
  readonly ca: string;
  readonly #options: OpenAIRecordingProxyOptions;
  readonly #upstream: URL;
  readonly #loopback: LoopbackWebSocketHost;
  readonly #dispatcher: Agent | undefined;
  readonly #answers: Record<string, Record<string, unknown>> = {};
  readonly #upstreamSockets = new Set<WebSocket>();
  #messages: RecordedOpenAIMessage[] = [];
  #sessionUpdate: Record<string, unknown> | undefined;

  constructor(options: OpenAIRecordingProxyOptions, upstream: URL, ca: string, tls: { key: string; cert: string }) {
    this.#options = options;
    this.#upstream = upstream;
    this.ca = ca;
    this.#dispatcher = options.upstreamCa !== undefined ? new Agent({ connect: { ca: options.upstreamCa } }) : undefined;
    this.#loopback = new LoopbackWebSocketHost((request, socket, head) => this.#upgrade(request, socket, head), {
      tls,
      onRequest: (request, response) => void this.#forwardRequest(request, response),
    });
  }

  get baseURL(): string {
    return `${this.#loopback.origin}/v1`;
  }

  listen(): Promise<void> {
    return this.#loopback.listen();
  }

  async close(): Promise<void> {
    for (const socket of this.#upstreamSockets) socket.terminate();
    await this.#loopback.close();
    await this.#dispatcher?.close();
  }

  /** `text` without the key. */
  #redact(text: string): string {
    return new SecretRedactor([this.#options.apiKey]).text(text);
  }

  /** The upstream URL for a local path under `/v1`. */
  #upstreamUrl(localPath: string, protocol?: "wss:" | "ws:"): URL {
    const url = new URL(this.#upstream.href);
    url.pathname = `${url.pathname.replace(/\/+$/, "")}${localPath.slice("/v1".length)}`;
    if (protocol) url.protocol = protocol;
    return url;
  }

  async #forwardRequest(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? "/", "https://127.0.0.1").pathname;
    const chunks: Buffer[] = [];
    let bytes = 0;
    for await (const chunk of request as AsyncIterable<Buffer>) {
      bytes += chunk.byteLength;
      if (bytes > MAX_BODY_BYTES) {
        response.writeHead(413, { "content-type": "application/json" }).end('{"error":{"message":"The recording proxy takes at most 32 MiB."}}');
        return;
      }
      chunks.push(chunk);
    }
    if (request.method !== "POST" || path !== TRANSCRIPTIONS_PATH) {
      response.writeHead(404, { "content-type": "application/json" }).end('{"error":{"message":"The recording proxy forwards only POST /v1/audio/transcriptions and /v1/realtime."}}');
      return;
    }
    const body = Buffer.concat(chunks);
    const headers: Record<string, string> = {};
    for (const name of FORWARDED_HEADERS) {
      const value = request.headers[name];
      if (typeof value === "string") headers[name] = value;
    }
    let answer: Response;
    try {
      answer = await fetch(this.#upstreamUrl(path), { method: "POST", headers, body, ...(this.#dispatcher ? { dispatcher: this.#dispatcher } : {}) } as RequestInit);
    } catch {
      response.writeHead(502, { "content-type": "application/json" }).end('{"error":{"message":"The recording proxy could not reach the upstream."}}');
      return;
    }
    const text = await answer.text();
    const contentType = answer.headers.get("content-type") ?? "application/json";
    if (answer.status === 200) this.#recordAnswer(body, request.headers["content-type"], text, contentType);
    const retryAfter = answer.headers.get("retry-after");
    response.writeHead(answer.status, { "content-type": contentType, ...(retryAfter ? { "retry-after": retryAfter } : {}) }).end(text);
  }

  #recordAnswer(form: Buffer, contentType: string | undefined, text: string, answerType: string): void {
    const parts = formBoundary(contentType).andThen((boundary) => parseMultipart(form, boundary));
    if (parts.isErr()) return;
    const field = (name: string): string | undefined => parts.value.find((part) => part.name === name)?.data.toString("utf8");
    const model = field("model");
    if (model === undefined || field("stream") === "true") return;
    const format = field("response_format") ?? "json";
    const redacted = this.#redact(text);
    let value: unknown = redacted;
    if (answerType.includes("json")) {
      try {
        value = JSON.parse(redacted);
      } catch {
        return;
      }
    }
    (this.#answers[model] ??= {})[format] = value;
  }

  #upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(request.url ?? "/", "https://127.0.0.1");
    let answered = false;
    const refuse = (status: number): void => {
      if (answered) return;
      answered = true;
      socket.end(`HTTP/1.1 ${status} Refused\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (url.pathname !== REALTIME_PATH) return refuse(404);
    const target = this.#upstreamUrl(url.pathname, this.#upstream.protocol === "http:" ? "ws:" : "wss:");
    target.search = url.search;
    const headers: Record<string, string> = {};
    for (const name of FORWARDED_HEADERS) {
      const value = request.headers[name];
      if (typeof value === "string" && name !== "content-type") headers[name] = value;
    }
    const upstream = new WebSocket(target, { headers, perMessageDeflate: false, ...(this.#options.upstreamCa !== undefined ? { ca: this.#options.upstreamCa } : {}) });
    this.#upstreamSockets.add(upstream);
    upstream.on("close", () => this.#upstreamSockets.delete(upstream));
    upstream.on("error", () => refuse(502));
    // The service's refusal reaches the client as the same status.
    upstream.on("unexpected-response", (_request, response) => {
      refuse(response.statusCode ?? 502);
      response.destroy();
      upstream.terminate();
    });
    upstream.on("open", () => {
      if (answered) return upstream.terminate();
      answered = true;
      this.#loopback.wss.handleUpgrade(request, socket, head, (client) => this.#relay(client, upstream));
    });
  }

  /** Relays one Realtime connection both ways, recording the service's events against the audio the client sent. */
  #relay(client: WebSocket, upstream: WebSocket): void {
    const messages: RecordedOpenAIMessage[] = [];
    this.#messages = messages;
    let audioBytes = 0;
    let committed = false;
    client.on("message", (data, isBinary) => {
      if (!isBinary) {
        try {
          const event = JSON.parse(data.toString("utf8")) as Record<string, unknown>;
          if (event["type"] === "input_audio_buffer.append" && typeof event["audio"] === "string") audioBytes += Buffer.byteLength(event["audio"], "base64");
          if (event["type"] === "input_audio_buffer.commit") committed = true;
          if (event["type"] === "session.update") this.#sessionUpdate = event;
        } catch {
          // Not JSON: forwarded as it is, for the service to answer.
        }
      }
      if (upstream.readyState === upstream.OPEN) upstream.send(data, { binary: isBinary });
    });
    upstream.on("message", (data, isBinary) => {
      if (!isBinary) {
        try {
          const event = JSON.parse(this.#redact(data.toString("utf8"))) as OpenAIServerEvent;
          if (typeof event.type === "string") {
            messages.push({ atAudioMs: Math.round((audioBytes / BYTES_PER_MS) * 10) / 10, ...(committed ? { afterEndOfAudio: true } : {}), event });
          }
        } catch {
          // An event that is not JSON is forwarded but cannot be recorded as an event.
        }
      }
      if (client.readyState === client.OPEN) client.send(data, { binary: isBinary });
    });
    client.on("close", () => upstream.close());
    upstream.on("close", (code) => {
      if (client.readyState === client.OPEN) client.close(code === 1005 || code === 1006 ? 1000 : code);
    });
    client.on("error", () => upstream.terminate());
  }

  session(fixtureId: string, audio: RecordedAudioReference, description: string): RecordedOpenAISession | undefined {
    if (this.#messages.length === 0 && Object.keys(this.#answers).length === 0) return undefined;
    const input = ((this.#sessionUpdate?.["session"] as Record<string, unknown> | undefined)?.["audio"] as Record<string, unknown> | undefined)?.["input"] as Record<string, unknown> | undefined;
    const transcription = (input?.["transcription"] ?? {}) as Record<string, unknown>;
    const vad = (input?.["turn_detection"] ?? {}) as Record<string, unknown>;
    const number = (value: unknown, fallback: number): number => (typeof value === "number" ? value : fallback);
    const turnDetection: OpenAITurnDetection = {
      type: "server_vad",
      threshold: number(vad["threshold"], 0.5),
      prefixPaddingMs: number(vad["prefix_padding_ms"], 300),
      silenceDurationMs: number(vad["silence_duration_ms"], 500),
    };
    return {
      format: RECORDED_SESSION_FORMAT,
      provider: OPENAI_PROVIDER,
      fixture: fixtureId,
      audio,
      source: { kind: "service", description, recordedAt: new Date().toISOString() },
      request: {
        realtime: {
          model: typeof transcription["model"] === "string" ? transcription["model"] : "gpt-4o-transcribe",
          ...(typeof transcription["language"] === "string" ? { language: transcription["language"] } : {}),
          turnDetection,
        },
      },
      turns: this.#messages.length > 0 ? [{ messages: this.#messages }] : [],
      ...(Object.keys(this.#answers).length > 0 ? { batch: { status: 200, body: this.#answers } } : {}),
    };
  }
}
