import { setTimeout as sleep } from "node:timers/promises";
import { toFile } from "openai";
import { err, ok, type Result } from "neverthrow";
import type { SttError } from "@sttkit/core";
import { sttError } from "@sttkit/core/kit";
import type { OpenAIClient } from "../client.js";
import { PROVIDER } from "../constants.js";
import { batchError, isRetryable, retryAfterMs } from "../http-errors.js";
import type { SecretRedactor } from "@sttkit/core/kit";
import type { ResolvedBatchOptions } from "../validate-config.js";

/** One segment of a `verbose_json` answer, as far as the adapter reads it. */
export interface VerboseSegment {
  readonly text: string;
  readonly start: number;
  readonly end: number;
  readonly avg_logprob?: number;
}

/** One word of a `verbose_json` answer. */
export interface VerboseWord {
  readonly word: string;
  readonly start: number;
  readonly end: number;
}

/** What the service answered for one upload, in the piece's own time (seconds from its start). */
export interface PieceAnswer {
  /** The whole text. */
  readonly text: string;
  /** `whisper-1`: the segments. */
  readonly segments?: readonly VerboseSegment[];
  /** `whisper-1` with word timings: the words. */
  readonly words?: readonly VerboseWord[];
}

/** One upload. */
export interface PieceRequest {
  /** The WAV file. */
  readonly wav: Uint8Array;
  /** The service's language code, if one was asked for. */
  readonly language: string | undefined;
  /** The prompt (configured prompt and phrases), if any. */
  readonly prompt: string | undefined;
  /** Ask for word timestamps (`whisper-1`). */
  readonly wordTimings: boolean;
  /** Stream the transcript; `onDelta` gets the text so far after each delta. */
  readonly onDelta: ((textSoFar: string) => void) | undefined;
  /** Aborts the request and any wait between attempts. */
  readonly signal: AbortSignal | undefined;
}

/** The default wait before retry `attempt` (0-based): 0.5 s doubling up to 8 s, less up to a quarter of jitter, as the SDK does. */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  return Math.min(500 * 2 ** attempt, 8000) * (1 - random() * 0.25);
}

function isVerbose(value: unknown): value is { text: string; segments?: VerboseSegment[]; words?: VerboseWord[] } {
  return typeof value === "object" && value !== null && typeof (value as { text?: unknown }).text === "string";
}

async function attempt(client: OpenAIClient, options: ResolvedBatchOptions, request: PieceRequest): Promise<PieceAnswer> {
  const file = await toFile(request.wav, "audio.wav", { type: "audio/wav" });
  const common = {
    file,
    model: options.model,
    ...(request.language !== undefined ? { language: request.language } : {}),
    ...(request.prompt !== undefined ? { prompt: request.prompt } : {}),
    ...(options.temperature !== undefined ? { temperature: options.temperature } : {}),
  };
  const requestOptions = { ...(request.signal ? { signal: request.signal } : {}), maxRetries: 0 };
  if (options.model === "whisper-1") {
    const granularities: Array<"word" | "segment"> = request.wordTimings ? ["word", "segment"] : ["segment"];
    const answer: unknown = await client.sdk.audio.transcriptions.create({ ...common, response_format: "verbose_json", timestamp_granularities: granularities }, requestOptions);
    if (!isVerbose(answer)) throw new TypeError("The verbose_json answer has no text.");
    return { text: answer.text, segments: answer.segments ?? [], ...(answer.words ? { words: answer.words } : {}) };
  }
  if (request.onDelta) {
    const stream = await client.sdk.audio.transcriptions.create({ ...common, response_format: "json", stream: true }, requestOptions);
    let text = "";
    let done: string | undefined;
    for await (const event of stream) {
      if (event.type === "transcript.text.delta") {
        text += event.delta;
        request.onDelta(text);
      } else if (event.type === "transcript.text.done") done = event.text;
    }
    // A stream that ended without its done event lost the end of the transcript.
    if (done === undefined) throw new TypeError("terminated: the transcript stream ended without its done event");
    return { text: done };
  }
  const answer: unknown = await client.sdk.audio.transcriptions.create({ ...common, response_format: "json" }, requestOptions);
  if (!isVerbose(answer)) throw new TypeError("The json answer has no text.");
  return { text: answer.text };
}

/**
 * Uploads one piece and reads the answer, trying again after retryable failures (see
 * `isRetryable`) up to `maxRetries` times. Each wait is what the service asked for
 * (`retry-after-ms`, `Retry-After`) or the default backoff; a wait over `maxRetryAfterMs` is not
 * waited for: the error is returned at once with `retryAfterMs` set. Every error is redacted.
 */
export async function requestPiece(client: OpenAIClient, options: ResolvedBatchOptions, request: PieceRequest, redactor: SecretRedactor): Promise<Result<PieceAnswer, SttError>> {
  for (let tries = 0; ; tries++) {
    try {
      return ok(await attempt(client, options, request));
    } catch (cause) {
      const error = batchError(cause, redactor, options.timeoutMs);
      if (request.signal?.aborted) return err(sttError({ kind: "aborted", provider: PROVIDER, message: "The transcription was aborted." }));
      if (!isRetryable(cause) || tries >= options.maxRetries) return err(error);
      const asked = retryAfterMs((cause as { headers?: { get(name: string): string | null } }).headers);
      if (asked !== undefined && asked > options.maxRetryAfterMs) {
        return err(error.kind === "rate-limit" ? { ...error, retryAfterMs: asked } : error);
      }
      try {
        await sleep(asked ?? backoffMs(tries), undefined, request.signal ? { signal: request.signal } : {});
      } catch {
        return err(sttError({ kind: "aborted", provider: PROVIDER, message: "The transcription was aborted." }));
      }
    }
  }
}
