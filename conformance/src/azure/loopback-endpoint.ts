import type { IncomingMessage, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { LoopbackWebSocketHost } from "../loopback/loopback-host.js";
import { RECOGNITION_PATH } from "./usp.js";

/**
 * What the replay server and the recording proxy have in common: a loopback WebSocket host that
 * the Speech SDK reaches either as a host (`fromHost`) or as the full recognition endpoint
 * (`fromEndpoint`).
 */
export abstract class AzureLoopbackEndpoint {
  /** The loopback host; subclasses decide each upgrade in {@link AzureLoopbackEndpoint.upgrade}. */
  protected readonly loopback = new LoopbackWebSocketHost(
    (request, socket, head) => this.upgrade(request, socket, head),
    { onRequest: (request, response) => this.request(request, response) },
  );

  /** `ws://127.0.0.1:PORT`, for the SDK's `SpeechConfig.fromHost`. */
  get host(): string {
    return this.loopback.host;
  }

  /** The full recognition URL, for `SpeechConfig.fromEndpoint`. */
  get endpoint(): string {
    return `${this.loopback.host}${RECOGNITION_PATH}`;
  }

  /** Starts listening on an ephemeral port of 127.0.0.1. */
  listen(): Promise<void> {
    return this.loopback.listen();
  }

  /** Answers a plain HTTP request (a REST operation on the same port); 404 unless a subclass serves it. */
  protected request(request: IncomingMessage, response: ServerResponse): void {
    request.resume();
    response.writeHead(404).end();
  }

  /** Refuses the upgrade on the raw socket, or accepts it through `loopback.wss`. */
  protected abstract upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void;
}
