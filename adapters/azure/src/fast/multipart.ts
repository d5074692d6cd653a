import { randomBytes } from "node:crypto";

/** One part of a `multipart/form-data` body. */
export interface FormPart {
  readonly name: string;
  /** Sent as the part's `filename` (a file upload). */
  readonly filename?: string;
  readonly contentType: string;
  /** The part's bytes: in memory, or read as the body is sent. */
  readonly body: Uint8Array | AsyncIterable<Uint8Array>;
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

async function* formBytes(boundary: string, parts: readonly FormPart[], onEnd: () => void): AsyncGenerator<Uint8Array> {
  for (const part of parts) {
    yield partHeader(boundary, part);
    if (part.body instanceof Uint8Array) yield part.body;
    else yield* part.body;
    yield encoder.encode("\r\n");
  }
  yield encoder.encode(`--${boundary}--\r\n`);
  onEnd();
}

/**
 * Builds a `multipart/form-data` body from parts without holding it: the parts' iterables are read
 * one block per pull of the returned stream (backpressure reaches the disk), and cancelling the
 * stream ends them (closing a file being read). `hooks.onChunk` is called as each block is handed
 * out, `hooks.onEnd` once the last one is.
 *
 * @param knownLengths - each part's body length when known (`undefined` for one makes the total unknown).
 */
export function streamedForm(
  parts: readonly FormPart[],
  knownLengths: ReadonlyArray<number | undefined>,
  hooks: { readonly onEnd?: () => void; readonly onChunk?: () => void } = {},
): StreamedForm {
  const boundary = `sttkit-${randomBytes(12).toString("hex")}`;
  const framing = parts.reduce((sum, part) => sum + partHeader(boundary, part).byteLength + 2, 0) + encoder.encode(`--${boundary}--\r\n`).byteLength;
  const length = knownLengths.every((n) => n !== undefined) ? framing + knownLengths.reduce<number>((sum, n) => sum + (n ?? 0), 0) : undefined;
  const bytes = formBytes(boundary, parts, hooks.onEnd ?? (() => undefined));
  const stream = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const next = await bytes.next();
        if (next.done) return controller.close();
        hooks.onChunk?.();
        controller.enqueue(next.value);
      },
      async cancel() {
        await bytes.return(undefined);
      },
    },
    { highWaterMark: 0 },
  );
  return { contentType: `multipart/form-data; boundary=${boundary}`, length, stream };
}
