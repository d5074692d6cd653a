/**
 * A streaming `multipart/form-data` reader for the local test double: it splits a body into parts
 * as the bytes arrive, without holding the body. Each part's headers are bounded; its content goes
 * to the caller chunk by chunk.
 *
 * @module
 */

/** The most bytes a part's header block may take. */
const MAX_PART_HEADER_BYTES = 8 * 1024;

/** What the reader reports as it goes. */
export interface MultipartHandlers {
  /** A part begins: its `Content-Disposition` name and filename, and its `Content-Type`. */
  partStart(part: { readonly name: string | undefined; readonly filename: string | undefined; readonly contentType: string | undefined }): void;
  /** Bytes of the current part's content. */
  partData(bytes: Buffer): void;
  /** The current part is complete. */
  partEnd(): void;
}

type State = "preamble" | "headers" | "content" | "done" | "failed";

/** Reads one body; `problem` says what was wrong with it, once it is. */
export class MultipartReader {
  readonly #delimiter: Buffer;
  readonly #handlers: MultipartHandlers;
  #state: State = "preamble";
  #buffer: Buffer = Buffer.alloc(0);
  problem: string | undefined;

  constructor(boundary: string, handlers: MultipartHandlers) {
    this.#delimiter = Buffer.from(`\r\n--${boundary}`);
    this.#handlers = handlers;
    // The first delimiter has no leading CRLF: pretend it had one.
    this.#buffer = Buffer.from("\r\n");
  }

  /** Whether the closing delimiter was read. */
  get complete(): boolean {
    return this.#state === "done";
  }

  write(chunk: Buffer): void {
    if (this.#state === "done" || this.#state === "failed") return;
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    for (;;) {
      if (!this.#step()) break;
    }
  }

  /** The body ended: a part still open is a problem. */
  end(): void {
    if (this.#state !== "done" && this.#state !== "failed") this.#fail("the body ended before the closing boundary");
  }

  #fail(problem: string): void {
    this.#state = "failed";
    this.problem = problem;
    this.#buffer = Buffer.alloc(0);
  }

  /** One step of the state machine; false when more bytes are needed. */
  #step(): boolean {
    if (this.#state === "preamble" || this.#state === "content") {
      const at = this.#buffer.indexOf(this.#delimiter);
      if (at < 0) {
        // Keep what could be the start of a delimiter; the rest is content (or ignored preamble).
        const keep = Math.min(this.#buffer.length, this.#delimiter.length - 1);
        const data = this.#buffer.subarray(0, this.#buffer.length - keep);
        if (this.#state === "content" && data.length > 0) this.#handlers.partData(data);
        this.#buffer = this.#buffer.subarray(this.#buffer.length - keep);
        return false;
      }
      if (this.#state === "content") {
        if (at > 0) this.#handlers.partData(this.#buffer.subarray(0, at));
        this.#handlers.partEnd();
      }
      const after = this.#buffer.subarray(at + this.#delimiter.length);
      if (after.length < 2) {
        // Wait for the two bytes that say whether this is the closing delimiter. The part (if
        // any) has been reported as ended: read on as between parts, from the delimiter.
        this.#buffer = this.#buffer.subarray(at);
        this.#state = "preamble";
        return false;
      }
      if (after.subarray(0, 2).toString("latin1") === "--") {
        this.#state = "done";
        this.#buffer = Buffer.alloc(0);
        return false;
      }
      if (after.subarray(0, 2).toString("latin1") !== "\r\n") {
        this.#fail("a boundary is not followed by CRLF");
        return false;
      }
      this.#buffer = after.subarray(2);
      this.#state = "headers";
      return true;
    }
    if (this.#state === "headers") {
      const end = this.#buffer.indexOf("\r\n\r\n");
      if (end < 0) {
        if (this.#buffer.length > MAX_PART_HEADER_BYTES) this.#fail(`a part's headers exceed ${MAX_PART_HEADER_BYTES} bytes`);
        return false;
      }
      const headers = this.#buffer.subarray(0, end).toString("latin1").split("\r\n");
      this.#buffer = this.#buffer.subarray(end + 4);
      const header = (name: string): string | undefined =>
        headers.find((line) => line.toLowerCase().startsWith(`${name}:`))?.slice(name.length + 1).trim();
      const disposition = header("content-disposition") ?? "";
      const name = /(?:^|;)\s*name="([^"]*)"/i.exec(disposition)?.[1];
      const filename = /;\s*filename="([^"]*)"/i.exec(disposition)?.[1];
      if (!/^form-data\b/i.test(disposition)) {
        this.#fail("a part has no form-data Content-Disposition");
        return false;
      }
      this.#handlers.partStart({ name, filename, contentType: header("content-type") });
      this.#state = "content";
      return true;
    }
    return false;
  }
}

/** The boundary of a `multipart/form-data` Content-Type, or `undefined` when it is another type. */
export function multipartBoundary(contentType: string | undefined): string | undefined {
  if (!contentType || !/^multipart\/form-data\s*;/i.test(contentType)) return undefined;
  const match = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const boundary = match?.[1] ?? match?.[2];
  return boundary && boundary.length <= 70 ? boundary : undefined;
}
