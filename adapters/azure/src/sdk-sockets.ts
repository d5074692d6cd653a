import { subscribe } from "node:diagnostics_channel";
import type { ClientRequest } from "node:http";
import type { Socket } from "node:net";

/** One WebSocket upgrade request the Speech SDK made, with its socket. */
interface TrackedRequest {
  readonly request: ClientRequest;
  socket: Socket | undefined;
  upgraded: boolean;
}

/** The SDK names every connection with a 32-hex `X-ConnectionId`, kept across its reconnects. */
const CONNECTION_ID = /^[0-9a-f]{32}$/i;

/** Requests no recognizer has claimed yet, by connection id; each is forgotten when it closes. */
const unclaimed = new Map<string, Set<TrackedRequest>>();
/** Which recognizer's {@link SdkSockets} owns each connection id. */
const owners = new Map<string, SdkSockets>();
let listening = false;

function connectionIdOf(request: ClientRequest): string | undefined {
  const header = request.getHeader("x-connectionid");
  return typeof header === "string" && CONNECTION_ID.test(header) ? header : undefined;
}

function onRequestStart(message: unknown): void {
  const request = (message as { request?: ClientRequest } | undefined)?.request;
  if (!request || typeof request.getHeader !== "function") return;
  const id = connectionIdOf(request);
  if (id === undefined) return;
  const tracked: TrackedRequest = { request, socket: undefined, upgraded: false };
  let forgotten = false;
  const forget = (): void => {
    if (forgotten) return;
    forgotten = true;
    const waiting = unclaimed.get(id);
    waiting?.delete(tracked);
    if (waiting?.size === 0) unclaimed.delete(id);
    owners.get(id)?.forget(tracked);
  };
  const watchSocket = (socket: Socket): void => {
    tracked.socket = socket;
    if (socket.destroyed) forget();
    else socket.once("close", forget);
  };
  if (request.socket) watchSocket(request.socket);
  else request.once("socket", watchSocket);
  request.once("upgrade", () => {
    tracked.upgraded = true;
  });
  // A request that ends without an upgrade is done with its socket (an upgraded one lives on in it).
  request.once("close", () => {
    if (!tracked.upgraded) forget();
  });
  const owner = owners.get(id);
  if (owner) owner.adopt(tracked);
  else {
    const waiting = unclaimed.get(id) ?? new Set<TrackedRequest>();
    waiting.add(tracked);
    unclaimed.set(id, waiting);
  }
}

/**
 * The sockets one Speech SDK recognizer opened, so that closing it releases them all. The SDK
 * cannot be told to give up a connection whose WebSocket upgrade the server never answers: its
 * close waits for that connection forever, holding the socket (and the audio) and keeping the
 * process alive. The SDK's upgrade requests are seen through Node's `http.client.request.start`
 * diagnostics channel and matched to the recognizer by the connection id the SDK announces when it
 * starts connecting.
 */
export class SdkSockets {
  readonly #ids = new Set<string>();
  readonly #requests = new Set<TrackedRequest>();
  #releasing = false;

  constructor() {
    if (!listening) {
      subscribe("http.client.request.start", onRequestStart);
      listening = true;
    }
  }

  /** The recognizer started connecting with this id: its requests, past and future, are ours. */
  claim(connectionId: string): void {
    if (!CONNECTION_ID.test(connectionId)) return;
    this.#ids.add(connectionId);
    owners.set(connectionId, this);
    const waiting = unclaimed.get(connectionId);
    unclaimed.delete(connectionId);
    for (const tracked of waiting ?? []) this.adopt(tracked);
  }

  /** Takes a request of one of our connections (called by the channel listener). */
  adopt(tracked: TrackedRequest): void {
    if (this.#releasing && !tracked.upgraded) tracked.request.destroy();
    else this.#requests.add(tracked);
  }

  /** A request's socket closed (called by the channel listener). */
  forget(tracked: TrackedRequest): void {
    this.#requests.delete(tracked);
  }

  /**
   * Closing starts: aborts every upgrade still waiting for the server, and any the SDK starts from
   * now on (it retries a failed upgrade a few times), so the SDK's own close can complete.
   */
  abortPending(): void {
    this.#releasing = true;
    for (const tracked of [...this.#requests]) {
      if (!tracked.upgraded) tracked.request.destroy();
    }
  }

  /** Destroys every socket still open: what the SDK's own close did not release in time. */
  destroyAll(): void {
    this.#releasing = true;
    for (const tracked of [...this.#requests]) {
      tracked.request.destroy();
      tracked.socket?.destroy();
    }
    this.#requests.clear();
  }

  /**
   * The SDK is done with every connection: forget the ids. Called only once the SDK's close has
   * completed, since until then it may still start (and must not be left to keep) a connection.
   */
  dispose(): void {
    this.destroyAll();
    for (const id of this.#ids) {
      if (owners.get(id) === this) owners.delete(id);
    }
    this.#ids.clear();
  }
}
