/**
 * A bounded `multipart/form-data` reader for the batch endpoint of the local OpenAI server: what
 * the SDK uploads, read with limits on everything (parts, header sizes), so a broken client cannot
 * make the test double misbehave.
 *
 * @module
 */
import { err, ok, type Result } from "neverthrow";

/** One part of a form. */
export interface FormPart {
  /** The field name. */
  readonly name: string;
  /** The file name, for a file part. */
  readonly filename?: string;
  /** The part's content type (`text/plain` when absent). */
  readonly contentType: string;
  /** The part's bytes. */
  readonly data: Buffer;
}

/** The most parts a form may have: the transcription endpoint takes about a dozen fields. */
export const MAX_FORM_PARTS = 64;
/** The most bytes of headers one part may have. */
const MAX_PART_HEADER_BYTES = 8 * 1024;

/** The boundary of a `multipart/form-data` content type, or an error saying why there is none. */
export function formBoundary(contentType: string | undefined): Result<string, string> {
  if (!contentType || !/^multipart\/form-data\s*;/i.test(contentType)) return err(`the content type must be multipart/form-data, not ${JSON.stringify(contentType ?? "")}`);
  const match = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;]{1,70}))/i.exec(contentType);
  const boundary = match?.[1] ?? match?.[2];
  return boundary ? ok(boundary) : err("the multipart content type has no boundary");
}

function headerParameter(header: string, name: string): string | undefined {
  const match = new RegExp(`;\\s*${name}="((?:[^"\\\\]|\\\\.)*)"`, "i").exec(header) ?? new RegExp(`;\\s*${name}=([^;\\s]+)`, "i").exec(header);
  return match?.[1];
}

/** Splits a whole form body into its parts; the error says what is malformed. */
export function parseMultipart(body: Buffer, boundary: string): Result<FormPart[], string> {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: FormPart[] = [];
  let at = body.indexOf(delimiter);
  if (at < 0) return err("the body does not contain the boundary");
  for (;;) {
    at += delimiter.length;
    if (body.subarray(at, at + 2).toString("latin1") === "--") return ok(parts);
    if (body.subarray(at, at + 2).toString("latin1") !== "\r\n") return err("a boundary is not followed by CRLF");
    at += 2;
    const headerEnd = body.indexOf("\r\n\r\n", at);
    if (headerEnd < 0 || headerEnd - at > MAX_PART_HEADER_BYTES) return err("a part's headers are missing or too long");
    const headers = new Map<string, string>();
    for (const line of body.subarray(at, headerEnd).toString("utf8").split("\r\n")) {
      const colon = line.indexOf(":");
      if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
    const next = body.indexOf(Buffer.concat([Buffer.from("\r\n"), delimiter]), headerEnd + 4);
    if (next < 0) return err("a part is not closed by the boundary");
    const disposition = headers.get("content-disposition") ?? "";
    const name = headerParameter(disposition, "name");
    if (!/^form-data\s*(;|$)/i.test(disposition) || name === undefined) return err("a part has no form-data content disposition with a name");
    const filename = headerParameter(disposition, "filename");
    parts.push({
      name,
      ...(filename !== undefined ? { filename } : {}),
      contentType: headers.get("content-type") ?? "text/plain",
      data: body.subarray(headerEnd + 4, next),
    });
    if (parts.length > MAX_FORM_PARTS) return err(`the form has more than ${MAX_FORM_PARTS} parts`);
    at = next + 2;
  }
}
