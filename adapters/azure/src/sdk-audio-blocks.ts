import { bytesPerFrame, bytesPerSecond, type AudioFormat } from "@sttkit/core";

/**
 * Regroups PCM into the blocks the Speech SDK sends, a tenth of a second each. The SDK keeps a
 * block of exactly that size as it is (for its own replay after a reconnect) instead of copying
 * it, so handing it such blocks means the audio is copied once, here, and the adapter's replay
 * buffer and the SDK's share the same memory.
 */
export class SdkAudioBlocks {
  readonly #blockBytes: number;
  #block: Uint8Array | undefined;
  #filled = 0;

  constructor(format: AudioFormat) {
    const tenth = Math.round(bytesPerSecond(format) / 10);
    this.#blockBytes = Math.max(bytesPerFrame(format), tenth - (tenth % bytesPerFrame(format)));
  }

  /** Bytes per whole block. */
  get blockBytes(): number {
    return this.#blockBytes;
  }

  /** Copies `pcm` in (the caller may reuse it afterwards) and hands over each block it completes. */
  add(pcm: Uint8Array, onBlock: (block: Uint8Array) => void): void {
    let at = 0;
    while (at < pcm.byteLength) {
      const block = (this.#block ??= new Uint8Array(this.#blockBytes));
      const take = Math.min(pcm.byteLength - at, this.#blockBytes - this.#filled);
      block.set(pcm.subarray(at, at + take), this.#filled);
      this.#filled += take;
      at += take;
      if (this.#filled === this.#blockBytes) {
        this.#block = undefined;
        this.#filled = 0;
        onBlock(block);
      }
    }
  }

  /** The partly filled block, trimmed to its audio, if any: the tail sent at the end of the audio. */
  flush(): Uint8Array | undefined {
    const block = this.#block;
    const filled = this.#filled;
    this.#block = undefined;
    this.#filled = 0;
    return block && filled > 0 ? block.slice(0, filled) : undefined;
  }
}
