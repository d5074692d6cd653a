/**
 * Bytes in a ring that grows on demand up to a bound and reuses the bytes dropped from its front:
 * storage for audio held for seconds and then forgotten, with no allocation per write and so no
 * garbage. Internal to the kit ({@link ReplayBuffer} with `copy`).
 */
export class ByteRing {
  readonly #maxBytes: number;
  readonly #initialBytes: number;
  #ring: Uint8Array;
  /** Index of the first byte held. */
  #head = 0;
  #length = 0;

  /**
   * @param initialBytes - the ring's first size.
   * @param maxBytes - the most it ever holds; a write beyond it is the caller's error.
   */
  constructor(initialBytes: number, maxBytes: number) {
    this.#maxBytes = Math.max(1, maxBytes);
    this.#initialBytes = Math.max(1, Math.min(initialBytes, this.#maxBytes));
    this.#ring = new Uint8Array(this.#initialBytes);
  }

  /** Bytes held. */
  get length(): number {
    return this.#length;
  }

  /** Bytes of storage: what the ring costs in memory. */
  get capacity(): number {
    return this.#ring.byteLength;
  }

  /**
   * Copies `bytes` in after what is held and returns where they went (one view, or two when they
   * wrap around the ring's end), valid until those bytes are dropped. Throws when it would hold
   * more than its bound.
   */
  write(bytes: Uint8Array): Uint8Array[] {
    const needed = this.#length + bytes.byteLength;
    if (needed > this.#maxBytes) throw new RangeError(`ByteRing: ${needed} bytes exceed its bound of ${this.#maxBytes}`);
    if (needed > this.#ring.byteLength) this.#resize(Math.min(this.#maxBytes, Math.max(needed, this.#ring.byteLength * 2)));
    const capacity = this.#ring.byteLength;
    const tail = (this.#head + this.#length) % capacity;
    const first = Math.min(bytes.byteLength, capacity - tail);
    this.#length = needed;
    if (first === bytes.byteLength) {
      this.#ring.set(bytes, tail);
      return [this.#ring.subarray(tail, tail + first)];
    }
    this.#ring.set(bytes.subarray(0, first), tail);
    this.#ring.set(bytes.subarray(first), 0);
    return [this.#ring.subarray(tail, capacity), this.#ring.subarray(0, bytes.byteLength - first)];
  }

  /**
   * Forgets the first `count` bytes held (all of them when `count` is larger); their storage is
   * reused by later writes. The ring keeps its size (the most it held at once, within its bound)
   * until {@link ByteRing.clear}: shrinking after each release only to grow again at the next
   * hold cost a copy and an allocation at every final: in a profile of 100 Deepgram streams it was
   * the largest single item of the write path.
   */
  dropFront(count: number): void {
    const dropped = Math.max(0, Math.min(count, this.#length));
    this.#length -= dropped;
    this.#head = this.#length === 0 ? 0 : (this.#head + dropped) % this.#ring.byteLength;
  }

  /** The bytes held, oldest first: at most two views of the ring, valid until those bytes are dropped. */
  views(): Uint8Array[] {
    if (this.#length === 0) return [];
    const capacity = this.#ring.byteLength;
    const end = this.#head + this.#length;
    if (end <= capacity) return [this.#ring.subarray(this.#head, end)];
    return [this.#ring.subarray(this.#head, capacity), this.#ring.subarray(0, end - capacity)];
  }

  /** Forgets everything held and goes back to its first size. */
  clear(): void {
    this.#head = 0;
    this.#length = 0;
    if (this.#ring.byteLength !== this.#initialBytes) this.#ring = new Uint8Array(this.#initialBytes);
  }

  #resize(capacity: number): void {
    const next = new Uint8Array(capacity);
    let at = 0;
    for (const view of this.views()) {
      next.set(view, at);
      at += view.byteLength;
    }
    this.#ring = next;
    this.#head = 0;
  }
}
