import { err, ok, type Result } from "neverthrow";
import { validateAudioFormat } from "../audio/format.js";
import { describeValue, sttError, type SttError } from "../errors.js";
import type { StreamOptions, TranscribeOptions } from "../speech-to-text.js";

/**
 * The longest chunk `transcribe()` sends at once, in ms.
 *
 * @category Option checks
 */
export const MAX_TRANSCRIBE_CHUNK_MS = 60_000;

function invalid(argument: string, message: string, provider: string | undefined): Result<never, SttError> {
  return err(sttError({ kind: "invalid-argument", argument, message, ...(provider ? { provider } : {}) }));
}

function isOptionalBoolean(value: unknown): boolean {
  return value === undefined || typeof value === "boolean";
}

function isStringList(value: unknown): boolean {
  return Array.isArray(value) && value.every((item) => typeof item === "string");
}

/**
 * Checks the shape of {@link StreamOptions} as they arrive at run time (plain JavaScript callers,
 * options parsed from configuration): each field has the type its declaration says, or the result
 * is an `invalid-argument` error naming it. Whether a language, phrase or format is *supported*
 * is the adapter's to decide; this only makes sure it can ask the question without crashing.
 *
 * @category Option checks
 */
export function checkStreamOptions(options: unknown, provider?: string): Result<StreamOptions, SttError> {
  if (options === undefined) return ok({});
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    return invalid("options", `Stream options must be an object, not ${options === null ? "null" : typeof options}.`, provider);
  }
  const given = options as Record<string, unknown>;
  if (given["format"] !== undefined) {
    const format = validateAudioFormat(given["format"] as never);
    if (format.isErr()) return err(provider ? { ...format.error, provider } : format.error);
  }
  const language = given["language"];
  if (language !== undefined && typeof language !== "string" && !(isStringList(language) && (language as unknown[]).length > 0)) {
    return invalid("language", "language must be a language tag such as \"en-US\", or a non-empty list of them.", provider);
  }
  for (const flag of ["interimResults", "wordTimings"] as const) {
    if (!isOptionalBoolean(given[flag])) return invalid(flag, `${flag} must be true or false.`, provider);
  }
  if (given["phrases"] !== undefined && !isStringList(given["phrases"])) {
    return invalid("phrases", "phrases must be a list of strings.", provider);
  }
  if (given["signal"] !== undefined && !(given["signal"] instanceof AbortSignal)) {
    return invalid("signal", "signal must be an AbortSignal.", provider);
  }
  if (given["onEvent"] !== undefined && typeof given["onEvent"] !== "function") {
    return invalid("onEvent", "onEvent must be a function.", provider);
  }
  return ok(given as StreamOptions);
}

/**
 * {@link checkStreamOptions}, plus the option only `transcribe()` takes (`chunkMs`).
 *
 * @category Option checks
 */
export function checkTranscribeOptions(options: unknown, provider?: string): Result<TranscribeOptions, SttError> {
  return checkStreamOptions(options, provider).andThen((checked) => {
    const given = checked as Record<string, unknown>;
    const chunkMs = given["chunkMs"];
    if (chunkMs !== undefined && (typeof chunkMs !== "number" || !Number.isFinite(chunkMs) || chunkMs <= 0 || chunkMs > MAX_TRANSCRIBE_CHUNK_MS)) {
      return invalid("chunkMs", `chunkMs must be a number of milliseconds above 0 and at most ${MAX_TRANSCRIBE_CHUNK_MS}; got ${describeValue(chunkMs)}.`, provider);
    }
    return ok(checked as TranscribeOptions);
  });
}
