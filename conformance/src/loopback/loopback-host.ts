import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer } from "ws";

/**
 * An HTTP server on 127.0.0.1 (ephemeral port) that hands WebSocket upgrades to its owner and
 * keeps track of every socket, so closing it releases everything: the common base of every
 * vendor's test double (replay servers, recording proxies).
 */
export class LoopbackWebSocketHost {
  /** Accepts the upgrades the owner lets through. */
  readonly wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  readonly #http: Server;
  readonly #sockets = new Set<Duplex>();
  #port = 0;

  /**
   * @param onUpgrade - decides each upgrade: refuse it on the raw socket, or accept it through {@link LoopbackWebSocketHost.wss}.
   * @param onRequest - answers plain HTTP requests (a vendor's REST endpoint on the same port); 404 when absent.
   */
  constructor(
    onUpgrade: (request: IncomingMessage, socket: Duplex, head: Buffer) => void,
    onRequest: (request: IncomingMessage, response: ServerResponse) => void = (_request, response) => response.writeHead(404).end(),
  ) {
    this.#http = createServer(onRequest);
    this.#http.on("connection", (socket) => {
      this.#sockets.add(socket);
      socket.on("close", () => this.#sockets.delete(socket));
    });
    this.#http.on("upgrade", onUpgrade);
  }

  /** `ws://127.0.0.1:PORT`: where a vendor SDK pointed at a host connects. */
  get host(): string {
    return `ws://127.0.0.1:${this.#port}`;
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
