import { ByteRing } from "./byte-ring.js";

/**
 * How a {@link ReplayBuffer} holds its audio.
 *
 * @category Stream plumbing
 */
export interface ReplayBufferOptions {
  /**
   * Copy appended audio into storage the buffer owns and reuses (a ring that grows to the most
   * audio held at once), instead of keeping the appended chunks themselves. For a driver that
   * would otherwise copy every chunk to keep it: the ring's bytes are reused once discarded, so
   * seconds of held audio cost no garbage. The chunks {@link ReplayBuffer.chunks} returns are then
   * views of the ring, valid until the audio they hold leaves the buffer. Default `false`: the
   * chunks appended are kept and handed back as they are (a driver that tracks its own buffers by
   * identity needs that).
   */
  readonly copy?: boolean;
}

/** The ring a copying buffer starts with: about 2 s of 16 kHz audio, grown on demand. */
const INITIAL_RING_BYTES = 64 * 1024;

/**
 * The audio written since the end of the last delivered final transcript, on the stream's byte
 * time line: what must be sent again to a new recognizer so that no words are lost. Bounded;
 * the oldest audio goes first.
 *
 * @category Stream plumbing
 */
export class ReplayBuffer {
  readonly #maxBytes: number;
  readonly #frameBytes: number;
  /** The audio held, when it is kept as appended. */
  #chunks: Uint8Array[] = [];
  /** The audio held, when it is copied (see {@link ReplayBufferOptions.copy}). */
  readonly #ring: ByteRing | undefined;
  #bytes = 0;
  /** Stream byte offset of the first byte held. */
  #startByte = 0;
  #overflowed = false;

  /**
   * @param maxBytes - the most audio held; the oldest goes first beyond it.
   * @param frameBytes - bytes per sample frame, so cuts never split a frame.
   * @param options - whether audio is copied in.
   */
  constructor(maxBytes: number, frameBytes: number, options: ReplayBufferOptions = {}) {
    this.#maxBytes = maxBytes - (maxBytes % frameBytes);
    this.#frameBytes = frameBytes;
    // Whole frames, so a ring's wrap never splits a sample frame across two views.
    const initialRingBytes = Math.min(INITIAL_RING_BYTES - (INITIAL_RING_BYTES % frameBytes), this.#maxBytes);
    this.#ring = options.copy === true ? new ByteRing(initialRingBytes, this.#maxBytes) : undefined;
  }

  /** Stream byte offset of the first byte still held. */
  get startByte(): number {
    return this.#startByte;
  }

  /**
   * Whether audio no transcript covers was dropped to respect the bound: set when the oldest audio
   * goes, cleared by a {@link ReplayBuffer.discardBefore} that reaches the first byte still held.
   */
  get overflowed(): boolean {
    return this.#overflowed;
  }

  /** Bytes held. */
  get byteLength(): number {
    return this.#bytes;
  }

  /**
   * Keeps a chunk at the end of the time line and returns the audio as held: with
   * {@link ReplayBufferOptions.copy}, where its copy went (one view of the ring, or two where it
   * wraps; the caller may reuse `chunk`); otherwise the chunk itself, which the caller must not
   * modify afterwards. A kept chunk that continues the last one in the same memory (the stream
   * cuts its copies one after another from shared blocks) extends that one's view, so seconds of
   * audio are a few views, not one per write: fewer objects alive for the garbage collector to trace.
   */
  append(chunk: Uint8Array): readonly Uint8Array[] {
    if (this.#ring) return this.#appendCopy(chunk);
    const last = this.#chunks.at(-1);
    if (last !== undefined && last.buffer === chunk.buffer && last.byteOffset + last.byteLength === chunk.byteOffset) {
      this.#chunks[this.#chunks.length - 1] = new Uint8Array(last.buffer, last.byteOffset, last.byteLength + chunk.byteLength);
    } else {
      this.#chunks.push(chunk);
    }
    this.#bytes += chunk.byteLength;
    const excess = this.#bytes - this.#maxBytes;
    if (excess > 0) {
      this.#overflowed = true;
      // Chunks and the bound are whole frames, so the excess is too.
      this.#dropFront(excess);
    }
    return [chunk];
  }

  /** Forgets audio before stream byte `byte` (rounded down to a whole frame): it is transcribed. */
  discardBefore(byte: number): void {
    const target = byte - (byte % this.#frameBytes);
    // A target before the audio held leaves dropped audio untranscribed; one at its first byte covers it all.
    if (target < this.#startByte) return;
    this.#dropFront(Math.min(target - this.#startByte, this.#bytes));
    this.#overflowed = false;
  }

  /** The audio held, oldest first. */
  chunks(): readonly Uint8Array[] {
    return this.#ring ? this.#ring.views() : this.#chunks;
  }

  /** Forgets everything held; the time line goes on from where it was. */
  clear(): void {
    this.#startByte += this.#bytes;
    this.#chunks = [];
    this.#ring?.clear();
    this.#bytes = 0;
  }

  #appendCopy(chunk: Uint8Array): readonly Uint8Array[] {
    const ring = this.#ring as ByteRing;
    // Only the newest maxBytes of a chunk can be held; the rest is dropped as it would be anyway.
    const kept = chunk.byteLength > this.#maxBytes ? chunk.subarray(chunk.byteLength - this.#maxBytes) : chunk;
    const excess = this.#bytes + chunk.byteLength - this.#maxBytes;
    if (excess > 0) {
      this.#overflowed = true;
      const fromHeld = Math.min(excess, this.#bytes);
      ring.dropFront(fromHeld);
      this.#bytes -= fromHeld;
      this.#startByte += excess;
    }
    this.#bytes += kept.byteLength;
    return ring.write(kept);
  }

  #dropFront(count: number): void {
    if (this.#ring) {
      this.#ring.dropFront(count);
      this.#bytes -= count;
      this.#startByte += count;
      return;
    }
    let remaining = count;
    while (remaining > 0 && this.#chunks.length > 0) {
      const first = this.#chunks[0]!;
      if (first.byteLength <= remaining) {
        this.#chunks.shift();
        remaining -= first.byteLength;
        this.#bytes -= first.byteLength;
        this.#startByte += first.byteLength;
      } else {
        this.#chunks[0] = first.subarray(remaining);
        this.#bytes -= remaining;
        this.#startByte += remaining;
        remaining = 0;
      }
    }
  }
}
