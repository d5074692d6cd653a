/**
 * The fast transcription endpoint of the local Azure double (`POST
 * /speechtotext/transcriptions:transcribe?api-version=2024-11-15`), served on the same port as the
 * recognition WebSocket: it checks the request as the service would (api-version, credentials,
 * multipart body, the `definition` part's fields), reads the upload as it arrives without holding
 * it, and answers with the session's recorded answer (`batch`), or with the service's error body.
 *
 * @module
 */
import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { MultipartReader, multipartBoundary } from "./multipart-reader.js";
import type { RecordedAzureSession } from "./session-format.js";

/** The operation's path. */
export const FAST_TRANSCRIPTION_PATH = "/speechtotext/transcriptions:transcribe";
/** The api-versions the double serves (the generally available one). */
export const FAST_TRANSCRIPTION_API_VERSIONS: ReadonlySet<string> = new Set(["2024-11-15"]);
/** The service's documented upload limit: 300 MB. */
export const FAST_TRANSCRIPTION_MAX_UPLOAD_BYTES = 300 * 1024 * 1024;
/** The most bytes of the `definition` part read. */
const MAX_DEFINITION_BYTES = 64 * 1024;

/** Faults of the fast transcription endpoint. */
export interface FastTranscriptionFaults {
  /** Answer with this status and the service's error body (400, 401, 403, 413, 415, 429 with `Retry-After`, 500, ...). */
  readonly status?: number;
  /** `Retry-After`, in seconds, sent with a 429. Default 1. */
  readonly retryAfterSeconds?: number;
  /** Hold the answer this long after the upload ends (a slow service). */
  readonly delayMs?: number;
}

/** What the double saw of one fast transcription request. */
export interface ObservedFastRequest {
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  /** Request headers, names lower-cased. */
  readonly headers: Readonly<Record<string, string>>;
  /** The parts in order: name, filename and content type. */
  readonly parts: Array<{ name: string | undefined; filename: string | undefined; contentType: string | undefined }>;
  /** The parsed `definition`, when it was JSON. */
  definition?: unknown;
  /** Bytes of the `audio` part. */
  audioBytes: number;
  /** SHA-256 of the `audio` part, hex, once it is complete. */
  audioSha256?: string;
  /** What was wrong with the request, as the service would reject it. */
  readonly problems: string[];
  /** The status answered with. */
  status?: number;
}

/** What the endpoint needs from its server. */
export interface FastTranscriptionContext {
  /** The session whose recorded answer to give, chosen by the request's definition. */
  sessionFor(definition: unknown): RecordedAzureSession | undefined;
  /** The subscription key required, when one is. */
  readonly expectedKey: string | undefined;
  /** Faults for this request. */
  readonly faults: FastTranscriptionFaults | undefined;
  /** The largest `audio` part accepted; larger is 413. */
  readonly maxUploadBytes: number;
  /** Timers to clear when the server closes. */
  readonly timers: Set<ReturnType<typeof setTimeout>>;
  /**
   * Where protocol problems go (the server's `violations`): what a conforming client never sends
   * (another api-version, a body that is not multipart, a bad definition). Refused credentials are
   * not among them: tests send wrong keys on purpose.
   */
  readonly violations: string[];
}

const DEFINITION_KEYS = new Set(["locales", "models", "profanityFilterMode", "diarization", "channels", "phraseList"]);
const PROFANITY_MODES = new Set(["None", "Masked", "Removed", "Tags"]);
const LOCALE = /^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})+$/;

/** The service's error bodies: the Speech REST API's `{ code, message }`, the gateway's `{ error: { code, message } }`. */
export function fastTranscriptionErrorBody(status: number, message?: string): unknown {
  if (status === 401) return { error: { code: "401", message: "Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource." } };
  if (status === 403) return { error: { code: "403", message: "Out of call volume quota or the resource does not allow this operation." } };
  if (status === 429) return { error: { code: "429", message: "Too many requests. Please retry after the time given in Retry-After." } };
  const codes: Record<number, string> = { 400: "InvalidRequest", 404: "NotFound", 413: "RequestEntityTooLarge", 415: "UnsupportedMediaType" };
  return { code: codes[status] ?? "InternalServerError", message: message ?? (status >= 500 ? "An internal error occurred." : "The request is invalid.") };
}

/** What is wrong with a `definition`, by the fields of api-version 2024-11-15. */
export function definitionProblems(definition: unknown): string[] {
  if (typeof definition !== "object" || definition === null || Array.isArray(definition)) return ["definition is not a JSON object"];
  const fields = definition as Record<string, unknown>;
  const problems = Object.keys(fields).filter((key) => !DEFINITION_KEYS.has(key)).map((key) => `definition.${key} is not a field of the API`);
  const { locales, profanityFilterMode, diarization, channels, phraseList } = fields;
  if (locales !== undefined && (!Array.isArray(locales) || locales.length > 10 || !locales.every((l) => typeof l === "string" && LOCALE.test(l)))) {
    problems.push(`definition.locales must be up to 10 locales such as "en-US"; got ${JSON.stringify(locales)}`);
  }
  if (profanityFilterMode !== undefined && !PROFANITY_MODES.has(profanityFilterMode as string)) problems.push(`definition.profanityFilterMode ${JSON.stringify(profanityFilterMode)}`);
  if (diarization !== undefined) {
    const d = diarization as Record<string, unknown> | null;
    const maxSpeakers = d?.["maxSpeakers"];
    if (typeof d !== "object" || d === null || typeof d["enabled"] !== "boolean") problems.push("definition.diarization must be { enabled: boolean, maxSpeakers? }");
    else if (maxSpeakers !== undefined && (!Number.isInteger(maxSpeakers) || (maxSpeakers as number) < 2 || (maxSpeakers as number) > 35)) problems.push(`definition.diarization.maxSpeakers must be 2 to 35; got ${JSON.stringify(maxSpeakers)}`);
  }
  if (channels !== undefined && (!Array.isArray(channels) || channels.length > 2 || !channels.every((c) => c === 0 || c === 1))) problems.push(`definition.channels must be up to two of 0 and 1; got ${JSON.stringify(channels)}`);
  if (phraseList !== undefined) {
    const phrases = (phraseList as Record<string, unknown> | null)?.["phrases"];
    if (!Array.isArray(phrases) || phrases.length > 500 || !phrases.every((p) => typeof p === "string" && p.length > 0)) problems.push("definition.phraseList must be { phrases: up to 500 strings }");
  }
  return problems;
}

function credentialProblem(headers: Readonly<Record<string, string>>, expectedKey: string | undefined): string | undefined {
  if (expectedKey === undefined) return undefined;
  const key = headers["ocp-apim-subscription-key"];
  const bearer = /^Bearer (.+)$/.exec(headers["authorization"] ?? "")?.[1];
  if (key === expectedKey || bearer === expectedKey) return undefined;
  return key === undefined && bearer === undefined ? "no Ocp-Apim-Subscription-Key or Authorization header" : "the key or token is not the expected one";
}

function answer(response: ServerResponse, observed: ObservedFastRequest, status: number, body: unknown, extraHeaders: Record<string, string> = {}): void {
  if (response.headersSent) return;
  observed.status = status;
  const text = JSON.stringify(body);
  response.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(text), ...extraHeaders });
  response.end(text);
}

/**
 * Serves one request to the fast transcription endpoint. The upload is read to its end whatever
 * the answer (so the client always gets it), and never held: the audio part is counted and hashed.
 */
export function answerFastTranscription(request: IncomingMessage, response: ServerResponse, observed: ObservedFastRequest, context: FastTranscriptionContext): void {
  const fail = (status: number, problem: string): void => {
    observed.problems.push(problem);
    if (status !== 401) context.violations.push(`fast transcription request: ${problem}`);
    answer(response, observed, status, fastTranscriptionErrorBody(status, problem));
  };
  request.on("error", () => undefined);
  if (request.method !== "POST" || observed.path !== FAST_TRANSCRIPTION_PATH) {
    request.resume();
    return fail(404, `${request.method ?? "?"} ${observed.path} is not the fast transcription operation`);
  }
  const apiVersion = observed.query["api-version"];
  const boundary = multipartBoundary(observed.headers["content-type"]);
  const early =
    apiVersion === undefined || !FAST_TRANSCRIPTION_API_VERSIONS.has(apiVersion)
      ? ([400, `api-version ${JSON.stringify(apiVersion)} is not supported`] as const)
      : boundary === undefined
        ? ([415, `Content-Type ${JSON.stringify(observed.headers["content-type"])} is not multipart/form-data with a boundary`] as const)
        : undefined;
  const authProblem = credentialProblem(observed.headers, context.expectedKey);
  let definitionText = "";
  let current: string | undefined;
  let audioOpen = false;
  let tooLarge = false;
  const hash = createHash("sha256");
  const reader = boundary
    ? new MultipartReader(boundary, {
        partStart: (part) => {
          observed.parts.push({ ...part });
          current = part.name;
          audioOpen = part.name === "audio";
        },
        partData: (bytes) => {
          if (current === "definition" && definitionText.length <= MAX_DEFINITION_BYTES) definitionText += bytes.toString("utf8");
          if (current !== "audio") return;
          observed.audioBytes += bytes.length;
          hash.update(bytes);
          if (observed.audioBytes > context.maxUploadBytes && !tooLarge) {
            tooLarge = true;
            answer(response, observed, 413, fastTranscriptionErrorBody(413, `The audio exceeds ${context.maxUploadBytes} bytes.`));
          }
        },
        partEnd: () => {
          if (audioOpen) observed.audioSha256 = hash.digest("hex");
          audioOpen = false;
          current = undefined;
        },
      })
    : undefined;
  request.on("data", (chunk: Buffer) => reader?.write(chunk));
  request.on("end", () => {
    reader?.end();
    if (tooLarge) return;
    const faults = context.faults;
    const respond = (): void => {
      if (faults?.status !== undefined) {
        const extra: Record<string, string> = faults.status === 429 ? { "retry-after": String(faults.retryAfterSeconds ?? 1) } : {};
        return answer(response, observed, faults.status, fastTranscriptionErrorBody(faults.status), extra);
      }
      if (early) return fail(early[0], early[1]);
      if (authProblem) return fail(401, authProblem);
      const problems = bodyProblems(reader, observed, definitionText);
      if (problems.length > 0) return fail(400, problems.join("; "));
      const batch = context.sessionFor(observed.definition)?.batch;
      if (!batch) return fail(500, "no recorded fast transcription answer for this audio");
      answer(response, observed, batch.status, batch.body);
    };
    if (faults?.delayMs === undefined) return respond();
    const timer = setTimeout(() => {
      context.timers.delete(timer);
      respond();
    }, faults.delayMs);
    context.timers.add(timer);
  });
}

function bodyProblems(reader: MultipartReader | undefined, observed: ObservedFastRequest, definitionText: string): string[] {
  if (reader?.problem) return [`multipart body: ${reader.problem}`];
  const names = observed.parts.map((part) => part.name);
  const problems: string[] = [];
  if (!names.includes("audio")) problems.push("no audio part");
  if (names.filter((name) => name === "audio").length > 1 || names.filter((name) => name === "definition").length > 1) problems.push("a part is repeated");
  if (!names.includes("definition")) problems.push("no definition part");
  else if (definitionText.length > MAX_DEFINITION_BYTES) problems.push(`the definition exceeds ${MAX_DEFINITION_BYTES} bytes`);
  else {
    try {
      observed.definition = JSON.parse(definitionText) as unknown;
      problems.push(...definitionProblems(observed.definition));
    } catch {
      problems.push("the definition is not JSON");
    }
  }
  if (names.includes("audio") && observed.audioBytes === 0) problems.push("the audio part is empty");
  return problems;
}
