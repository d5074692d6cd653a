import { createServer, type IncomingMessage, type RequestListener, type Server } from "node:http";
import { createServer as createTlsServer } from "node:https";
import type { Duplex } from "node:stream";
import { WebSocketServer } from "ws";

/** What a {@link LoopbackWebSocketHost} serves besides WebSocket upgrades, and how. */
export interface LoopbackHostOptions {
  /**
   * Serve TLS (`https:`/`wss:`) with this key and certificate, for SDKs that only speak TLS (the
   * OpenAI SDK always opens `wss:`). The client trusts the certificate per connection (see
   * `createTestCertificate`), never by turning verification off.
   */
  readonly tls?: { readonly key: string; readonly cert: string };
  /** Answers plain HTTP requests (a vendor's REST endpoints); without it every request gets 404. */
  readonly onRequest?: RequestListener;
}

/**
 * An HTTP (or HTTPS) server on 127.0.0.1 (ephemeral port) that hands WebSocket upgrades to its
 * owner, optionally answers plain requests, and keeps track of every socket, so closing it
 * releases everything: the common base of every vendor's test double (replay servers, recording
 * proxies).
 */
export class LoopbackWebSocketHost {
  /** Accepts the upgrades the owner lets through. */
  readonly wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  readonly #http: Server;
  readonly #sockets = new Set<Duplex>();
  readonly #tls: boolean;
  #port = 0;

  /**
   * @param onUpgrade - decides each upgrade: refuse it on the raw socket, or accept it through {@link LoopbackWebSocketHost.wss}.
   * @param options - TLS and a handler for plain requests.
   */
  constructor(onUpgrade: (request: IncomingMessage, socket: Duplex, head: Buffer) => void, options: LoopbackHostOptions = {}) {
    const onRequest: RequestListener = options.onRequest ?? ((_request, response) => response.writeHead(404).end());
    this.#tls = options.tls !== undefined;
    this.#http = options.tls ? createTlsServer({ key: options.tls.key, cert: options.tls.cert }, onRequest) : createServer(onRequest);
    // Over TLS the raw TCP socket is what must be destroyed on close ("connection"), not the TLS wrapper.
    this.#http.on("connection", (socket: Duplex) => {
      this.#sockets.add(socket);
      socket.on("close", () => this.#sockets.delete(socket));
    });
    this.#http.on("upgrade", onUpgrade);
  }

  /** `ws://127.0.0.1:PORT` (`wss://` with TLS): where a vendor SDK pointed at a host connects. */
  get host(): string {
    return `${this.#tls ? "wss" : "ws"}://127.0.0.1:${this.#port}`;
  }

  /** `http://127.0.0.1:PORT` (`https://` with TLS): the origin of the REST endpoints. */
  get origin(): string {
    return `${this.#tls ? "https" : "http"}://127.0.0.1:${this.#port}`;
  }

  /** The port, once listening. */
  get port(): number {
    return this.#port;
  }

  /** Starts listening; resolves once the port is known. */
  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#http.once("error", reject);
      this.#http.listen(0, "127.0.0.1", () => {
        const address = this.#http.address();
        this.#port = typeof address === "object" && address ? address.port : 0;
        resolve();
      });
    });
  }

  /** Terminates every WebSocket and raw socket, then closes the server. */
  async close(): Promise<void> {
    for (const client of this.wss.clients) client.terminate();
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    await new Promise<void>((resolve) => this.#http.close(() => resolve()));
  }
}
