import { open } from "node:fs/promises";

/**
 * Reads a text file of at most `maxBytes`, in chunks, then closes it. A larger file, or one that
 * grows past the bound while read, is an error rather than a memory spike.
 */
export async function readBoundedText(path: string, maxBytes: number): Promise<string> {
  const handle = await open(path, "r");
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.alloc(64 * 1024);
      const { bytesRead } = await handle.read(chunk, 0, chunk.byteLength, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > maxBytes) throw new Error(`${path} is more than the ${maxBytes} bytes allowed`);
      chunks.push(chunk.subarray(0, bytesRead));
    }
    return Buffer.concat(chunks, total).toString("utf8");
  } finally {
    await handle.close();
  }
}

/**
 * Splits a stream of text into lines, keeping at most `maxLineChars` of any one line (the rest of
 * a longer line is dropped, and the line marked as cut), so a child that never prints a newline
 * cannot grow the parent's memory.
 */
export class LineSplitter {
  #partial = "";
  #cut = false;
  readonly #maxLineChars: number;
  readonly #onLine: (line: string) => void;

  constructor(maxLineChars: number, onLine: (line: string) => void) {
    this.#maxLineChars = maxLineChars;
    this.#onLine = onLine;
  }

  /** Feeds a chunk; calls back for every complete line in it. */
  push(chunk: string): void {
    let start = 0;
    for (let newline = chunk.indexOf("\n"); newline !== -1; newline = chunk.indexOf("\n", start)) {
      this.#append(chunk.slice(start, newline));
      this.#flush();
      start = newline + 1;
    }
    this.#append(chunk.slice(start));
  }

  /** Ends the stream: a last line without a newline is delivered too. */
  end(): void {
    if (this.#partial.length > 0 || this.#cut) this.#flush();
  }

  #append(text: string): void {
    const room = this.#maxLineChars - this.#partial.length;
    if (text.length > room) {
      this.#partial += text.slice(0, Math.max(0, room));
      this.#cut = true;
    } else this.#partial += text;
  }

  #flush(): void {
    const line = this.#cut ? `${this.#partial}… (cut)` : this.#partial;
    this.#partial = "";
    this.#cut = false;
    this.#onLine(line.endsWith("\r") ? line.slice(0, -1) : line);
  }
}

/** The last lines of some output, at most `maxLines` of them. */
export class TailBuffer {
  readonly #lines: string[] = [];
  readonly #maxLines: number;

  constructor(maxLines: number) {
    this.#maxLines = maxLines;
  }

  /** Keeps a line, dropping the oldest past the bound. */
  push(line: string): void {
    this.#lines.push(line);
    if (this.#lines.length > this.#maxLines) this.#lines.shift();
  }

  /** The lines kept, joined. */
  text(): string {
    return this.#lines.join("\n");
  }
}
