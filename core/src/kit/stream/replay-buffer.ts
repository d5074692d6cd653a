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
  #chunks: Uint8Array[] = [];
  #bytes = 0;
  /** Stream byte offset of the first byte held. */
  #startByte = 0;
  #overflowed = false;

  /**
   * @param maxBytes - the most audio held; the oldest goes first beyond it.
   * @param frameBytes - bytes per sample frame, so cuts never split a frame.
   */
  constructor(maxBytes: number, frameBytes: number) {
    this.#maxBytes = maxBytes - (maxBytes % frameBytes);
    this.#frameBytes = frameBytes;
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

  /** Keeps a chunk at the end of the time line (the caller must not modify it afterwards). */
  append(chunk: Uint8Array): void {
    this.#chunks.push(chunk);
    this.#bytes += chunk.byteLength;
    const excess = this.#bytes - this.#maxBytes;
    if (excess > 0) {
      this.#overflowed = true;
      // Chunks and the bound are whole frames, so the excess is too.
      this.#dropFront(excess);
    }
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
    return this.#chunks;
  }

  /** Forgets everything held; the time line goes on from where it was. */
  clear(): void {
    this.#startByte += this.#bytes;
    this.#chunks = [];
    this.#bytes = 0;
  }

  #dropFront(count: number): void {
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
