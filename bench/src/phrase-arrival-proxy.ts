import { connect, createServer, type Server, type Socket } from "node:net";

const HEADER_END = Buffer.from("\r\n\r\n");
const PHRASE_PATH = /^path:\s*speech\.phrase\s*$/im;
const TEXT_OPCODE = 0x1;

/**
 * Reads the server-to-client half of one WebSocket connection (the HTTP 101 answer, then frames)
 * and reports each `speech.phrase` message with the time its last byte arrived.
 */
class PhraseFrameReader {
  #pending: Buffer = Buffer.alloc(0);
  #upgraded = false;
  readonly #onPhrase: (arrivedAt: number) => void;

  constructor(onPhrase: (arrivedAt: number) => void) {
    this.#onPhrase = onPhrase;
  }

  push(chunk: Buffer, arrivedAt: number): void {
    this.#pending = this.#pending.byteLength === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
    if (!this.#upgraded) {
      const end = this.#pending.indexOf(HEADER_END);
      if (end < 0) return;
      this.#upgraded = true;
      this.#pending = this.#pending.subarray(end + HEADER_END.byteLength);
    }
    for (;;) {
      const frame = this.#nextFrame();
      if (!frame) return;
      if (frame.opcode === TEXT_OPCODE) {
        // USP text messages put their headers first; the Path header names the message.
        const headers = frame.payload.toString("utf8", 0, Math.min(frame.payload.byteLength, 512)).split("\r\n\r\n")[0] ?? "";
        if (PHRASE_PATH.test(headers)) this.#onPhrase(arrivedAt);
      }
    }
  }

  #nextFrame(): { opcode: number; payload: Buffer } | undefined {
    const bytes = this.#pending;
    if (bytes.byteLength < 2) return undefined;
    const opcode = (bytes[0] as number) & 0x0f;
    const masked = ((bytes[1] as number) & 0x80) !== 0;
    let length = (bytes[1] as number) & 0x7f;
    let at = 2;
    if (length === 126) {
      if (bytes.byteLength < 4) return undefined;
      length = bytes.readUInt16BE(2);
      at = 4;
    } else if (length === 127) {
      if (bytes.byteLength < 10) return undefined;
      length = Number(bytes.readBigUInt64BE(2));
      at = 10;
    }
    const maskAt = at;
    if (masked) at += 4;
    if (bytes.byteLength < at + length) return undefined;
    let payload = bytes.subarray(at, at + length);
    if (masked) {
      // Servers do not mask their frames; handled anyway so a masked frame cannot derail the reader.
      const mask = bytes.subarray(maskAt, maskAt + 4);
      payload = Buffer.from(payload.map((byte, index) => byte ^ (mask[index % 4] as number)));
    }
    this.#pending = bytes.subarray(at + length);
    return { opcode, payload };
  }
}

/**
 * A TCP relay between the client (adapter or raw SDK) and the replay server, in the client's own
 * process, that timestamps every `speech.phrase` the moment its bytes reach the client's machine.
 *
 * Why a relay: the added latency is "phrase sent by the service → final delivered to the
 * application". The server cannot be instrumented (its sources are not the bench's to change)
 * and the adapter's internal SDK callback cannot be observed, so both sides are measured from one
 * common, external point: the relay sees the bytes on the wire, before either client has parsed
 * them, on the same clock (`performance.now()`) as the application's callback. The relay costs
 * both sides the same one loopback hop, so it cancels out in the adapter − raw difference. The
 * timestamp is taken before the chunk is forwarded, and parsing happens after, so the relay's own
 * work does not delay delivery.
 */
export class PhraseArrivalProxy {
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  readonly #targetPort: number;
  #port = 0;
  #arrivals: number[] = [];

  private constructor(targetHost: string) {
    this.#targetPort = Number(new URL(targetHost).port);
    this.#server = createServer((client) => this.#relay(client));
  }

  static async start(targetHost: string): Promise<PhraseArrivalProxy> {
    const proxy = new PhraseArrivalProxy(targetHost);
    await new Promise<void>((resolve, reject) => {
      proxy.#server.once("error", reject);
      proxy.#server.listen(0, "127.0.0.1", () => resolve());
    });
    const address = proxy.#server.address();
    proxy.#port = typeof address === "object" && address ? address.port : 0;
    return proxy;
  }

  get host(): string {
    return `ws://127.0.0.1:${this.#port}`;
  }

  /** Phrase arrival times since the last call, in arrival order. */
  takeArrivals(): number[] {
    const arrivals = this.#arrivals;
    this.#arrivals = [];
    return arrivals;
  }

  #relay(client: Socket): void {
    const upstream = connect(this.#targetPort, "127.0.0.1");
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    this.#sockets.add(client).add(upstream);
    const reader = new PhraseFrameReader((arrivedAt) => this.#arrivals.push(arrivedAt));
    client.on("data", (chunk) => upstream.write(chunk));
    upstream.on("data", (chunk: Buffer) => {
      const arrivedAt = performance.now();
      client.write(chunk);
      reader.push(chunk, arrivedAt);
    });
    const teardown = (): void => {
      client.destroy();
      upstream.destroy();
      this.#sockets.delete(client);
      this.#sockets.delete(upstream);
    };
    client.on("close", teardown).on("error", teardown);
    upstream.on("close", teardown).on("error", teardown);
  }

  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
