/**
 * The audio written since the last final transcript, kept so it can be sent again to another
 * provider (or a reconnected one) without losing speech. Chunks keep their byte offset on the
 * stream's time line; trimming at a final's end frees everything before it.
 */
export class ReplayBuffer {
  readonly #maxBytes: number;
  readonly #frameBytes: number;
  #chunks: Array<{ readonly start: number; readonly bytes: Uint8Array }> = [];
  #totalBytes = 0;
  #droppedBytes = 0;

  /**
   * @param maxBytes - the most audio kept; older audio is dropped beyond it (and counted).
   * @param frameBytes - bytes per sample frame, so trims never split a frame.
   */
  constructor(maxBytes: number, frameBytes: number) {
    this.#maxBytes = maxBytes;
    this.#frameBytes = frameBytes;
  }

  /** Bytes written since the stream began. */
  get totalBytes(): number {
    return this.#totalBytes;
  }

  /** Byte offset of the oldest audio still held (equal to `totalBytes` when empty). */
  get startByte(): number {
    return this.#chunks[0]?.start ?? this.#totalBytes;
  }

  /** Bytes held. */
  get heldBytes(): number {
    return this.#totalBytes - this.startByte;
  }

  /** Bytes dropped because the buffer was full: audio a replay could no longer cover. */
  get droppedBytes(): number {
    return this.#droppedBytes;
  }

  /** Keeps a chunk (the caller must not modify it afterwards). */
  append(bytes: Uint8Array): void {
    if (bytes.byteLength === 0) return;
    this.#chunks.push({ start: this.#totalBytes, bytes });
    this.#totalBytes += bytes.byteLength;
    while (this.heldBytes > this.#maxBytes && this.#chunks.length > 1) {
      const oldest = this.#chunks.shift();
      this.#droppedBytes += oldest?.bytes.byteLength ?? 0;
    }
  }

  /** Frees the audio before `byteOffset` (rounded down to a whole frame). */
  trimBefore(byteOffset: number): void {
    const cut = byteOffset - (byteOffset % this.#frameBytes);
    while (this.#chunks.length > 0) {
      const first = this.#chunks[0] as { start: number; bytes: Uint8Array };
      const end = first.start + first.bytes.byteLength;
      if (end <= cut) {
        this.#chunks.shift();
        continue;
      }
      if (first.start < cut) this.#chunks[0] = { start: cut, bytes: first.bytes.subarray(cut - first.start) };
      break;
    }
  }

  /** The audio held, oldest first. */
  chunks(): Uint8Array[] {
    return this.#chunks.map((chunk) => chunk.bytes);
  }
}
