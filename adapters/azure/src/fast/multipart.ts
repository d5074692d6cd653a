import { randomBytes } from "node:crypto";

/** One part of a `multipart/form-data` body. */
export interface FormPart {
  readonly name: string;
  /** Sent as the part's `filename` (a file upload). */
  readonly filename?: string;
  readonly contentType: string;
  /** The part's content, in order: bytes in memory, and blocks read as the body is sent. */
  readonly body: ReadonlyArray<Uint8Array | AsyncIterable<Uint8Array>>;
}

/** A `multipart/form-data` body that is produced as it is sent. */
export interface StreamedForm {
  /** The `Content-Type` header's value, with the boundary. */
  readonly contentType: string;
  /** The body's length in bytes, when every part's length is known. */
  readonly length: number | undefined;
  /** The body: each pull reads the next block, so the upload's pace sets the reading's. */
  readonly stream: ReadableStream<Uint8Array>;
}

const encoder = new TextEncoder();

function partHeader(boundary: string, part: FormPart): Uint8Array {
  const filename = part.filename === undefined ? "" : `; filename="${part.filename}"`;
  return encoder.encode(`--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"${filename}\r\nContent-Type: ${part.contentType}\r\n\r\n`);
}

/** The body's pieces in order: the framing and in-memory parts as bytes, the streamed parts as iterables. */
function pieces(boundary: string, parts: readonly FormPart[]): Array<Uint8Array | AsyncIterable<Uint8Array>> {
  const crlf = encoder.encode("\r\n");
  return [...parts.flatMap((part) => [partHeader(boundary, part), ...part.body, crlf]), encoder.encode(`--${boundary}--\r\n`)];
}

/**
 * Builds a `multipart/form-data` body from parts without holding it: a streamed part is read one
 * block per pull of the returned stream (backpressure reaches the disk), straight from its
 * iterator with no layer in between, and cancelling the stream ends it (closing a file being
 * read). `onChunk` is called as each block is handed out.
 *
 * @param knownLengths - each part's content length when known (`undefined` for one makes the total unknown).
 */
export function streamedForm(parts: readonly FormPart[], knownLengths: ReadonlyArray<number | undefined>, onChunk: () => void = () => undefined): StreamedForm {
  const boundary = `sttkit-${randomBytes(12).toString("hex")}`;
  const queue = pieces(boundary, parts);
  const framing = queue.reduce<number>((sum, piece) => sum + (piece instanceof Uint8Array ? piece.byteLength : 0), 0);
  const streamedLength = knownLengths.every((n) => n !== undefined) ? knownLengths.reduce<number>((sum, n) => sum + (n ?? 0), 0) : undefined;
  const inMemory = parts.reduce((sum, part) => sum + part.body.reduce((bytes, piece) => bytes + (piece instanceof Uint8Array ? piece.byteLength : 0), 0), 0);
  const length = streamedLength === undefined ? undefined : framing - inMemory + streamedLength;
  let index = 0;
  let reading: AsyncIterator<Uint8Array> | undefined;
  const stream = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        for (;;) {
          const piece = queue[index];
          if (piece === undefined) return controller.close();
          if (piece instanceof Uint8Array) {
            index++;
            onChunk();
            return controller.enqueue(piece);
          }
          reading ??= piece[Symbol.asyncIterator]();
          const next = await reading.next();
          if (!next.done) {
            onChunk();
            return controller.enqueue(next.value);
          }
          reading = undefined;
          index++;
        }
      },
      async cancel() {
        await reading?.return?.();
      },
    },
    { highWaterMark: 0 },
  );
  return { contentType: `multipart/form-data; boundary=${boundary}`, length, stream };
}
