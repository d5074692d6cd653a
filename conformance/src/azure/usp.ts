/**
 * USP framing, as the Azure Speech SDK speaks it over WebSocket: text frames are header lines, a
 * blank line and a JSON body; binary frames (audio) are a 2-byte big-endian header length, the
 * header lines, then the payload.
 *
 * @module
 */

/** The path the SDK uses for conversation-mode recognition (`fromHost` always picks it). */
export const RECOGNITION_PATH = "/speech/recognition/conversation/cognitiveservices/v1";

/** Every recognition path of the Speech service: what the replay server accepts and the recording proxy forwards. */
export const RECOGNITION_PATHS: ReadonlySet<string> = new Set([
  RECOGNITION_PATH,
  "/speech/recognition/interactive/cognitiveservices/v1",
  "/speech/recognition/dictation/cognitiveservices/v1",
  "/speech/universal/v2",
]);

/** A message from the SDK, with its headers (names lower-cased) and body. */
export interface ClientMessage {
  /** The `Path` header, lower-cased: `speech.config`, `speech.context`, `audio`, `telemetry`, ... */
  readonly path: string;
  /** Every header, names lower-cased. */
  readonly headers: Readonly<Record<string, string>>;
  /** Text body (text frames) or payload (binary frames). */
  readonly body: string | Uint8Array;
}

function parseHeaderLines(text: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of text.split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
}

/** Parses a text frame; `undefined` when it has no header block or no `Path`. */
export function parseTextFrame(frame: string): ClientMessage | undefined {
  const split = frame.indexOf("\r\n\r\n");
  const headers = parseHeaderLines(split >= 0 ? frame.slice(0, split) : frame);
  if (!headers["path"]) return undefined;
  return { path: headers["path"].toLowerCase(), headers, body: split >= 0 ? frame.slice(split + 4) : "" };
}

/** Parses a binary frame; `undefined` when the header length does not fit the frame. */
export function parseBinaryFrame(frame: Uint8Array): ClientMessage | undefined {
  if (frame.byteLength < 2) return undefined;
  const headerLength = (frame[0] as number) * 256 + (frame[1] as number);
  if (2 + headerLength > frame.byteLength) return undefined;
  const headers = parseHeaderLines(new TextDecoder().decode(frame.subarray(2, 2 + headerLength)));
  if (!headers["path"]) return undefined;
  return { path: headers["path"].toLowerCase(), headers, body: frame.subarray(2 + headerLength) };
}

/** Formats a service message for the SDK: `Path`, `X-RequestId`, `X-Timestamp`, `Content-Type`, JSON body. */
export function formatServiceMessage(path: string, requestId: string, body: unknown): string {
  const headers = [
    `X-RequestId: ${requestId}`,
    `Path: ${path}`,
    `X-Timestamp: ${new Date().toISOString()}`,
    "Content-Type: application/json; charset=utf-8",
  ];
  return `${headers.join("\r\n")}\r\n\r\n${JSON.stringify(body ?? {})}`;
}

/** The format in a 44-byte RIFF header, or `undefined` when the payload is not one. */
export function parseRiffHeader(payload: Uint8Array): { sampleRate: number; channels: number; bitsPerSample: number; encoding: number } | undefined {
  if (payload.byteLength < 44) return undefined;
  const text = (at: number) => String.fromCharCode(...payload.subarray(at, at + 4));
  if (text(0) !== "RIFF" || text(8) !== "WAVE") return undefined;
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  return {
    encoding: view.getUint16(20, true),
    channels: view.getUint16(22, true),
    sampleRate: view.getUint32(24, true),
    bitsPerSample: view.getUint16(34, true),
  };
}
