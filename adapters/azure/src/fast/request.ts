import { err, ok, type Result } from "neverthrow";
import type { SttError } from "@sttkit/core";
import { SecretRedactor, sttError } from "@sttkit/core/kit";
import { PROVIDER } from "../constants.js";
import type { AzureCredentials } from "../resolved-config.js";
import type { UploadAudio } from "./audio-upload.js";
import type { FastTranscriptionDefinition } from "./definition.js";
import { errorFromAnswer, errorFromFailure, MAX_ERROR_BODY_BYTES } from "./http-errors.js";
import { IdleWatchdog } from "./idle-watchdog.js";
import { streamedForm } from "./multipart.js";

/** The most of a successful answer read: phrases and words of 2 hours of speech take a few MB. */
export const MAX_ANSWER_BYTES = 64 * 1024 * 1024;

/** One fast transcription request. */
export interface FastRequest {
  /** The operation's URL, api-version included. */
  readonly url: string;
  readonly credentials: AzureCredentials;
  readonly definition: FastTranscriptionDefinition;
  readonly audio: UploadAudio;
  /** The caller's signal: aborting it aborts the request. */
  readonly signal?: AbortSignal | undefined;
  /** How long the request may make no progress (see {@link IdleWatchdog}). */
  readonly idleTimeoutMs: number;
}

/** Why a request gave no transcript: the error, and the answer's status when there was one. */
export interface FastFailure {
  readonly error: SttError;
  readonly status?: number;
}

/** The credential's header. An Entra ID token in the SDK's `aad#<resource>#<token>` form goes as its token. */
export function authorizationHeaders(credentials: AzureCredentials): Record<string, string> {
  if (credentials.kind === "key") return { "Ocp-Apim-Subscription-Key": credentials.apiKey };
  if (credentials.kind === "token") return { Authorization: `Bearer ${credentials.token.startsWith("aad#") ? credentials.token.slice(credentials.token.lastIndexOf("#") + 1) : credentials.token}` };
  return {};
}

/** The credential, for redaction. */
function secretOf(credentials: AzureCredentials): string | undefined {
  return credentials.kind === "key" ? credentials.apiKey : credentials.kind === "token" ? credentials.token : undefined;
}

/** Samples in memory as they are; samples read as they go as one streamed piece. */
function asPieces(samples: AsyncIterable<Uint8Array> | readonly Uint8Array[]): Array<Uint8Array | AsyncIterable<Uint8Array>> {
  return Array.isArray(samples) ? [...(samples as readonly Uint8Array[])] : [samples as AsyncIterable<Uint8Array>];
}

/** Reads a body up to `maxBytes`; `undefined` when it is longer (the rest is not read). */
async function readBounded(body: ReadableStream<Uint8Array> | null, maxBytes: number, progress: () => void): Promise<string | undefined> {
  if (!body) return "";
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  let read = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text + decoder.decode();
    progress();
    read += value.byteLength;
    if (read > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    text += decoder.decode(value, { stream: true });
  }
}

function unreadableAnswer(message: string): SttError {
  return sttError({ kind: "provider", provider: PROVIDER, message });
}

/**
 * Posts the file and its definition as one `multipart/form-data` request whose body is produced
 * as it is sent (the audio read from disk block by block), and reads the answer (bounded). Every
 * outcome is a result: the answer's JSON, or the error its status, a timeout, an abort or the
 * network gives. The credential never appears in an error.
 */
export async function postFastTranscription(request: FastRequest): Promise<Result<unknown, FastFailure>> {
  const redactor = new SecretRedactor([secretOf(request.credentials)]);
  const watchdog = new IdleWatchdog(request.idleTimeoutMs);
  const signal = request.signal ? AbortSignal.any([request.signal, watchdog.signal]) : watchdog.signal;
  const definition = new TextEncoder().encode(JSON.stringify(request.definition));
  const progress = (): void => watchdog.progress();
  const form = streamedForm(
    [
      { name: "definition", contentType: "application/json", body: [definition] },
      { name: "audio", filename: "audio.wav", contentType: "audio/wav", body: [request.audio.header, ...asPieces(request.audio.samples)] },
    ],
    [definition.byteLength, request.audio.wavBytes],
    progress,
  );
  try {
    const response = await fetch(request.url, {
      method: "POST",
      headers: {
        ...authorizationHeaders(request.credentials),
        "Content-Type": form.contentType,
        Accept: "application/json",
        ...(form.length !== undefined ? { "Content-Length": String(form.length) } : {}),
      },
      body: form.stream,
      duplex: "half",
      // Fetch clones a request it may have to send again (to follow a redirect), and cloning tees
      // a streamed body: the copy nobody reads would buffer the whole file. With redirects an
      // error and no window, the request is sent as it is, and memory stays flat.
      redirect: "error",
      window: null,
      signal,
    } as RequestInit);
    progress();
    if (!response.ok) {
      const text = (await readBounded(response.body, MAX_ERROR_BODY_BYTES, progress)) ?? "";
      return err({ error: errorFromAnswer(response.status, text, response.headers.get("retry-after"), redactor), status: response.status });
    }
    const text = await readBounded(response.body, MAX_ANSWER_BYTES, progress);
    if (text === undefined) return err({ error: unreadableAnswer(`The fast transcription API's answer exceeds ${MAX_ANSWER_BYTES} bytes.`) });
    try {
      return ok(JSON.parse(text) as unknown);
    } catch {
      return err({ error: unreadableAnswer("The fast transcription API's answer is not JSON.") });
    }
  } catch (cause) {
    const failure = request.signal?.aborted ? { kind: "aborted" as const } : watchdog.fired ? { kind: "timeout" as const, timeoutMs: watchdog.timeoutMs } : { kind: "thrown" as const, cause };
    return err({ error: errorFromFailure(failure, redactor) });
  } finally {
    watchdog.stop();
  }
}
