import { describeCause } from "@sttkit/core/kit";
import type { SdkClient } from "./client.js";
import { KeepAlive } from "./keep-alive.js";
import { readMessage, type DeepgramMessage } from "./messages.js";
import type { DeepgramQuery } from "./query.js";

/** What one connection reports, free of SDK types. */
export interface ConnectionListener {
  /** The WebSocket is open: audio may flow. */
  opened(): void;
  /** A server message, read. */
  message(message: DeepgramMessage): void;
  /** The server closed the socket (or it dropped: 1006). */
  closed(code: number, reason: string): void;
  /** Connecting failed, or the socket failed: the SDK's error text (`Unexpected server response: 401`, `TIMEOUT`, ...). */
  failed(text: string): void;
}

type SdkSocket = Awaited<ReturnType<SdkClient["listen"]["v1"]["connect"]>>;
/** The raw `ws` socket inside the SDK's reconnecting wrapper: closing must be bounded, and only it can be terminated. */
interface RawSocket {
  readonly readyState: number;
  once(event: "close", listener: () => void): unknown;
  removeListener(event: "close", listener: () => void): unknown;
  terminate(): void;
}

/** How long a close handshake may take before the socket is torn down: a dead peer must not hold the process. */
const CLOSE_LIMIT_MS = 1_000;
const CLOSED = 3;

/**
 * One listen WebSocket through the SDK: the unit the adapter opens, and opens again to recover.
 * The SDK's own reconnect is off (`reconnectAttempts: 0` and a `shouldReconnect` that says no),
 * so a lost connection is reported once, and the driver decides.
 */
export class DeepgramConnection {
  readonly #keepAlive: KeepAlive;
  #listener: ConnectionListener | undefined;
  #socket: SdkSocket | undefined;
  #open = false;
  #pendingError: string | undefined;
  #closing: Promise<void> | undefined;

  constructor(listener: ConnectionListener, keepAliveIntervalMs: number) {
    this.#listener = listener;
    this.#keepAlive = new KeepAlive(keepAliveIntervalMs, () => this.#sendControl("KeepAlive"));
  }

  /** Whether audio can be sent now. */
  get isOpen(): boolean {
    return this.#open;
  }

  /** Bytes handed to the socket and not yet written to the network (the SDK's `bufferedAmount`). */
  get bufferedBytes(): number {
    return this.#socket?.socket.bufferedAmount ?? 0;
  }

  /** Connects; failures arrive through the listener. */
  start(client: SdkClient, query: DeepgramQuery, connectTimeoutMs: number): void {
    client.listen.v1
      .connect({
        ...(query as Record<string, string>),
        model: query["model"] as string,
        // The SDK types require it but take the credential from the client's auth provider.
        Authorization: "",
        reconnectAttempts: 0,
        shouldReconnect: () => false,
        connectionTimeoutInSeconds: connectTimeoutMs / 1000,
      })
      .then((socket) => {
        if (this.#listener === undefined) {
          socket.close();
          return;
        }
        this.#socket = socket;
        this.#wire(socket);
        socket.connect();
      })
      .catch((cause: unknown) => this.#listener?.failed(describeCause(cause)));
  }

  #wire(socket: SdkSocket): void {
    socket.on("open", () => {
      this.#open = true;
      this.#keepAlive.start();
      this.#listener?.opened();
    });
    socket.on("message", (data: unknown) => this.#listener?.message(readMessage(data)));
    socket.on("error", (error: Error) => {
      this.#pendingError = error.message;
    });
    socket.on("close", (event: { code?: number; reason?: string }) => {
      this.#open = false;
      this.#keepAlive.stop();
      // The SDK reports a failed upgrade or socket error as a close 1000 followed, in the same
      // call, by the error: decide once both have been seen.
      const code = event.code ?? 1005;
      const reason = typeof event.reason === "string" ? event.reason : "";
      queueMicrotask(() => {
        const listener = this.#listener;
        this.#listener = undefined;
        if (this.#pendingError !== undefined) listener?.failed(this.#pendingError);
        else listener?.closed(code, reason);
      });
    });
  }

  /** Sends PCM; dropped when the socket is not open (the driver replays from its buffer). */
  send(pcm: Uint8Array): void {
    if (!this.#open || !this.#socket) return;
    try {
      this.#socket.sendMedia(pcm as never);
      this.#keepAlive.audioSent();
    } catch {
      // Closed under us: the close event follows and the driver replays.
    }
  }

  /** Flushes the audio sent so far into a final (`from_finalize`). */
  finalize(): void {
    this.#sendControl("Finalize");
  }

  /** No more audio: the service sends the last finals, `Metadata`, then closes with 1000. */
  closeStream(): void {
    this.#keepAlive.stop();
    this.#sendControl("CloseStream");
  }

  #sendControl(type: "KeepAlive" | "Finalize" | "CloseStream"): void {
    if (!this.#open || !this.#socket) return;
    try {
      if (type === "KeepAlive") this.#socket.sendKeepAlive({ type });
      else if (type === "Finalize") this.#socket.sendFinalize({ type });
      else this.#socket.sendCloseStream({ type });
    } catch {
      // Closed under us: the close event follows.
    }
  }

  /** Stops reporting and closes the socket; bounded in time, idempotent, never rejects. */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    this.#listener = undefined;
    this.#open = false;
    this.#keepAlive.stop();
    const socket = this.#socket;
    if (!socket) return;
    const raw = (socket.socket as unknown as { _ws?: RawSocket })._ws;
    try {
      socket.close();
    } catch {
      // Already closed.
    }
    if (!raw || raw.readyState === CLOSED) return;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        raw.removeListener("close", done);
        resolve();
      };
      const timer = setTimeout(() => {
        raw.terminate();
        done();
      }, CLOSE_LIMIT_MS);
      raw.once("close", done);
    });
  }
}
