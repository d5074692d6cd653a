import { bytesForMs, bytesPerFrame, bytesPerSecond, durationMs, type AudioFormat } from "../../audio/format.js";
import { sttError, type SttError } from "../../errors.js";
import { ReplayBuffer, type ReplayBufferOptions } from "./replay-buffer.js";

/**
 * How a driver recovers a lost connection: an adapter's `reconnect` section as read through
 * {@link RECONNECT_SETTINGS}.
 *
 * @category Stream plumbing
 */
export interface RecoverySettings {
  /** New connections in a row after a lost one before the stream fails; a delivered final resets the count. `0`: no recovery. */
  readonly maxAttempts: number;
  /** The most audio kept for replay, in seconds. */
  readonly maxReplaySeconds: number;
  /** Wait before the first recovery attempt, in ms; it doubles for each further one. */
  readonly backoffMs: number;
}

/**
 * What {@link ConnectionRecovery} needs to know of its stream.
 *
 * @category Stream plumbing
 */
export interface ConnectionRecoveryInit {
  /** The provider name put on the errors it reports. */
  readonly provider: string;
  /** The service as people call it, for messages: `"Azure"`, `"Deepgram"`. */
  readonly service: string;
  /** The stream's audio format: the replay buffer and the time line are measured in it. */
  readonly format: AudioFormat;
  /** The recovery settings. */
  readonly reconnect: RecoverySettings;
  /**
   * Copy the audio kept for replay into storage the recovery owns ({@link ReplayBufferOptions.copy}),
   * for a driver that sends from that copy instead of having the stream copy every chunk.
   */
  readonly copyAudio?: boolean;
}

/**
 * Recovery after a lost connection, for a driver that holds one connection (or recognizer) to its
 * service at a time and opens another when it is lost, without losing or doubling a final. It keeps:
 *
 * - the audio since the end of the last final ({@link ConnectionRecovery.replay}, a
 *   {@link ReplayBuffer}), which a new connection receives first
 *   ({@link ConnectionRecovery.replayChunks}), and where that audio starts on the stream's time
 *   line ({@link ConnectionRecovery.baseMs}), the offset to add to every time the new connection
 *   reports;
 * - which finals are new: replayed audio is recognised again, and a final ending no later than the
 *   last one delivered was delivered already ({@link ConnectionRecovery.acceptFinal});
 * - the connection in use, and those still closing in the background;
 * - the attempts made without a final in between, and the backoff before the next.
 *
 * The driver reports what its service says and decides which errors mean a lost connection;
 * {@link ConnectionRecovery.recover} decides whether to try again.
 *
 * @category Stream plumbing
 */
export class ConnectionRecovery<Connection extends { close(): Promise<void> }> {
  /** The audio since the end of the last final: append what is sent, replay it into each new connection. */
  readonly replay: ReplayBuffer;
  readonly #init: ConnectionRecoveryInit;
  readonly #closing = new Set<Promise<void>>();
  #current: Connection | undefined;
  #baseMs = 0;
  #lastFinalEndMs = Number.NEGATIVE_INFINITY;
  #withoutProgress = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;

  constructor(init: ConnectionRecoveryInit) {
    this.#init = init;
    const maxBytes = Math.floor(init.reconnect.maxReplaySeconds * bytesPerSecond(init.format));
    this.replay = new ReplayBuffer(maxBytes, bytesPerFrame(init.format), { copy: init.copyAudio === true });
  }

  /** Whether a lost connection is ever replaced (`maxAttempts` above 0): without it, no audio need be kept once sent. */
  get enabled(): boolean {
    return this.#init.reconnect.maxAttempts > 0;
  }

  /** The connection in use, if any. */
  get current(): Connection | undefined {
    return this.#current;
  }

  /** Where the current connection's audio starts on the stream's time line, in ms: add it to the times it reports. */
  get baseMs(): number {
    return this.#baseMs;
  }

  /** Makes `connection` the one in use (its reports count; the previous one's are stale). */
  adopt(connection: Connection): void {
    this.#current = connection;
  }

  /**
   * The audio to send a connection first, when it can take audio: what has no final yet. The
   * connection's times start where it starts, which {@link ConnectionRecovery.baseMs} now says.
   */
  replayChunks(): readonly Uint8Array[] {
    this.#baseMs = durationMs(this.replay.startByte, this.#init.format);
    return this.replay.chunks();
  }

  /** Whether `connection` is the one in use: reports of a replaced or closed one are stale. */
  isCurrent(connection: Connection): boolean {
    return !this.#stopped && this.#current === connection;
  }

  /**
   * A final ending at `endMs` on the stream's time line: `false` when replayed audio gave it again
   * (it ends no later than the last one delivered); otherwise the audio before it leaves the replay
   * buffer, the attempt count starts again, and `true`.
   */
  acceptFinal(endMs: number): boolean {
    if (endMs <= this.#lastFinalEndMs) return false;
    this.#lastFinalEndMs = endMs;
    this.#withoutProgress = 0;
    this.replay.discardBefore(bytesForMs(endMs, this.#init.format));
    return true;
  }

  /** The end of the last final delivered, on the stream's time line (−∞ before the first). */
  get lastFinalEndMs(): number {
    return this.#lastFinalEndMs;
  }

  /**
   * After the connection in use was lost with `error`: when it is a `connection` error and
   * attempts remain, retires that connection, calls `reconnect` after the backoff
   * (`backoffMs × 2^(attempt−1)`) with the milliseconds of audio to replay (for the sink's
   * `reconnected`), and returns the notice to report as a non-fatal `error` event. Otherwise
   * returns `undefined`: the stream fails with `error`.
   */
  recover(error: SttError, reconnect: (replayedMs: number) => void): SttError | undefined {
    const { maxAttempts, backoffMs } = this.#init.reconnect;
    if (this.#stopped || error.kind !== "connection" || this.#withoutProgress >= maxAttempts) return undefined;
    if (this.#current) this.retire(this.#current);
    this.#withoutProgress += 1;
    const replaySeconds = this.replay.byteLength / bytesPerSecond(this.#init.format);
    const lost = this.replay.overflowed ? " Older audio exceeded the replay buffer and is lost." : "";
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (!this.#stopped) reconnect(replaySeconds * 1000);
    }, backoffMs * 2 ** (this.#withoutProgress - 1));
    return sttError({
      kind: "connection",
      provider: this.#init.provider,
      message:
        `Lost the connection to ${this.#init.service}; reconnecting (attempt ${this.#withoutProgress} of ${maxAttempts}) ` +
        `and replaying ${replaySeconds.toFixed(1)} s of audio.${lost}`,
      ...(error.detail !== undefined ? { detail: error.detail } : {}),
    });
  }

  /** Detaches `connection` (no longer the one in use) and closes it in the background; {@link ConnectionRecovery.stop} waits for it. */
  retire(connection: Connection): void {
    if (this.#current === connection) this.#current = undefined;
    const closing = connection.close().finally(() => this.#closing.delete(closing));
    this.#closing.add(closing);
  }

  /** Stops for good: no further reconnect, the connection in use retired, every close awaited, the replay buffer emptied. Never rejects. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#current) this.retire(this.#current);
    await Promise.all([...this.#closing].map((closing) => closing.catch(() => undefined)));
    this.replay.clear();
  }
}
