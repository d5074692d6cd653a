import type { ObservedQuery } from "./query-checks.js";

/** A text message the client sent on a listen connection, with how much audio had arrived by then. */
export interface ObservedControl {
  /** Its `type`: `KeepAlive`, `Finalize`, `CloseStream`, or what else the client sent. */
  readonly type: string;
  /** Milliseconds of audio received on the connection before it. */
  readonly atAudioMs: number;
}

/** Everything the server saw of one listen connection attempt. */
export interface ObservedDeepgramConnection {
  /** 0-based attempt number across the server's life. */
  readonly attempt: number;
  /** Request path of the upgrade. */
  readonly path: string;
  /** Query parameters of the upgrade. */
  readonly query: ObservedQuery;
  /** Upgrade request headers, names lower-cased. */
  readonly headers: Readonly<Record<string, string>>;
  /** The HTTP status the upgrade was refused with, when it was. */
  refusedWith?: number;
  /** Bytes of audio received. */
  audioBytes: number;
  /** Binary frames received. */
  audioFrames: number;
  /** Text messages received, in order. */
  readonly controls: ObservedControl[];
  /** Where this connection's first audio byte sits on the recording's time line, in ms (non-zero when the client resumed). */
  startMs: number;
  /** How the socket ended: the close code sent or received, or `"dropped"` when the server cut it. */
  closed?: number | "dropped";
}

/** One request the server saw on the pre-recorded endpoint. */
export interface ObservedDeepgramRequest {
  /** Request path. */
  readonly path: string;
  /** Query parameters. */
  readonly query: ObservedQuery;
  /** Request headers, names lower-cased. */
  readonly headers: Readonly<Record<string, string>>;
  /** Bytes of the body received. */
  bodyBytes: number;
  /** The status answered. */
  status?: number;
}

/**
 * The received PCM of one connection, kept in one growing buffer so a resumed client's audio can
 * be found in it without copying every chunk again.
 */
export class PcmLog {
  #buffer = new Uint8Array(64 * 1024);
  #length = 0;

  /** Bytes held. */
  get byteLength(): number {
    return this.#length;
  }

  /** Appends a chunk. */
  append(chunk: Uint8Array): void {
    if (this.#length + chunk.byteLength > this.#buffer.byteLength) {
      const grown = new Uint8Array(Math.max(this.#buffer.byteLength * 2, this.#length + chunk.byteLength));
      grown.set(this.#buffer.subarray(0, this.#length));
      this.#buffer = grown;
    }
    this.#buffer.set(chunk, this.#length);
    this.#length += chunk.byteLength;
  }

  /** A view of everything held (valid until the next append). */
  bytes(): Uint8Array {
    return this.#buffer.subarray(0, this.#length);
  }
}
