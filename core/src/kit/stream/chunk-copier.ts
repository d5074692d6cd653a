/**
 * Copies of the caller's audio chunks, cut from shared blocks: a copy costs a `memcpy` and a view,
 * not an `ArrayBuffer` of its own. A stream copies every chunk it hands on (callers reuse their
 * buffers; drivers and sockets may hold on to chunks), and at a hundred streams of 100 ms chunks
 * one allocation per chunk was a measurable part of the adapter's CPU and of its garbage.
 *
 * Blocks are append-only: a region once handed out is never written again, so a copy stays valid
 * for as long as anyone holds it, exactly like `Uint8Array.prototype.slice`. A block is freed by the
 * garbage collector when no copy cut from it is held any more; the block size is kept small so
 * that one long-held copy does not keep much unrelated audio alive.
 *
 * @category Stream plumbing
 */
/**
 * The block size {@link ChunkCopier} uses unless told otherwise: a few 100 ms chunks of 16 kHz
 * audio, small enough that a chunk held for long keeps little else alive.
 */
const DEFAULT_BLOCK_BYTES = 16 * 1024;

export class ChunkCopier {
  readonly #blockBytes: number;
  #block: Uint8Array | undefined;
  #used = 0;

  /** @param blockBytes - the size of each shared block (default 16 KiB); chunks larger than a block get one of their own. */
  constructor(blockBytes: number = DEFAULT_BLOCK_BYTES) {
    this.#blockBytes = Math.max(1, Math.floor(blockBytes));
  }

  /** A copy of `bytes` that no later copy overwrites. */
  copy(bytes: Uint8Array): Uint8Array {
    const length = bytes.byteLength;
    if (length === 0) return new Uint8Array(0);
    // Larger than a block: a block of its own, so the shared blocks stay small.
    if (length > this.#blockBytes) return bytes.slice();
    if (this.#block === undefined || this.#blockBytes - this.#used < length) {
      this.#block = new Uint8Array(this.#blockBytes);
      this.#used = 0;
    }
    const start = this.#used;
    this.#block.set(bytes, start);
    this.#used = start + length;
    return this.#block.subarray(start, this.#used);
  }
}
