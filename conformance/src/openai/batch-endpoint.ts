/**
 * The batch half of the local OpenAI server: `POST /v1/audio/transcriptions` as the real SDK
 * calls it. The upload is read with bounds, the bearer token, the model and every field are
 * checked (a field a conforming client should not send is a violation; one the service refuses is
 * the service's 400), and the answer comes from the recorded session (see `batch-answer.ts`),
 * as JSON, plain text, or a stream of transcript events. Faults replace the answer with an error
 * status, a delay or a dropped connection.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { readWav, type WavAudio } from "@sttkit/core";
import { answerText, answerUpload, describeFormat, placeUpload } from "./batch-answer.js";
import type { OpenAIBatchFaults } from "./faults.js";
import { formBoundary, parseMultipart, type FormPart } from "./multipart.js";
import type { ObservedUpload } from "./observed.js";
import type { RecordedOpenAISession } from "./session-format.js";

/** The path of the batch endpoint under the base URL's `/v1`. */
export const TRANSCRIPTIONS_PATH = "/v1/audio/transcriptions";

/** The largest file the service takes, in bytes (its documented 25 MB, read as MiB: the larger reading, so a client within either passes). */
export const OPENAI_MAX_UPLOAD_BYTES = 25 * 1024 * 1024;
/** The most of an upload the double keeps in memory: the largest file plus room for the form fields. */
const BODY_BUFFER_LIMIT = OPENAI_MAX_UPLOAD_BYTES + 1024 * 1024;
/** Beyond this the double stops reading and drops the connection: no test uploads this much. */
const BODY_HARD_LIMIT = 128 * 1024 * 1024;

/** Response formats each model offers. */
export const OPENAI_BATCH_FORMATS: Readonly<Record<string, readonly string[]>> = Object.freeze({
  "whisper-1": ["json", "text", "srt", "verbose_json", "vtt"],
  "gpt-4o-transcribe": ["json", "text"],
  "gpt-4o-mini-transcribe": ["json", "text"],
});

/** Form fields of the endpoint; anything else is a violation. */
const KNOWN_FIELDS = new Set(["file", "model", "language", "prompt", "response_format", "temperature", "timestamp_granularities[]", "stream", "include[]", "chunking_strategy"]);

/** What the batch endpoint needs from its server. */
export interface BatchEndpointContext {
  /** The session whose batch answers are replayed. */
  readonly session: RecordedOpenAISession;
  /** The fixture's audio: with it, uploads of part of it (or of it repeated) are answered too. */
  readonly audio: WavAudio | undefined;
  /** The bearer token expected; others are answered 401. */
  readonly expectedKey: string | undefined;
  /** Every request, in order. */
  readonly uploads: ObservedUpload[];
  /** Protocol problems in what the client sent. */
  readonly violations: string[];
  /** The faults for request number `request`. */
  faultsFor(request: number): OpenAIBatchFaults | undefined;
  /** Runs `action` after `ms`, unless the server closes first. */
  later(ms: number, action: () => void): void;
}

function errorBody(message: string, type: string, code: string | null, param: string | null = null): string {
  return JSON.stringify({ error: { message, type, param, code } });
}

function send(response: ServerResponse, status: number, body: string, contentType = "application/json", headers: Record<string, string> = {}): void {
  if (response.destroyed || response.headersSent) return;
  response.writeHead(status, { "content-type": contentType, "content-length": String(Buffer.byteLength(body)), ...headers }).end(body);
}

/** The message of a refusal with `status`, as the service words it (the key appears only when `echoKey` asks for a gateway that echoes it). */
function refusal(status: number, token: string | undefined, echoKey: boolean): { message: string; type: string; code: string | null } {
  const shown = echoKey ? (token ?? "") : `${(token ?? "").slice(0, 3)}***${(token ?? "").slice(-4)}`;
  if (status === 401) return { message: `Incorrect API key provided: ${shown}. You can find your API key at https://platform.openai.com/account/api-keys.`, type: "invalid_request_error", code: "invalid_api_key" };
  if (status === 403) return { message: `Project does not have access to this model${echoKey ? ` (key ${shown})` : ""}.`, type: "invalid_request_error", code: "model_not_found" };
  if (status === 404) return { message: "The model does not exist or you do not have access to it.", type: "invalid_request_error", code: "model_not_found" };
  if (status === 413) return { message: `Maximum content size limit (${OPENAI_MAX_UPLOAD_BYTES}) exceeded.`, type: "invalid_request_error", code: null };
  if (status === 429) return { message: `Rate limit reached for requests${echoKey ? ` with key ${shown}` : ""}. Please try again later.`, type: "requests", code: "rate_limit_exceeded" };
  if (status >= 500) return { message: `The server had an error while processing your request${echoKey ? ` (key ${shown})` : ""}. Sorry about that!`, type: "server_error", code: null };
  return { message: `Request refused with status ${status}${echoKey ? ` (key ${shown})` : ""}.`, type: "invalid_request_error", code: null };
}

/** Reads the body up to the limits: what was kept, how many bytes came, and whether it was more than is kept. */
function readBody(request: IncomingMessage, done: (body: Buffer, bytes: number, oversize: boolean) => void): void {
  const chunks: Buffer[] = [];
  let bytes = 0;
  let kept = 0;
  request.on("data", (chunk: Buffer) => {
    bytes += chunk.byteLength;
    if (bytes > BODY_HARD_LIMIT) {
      request.socket.destroy();
      return;
    }
    if (kept + chunk.byteLength <= BODY_BUFFER_LIMIT) {
      chunks.push(chunk);
      kept += chunk.byteLength;
    }
  });
  request.on("end", () => done(Buffer.concat(chunks), bytes, bytes > kept));
  request.on("error", () => undefined);
}

/** Handles one HTTP request to the server (REST side). */
export function handleBatchRequest(context: BatchEndpointContext, request: IncomingMessage, response: ServerResponse): void {
  const path = new URL(request.url ?? "/", "https://127.0.0.1").pathname;
  const upload: ObservedUpload = { request: context.uploads.length, path, authorized: false, fields: [] };
  context.uploads.push(upload);
  const violation = (text: string): void => {
    context.violations.push(`request #${upload.request}: ${text}`);
  };
  const answer = (status: number, body: string, contentType?: string, headers?: Record<string, string>): void => {
    upload.status = status;
    send(response, status, body, contentType, headers);
  };
  if (request.method !== "POST" || path !== TRANSCRIPTIONS_PATH) {
    violation(`unexpected ${request.method ?? "?"} ${path}`);
    readBody(request, () => answer(404, errorBody(`Invalid URL (${request.method ?? "?"} ${path})`, "invalid_request_error", null)));
    return;
  }
  const authorization = request.headers.authorization ?? "";
  const token = /^Bearer (.+)$/.exec(authorization)?.[1];
  upload.authorized = context.expectedKey === undefined || token === context.expectedKey;
  const faults = context.faultsFor(upload.request);
  readBody(request, (body, bytes, oversize) => {
    const respond = (): void => {
      if (faults?.drop) {
        upload.status = 0;
        request.socket.destroy();
        return;
      }
      if (faults?.status !== undefined) {
        const { message, type, code } = refusal(faults.status, token, faults.echoKey === true);
        const headers: Record<string, string> = {};
        if (faults.retryAfter !== undefined) headers["retry-after"] = faults.retryAfter;
        if (faults.retryAfterMs !== undefined) headers["retry-after-ms"] = faults.retryAfterMs;
        answer(faults.status, errorBody(message, type, code), "application/json", headers);
        return;
      }
      if (!upload.authorized) {
        const { message, type, code } = refusal(401, token, false);
        answer(401, errorBody(message, type, code));
        return;
      }
      if (oversize) {
        answer(413, errorBody(`Maximum content size limit (${OPENAI_MAX_UPLOAD_BYTES}) exceeded (${bytes} bytes read).`, "invalid_request_error", null));
        return;
      }
      transcribe(context, upload, request, response, body, faults, violation, answer);
    };
    if (faults?.delayMs !== undefined) context.later(faults.delayMs, respond);
    else respond();
  });
}

function transcribe(
  context: BatchEndpointContext,
  upload: ObservedUpload,
  request: IncomingMessage,
  response: ServerResponse,
  body: Buffer,
  faults: OpenAIBatchFaults | undefined,
  violation: (text: string) => void,
  answer: (status: number, body: string, contentType?: string) => void,
): void {
  const invalid = (message: string, param: string | null = null): void => answer(400, errorBody(message, "invalid_request_error", null, param));
  const boundary = formBoundary(request.headers["content-type"]);
  if (boundary.isErr()) {
    violation(boundary.error);
    return invalid(boundary.error);
  }
  const parts = parseMultipart(body, boundary.value);
  if (parts.isErr()) {
    violation(`malformed form: ${parts.error}`);
    return invalid(`Could not parse multipart form: ${parts.error}.`);
  }
  let file: FormPart | undefined;
  for (const part of parts.value) {
    if (!KNOWN_FIELDS.has(part.name)) violation(`unknown form field ${part.name}`);
    if (part.name === "file") {
      if (file) violation("two file parts");
      file = part;
    } else upload.fields.push([part.name, part.data.toString("utf8")]);
  }
  const field = (name: string): string | undefined => upload.fields.find(([key]) => key === name)?.[1];
  const model = field("model");
  if (model === undefined) return invalid("you must provide a model parameter", "model");
  const formats = OPENAI_BATCH_FORMATS[model];
  if (!formats) return answer(404, errorBody(`The model \`${model}\` does not exist or you do not have access to it.`, "invalid_request_error", "model_not_found"));
  if (parts.value.findIndex((part) => part.name === "file") > 0) violation("the file is not the first part (the SDK sends it first)");
  if (!file) return invalid("you must provide a file parameter", "file");
  if (!file.filename || !/\.(wav|mp3|mp4|mpeg|mpga|m4a|ogg|webm|flac)$/i.test(file.filename)) {
    violation(`file name ${JSON.stringify(file.filename ?? "")} has no audio extension (the service guesses the format from it)`);
  }
  if (file.data.byteLength > OPENAI_MAX_UPLOAD_BYTES) {
    return answer(413, errorBody(`Maximum content size limit (${OPENAI_MAX_UPLOAD_BYTES}) exceeded (${file.data.byteLength} bytes read).`, "invalid_request_error", null));
  }
  const responseFormat = field("response_format") ?? "json";
  if (!formats.includes(responseFormat)) return invalid(`response_format '${responseFormat}' is not compatible with model '${model}'. Use ${formats.join(" or ")}.`, "response_format");
  if (responseFormat !== "json" && responseFormat !== "verbose_json" && responseFormat !== "text") violation(`response_format ${responseFormat}: the double answers json, verbose_json and text only`);
  const granularities = upload.fields.filter(([key]) => key === "timestamp_granularities[]").map(([, value]) => value);
  if (granularities.length > 0 && responseFormat !== "verbose_json") return invalid("timestamp_granularities requires response_format=verbose_json", "timestamp_granularities");
  if (granularities.some((value) => value !== "word" && value !== "segment")) return invalid("timestamp_granularities must be word or segment", "timestamp_granularities");
  const language = field("language");
  if (language !== undefined && !/^[a-z]{2,3}$/.test(language)) return invalid(`Invalid language '${language}'. Language parameter must be specified in ISO-639-1 format.`, "language");
  const temperature = field("temperature");
  if (temperature !== undefined && !(Number(temperature) >= 0 && Number(temperature) <= 1)) return invalid("temperature must be between 0 and 1", "temperature");
  const stream = field("stream");
  if (stream !== undefined && stream !== "true" && stream !== "false") return invalid("stream must be a boolean", "stream");
  const streaming = stream === "true" && model !== "whisper-1";
  if (stream === "true" && model === "whisper-1") violation("stream=true with whisper-1: the service ignores it and answers JSON, which the SDK then reads as an empty stream (the text is lost)");
  const wav = readWav(new Uint8Array(file.data.buffer, file.data.byteOffset, file.data.byteLength));
  if (wav.isErr()) return invalid(`Invalid file format. Supported formats: ['flac', 'm4a', 'mp3', 'mp4', 'mpeg', 'mpga', 'oga', 'ogg', 'wav', 'webm'] (${wav.error.message})`, "file");
  upload.file = { name: file.filename ?? "", contentType: file.contentType, bytes: file.data.byteLength, format: wav.value.format, durationMs: (wav.value.pcm.byteLength / (wav.value.format.sampleRate * wav.value.format.channels * 2)) * 1000 };
  const placement = context.audio ? placeUpload(wav.value, context.audio) : ({ kind: "whole" } as const);
  if (placement.kind === "part") upload.fixtureOffsetMs = placement.offsetMs;
  if (placement.kind === "unknown" && context.audio) violation(`${placement.reason} (${describeFormat(wav.value.format)})`);
  const answered = answerUpload(context.session, placement, { model, responseFormat, granularities });
  if ("problem" in answered) {
    violation(answered.problem);
    return invalid(`The local OpenAI server cannot answer this upload: ${answered.problem}.`);
  }
  if (streaming) return streamAnswer(response, upload, answered.body, faults);
  if (responseFormat === "text") return answer(200, answerText(answered.body), "text/plain; charset=utf-8");
  answer(200, JSON.stringify(answered.body));
}

/** Sends the answer as the service streams it: a `transcript.text.delta` per word, then `transcript.text.done`. */
function streamAnswer(response: ServerResponse, upload: ObservedUpload, body: unknown, faults: OpenAIBatchFaults | undefined): void {
  if (response.destroyed) return;
  upload.status = 200;
  response.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  const text = answerText(body);
  const words = text.split(/(?<=\S)(?=\s)/).filter((word) => word.length > 0);
  const cut = faults?.cutStreamAfterDeltas;
  if (cut !== undefined && cut < words.length) {
    // The deltas before the cut reach the client, then the connection breaks mid-stream.
    response.write(words.slice(0, cut).map((delta) => `data: ${JSON.stringify({ type: "transcript.text.delta", delta })}\n\n`).join(""), () => response.socket?.destroy());
    return;
  }
  for (const delta of words) response.write(`data: ${JSON.stringify({ type: "transcript.text.delta", delta })}\n\n`);
  const usage = (body as { usage?: unknown } | undefined)?.usage;
  response.end(`data: ${JSON.stringify({ type: "transcript.text.done", text, ...(usage !== undefined ? { usage } : {}) })}\n\n`);
}
