import { open } from "node:fs/promises";

/** Block size for files whose size is not known up front (pipes, devices). */
const UNSIZED_BLOCK_BYTES = 1024 * 1024;

/**
 * Reads `path` whole if it holds at most `maxBytes`, then closes it: the one bounded file read
 * core's readers share (WAV files, config files). `undefined` when it holds more: a regular file
 * larger than the bound is refused from its size without reading it; one that grows while read, or
 * a pipe or device (`/dev/zero`), is read in blocks up to one byte past the bound. Rejects when the
 * file cannot be opened or read.
 */
export async function readFileAtMost(path: string, maxBytes: number): Promise<Uint8Array | undefined> {
  const handle = await open(path, "r");
  try {
    const info = await handle.stat();
    if (info.isFile() && info.size > maxBytes) return undefined;
    // A regular file is read at its size (plus one byte to see it did not grow); anything else in blocks.
    const blocks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const want = Math.min(info.isFile() ? info.size - total + 1 : UNSIZED_BLOCK_BYTES, maxBytes - total + 1);
      const block = new Uint8Array(Math.max(1, want));
      const { bytesRead } = await handle.read(block, 0, block.byteLength, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > maxBytes) return undefined;
      blocks.push(bytesRead === block.byteLength ? block : block.subarray(0, bytesRead));
    }
    if (blocks.length === 1) return blocks[0];
    const bytes = new Uint8Array(total);
    let at = 0;
    for (const block of blocks) {
      bytes.set(block, at);
      at += block.byteLength;
    }
    return bytes;
  } finally {
    await handle.close();
  }
}
