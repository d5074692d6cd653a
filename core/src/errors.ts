/**
 * Every way a speech-to-text call can fail, as one discriminated union.
 *
 * Nothing in the public API throws: fallible calls return a neverthrow `Result` or `ResultAsync`
 * whose error side is an {@link SttError}. Switch on `kind` to handle a case; `retryable` says
 * whether trying again (or failing over to another provider) can help.
 *
 * @module
 */

/**
 * Why an audio buffer was rejected.
 *
 * @category Errors
 */
export type InvalidAudioReason =
  | "not-riff"
  | "not-wave"
  | "missing-format-chunk"
  | "missing-data-chunk"
  | "not-pcm"
  | "unsupported-bit-depth"
  | "unsupported-channels"
  | "unsupported-sample-rate"
  | "truncated"
  | "empty"
  | "misaligned"
  | "unreadable-file"
  | "undecodable";

/**
 * Fields every {@link SttError} carries.
 *
 * @category Errors
 */
export interface SttErrorBase {
  /** A sentence for people: what went wrong and, where known, what to do about it. */
  readonly message: string;
  /** The provider that reported the error (`"azure"`, `"offline"`, ...), if any. */
  readonly provider?: string;
  /** Whether the same request may succeed if tried again or sent to another provider. */
  readonly retryable: boolean;
  /** The provider's own detail (error code, status text, raw reason), kept for diagnosis. */
  readonly detail?: string;
  /** The underlying error, if one was caught. */
  readonly cause?: unknown;
}

/**
 * Credentials were missing, malformed or rejected by the service.
 *
 * @category Errors
 */
export interface AuthenticationError extends SttErrorBase {
  readonly kind: "authentication";
}

/**
 * The credentials are valid but not allowed to use this resource or feature.
 *
 * @category Errors
 */
export interface ForbiddenError extends SttErrorBase {
  readonly kind: "forbidden";
}

/**
 * The service throttled the request (too many requests or quota exhausted).
 *
 * @category Errors
 */
export interface RateLimitError extends SttErrorBase {
  readonly kind: "rate-limit";
  /** How long the service asked the caller to wait, when it said so. */
  readonly retryAfterMs?: number;
}

/**
 * The audio could not be used: wrong container, wrong encoding, truncated or empty.
 *
 * @category Errors
 */
export interface InvalidAudioError extends SttErrorBase {
  readonly kind: "invalid-audio";
  /** The specific defect found. */
  readonly reason: InvalidAudioReason;
}

/**
 * A configuration or call argument is malformed (out of range, wrong type, contradictory).
 *
 * @category Errors
 */
export interface InvalidArgumentError extends SttErrorBase {
  readonly kind: "invalid-argument";
  /** The option or argument at fault, as a dotted path (`"azure.region"`). */
  readonly argument: string;
}

/**
 * The option is well formed but this provider cannot honour it.
 *
 * @category Errors
 */
export interface UnsupportedOptionError extends SttErrorBase {
  readonly kind: "unsupported-option";
  /** The option the provider does not support. */
  readonly option: string;
}

/**
 * A language tag is unknown, or known but not offered by the provider.
 *
 * @category Errors
 */
export interface UnsupportedLanguageError extends SttErrorBase {
  readonly kind: "unsupported-language";
  /** The tag as the caller gave it. */
  readonly language: string;
}

/**
 * The service could not be reached, or the connection broke and could not be restored.
 *
 * @category Errors
 */
export interface ConnectionError extends SttErrorBase {
  readonly kind: "connection";
}

/**
 * The provider did not answer within the time allowed.
 *
 * @category Errors
 */
export interface TimeoutError extends SttErrorBase {
  readonly kind: "timeout";
  /** The time limit that ran out, in milliseconds. */
  readonly timeoutMs: number;
}

/**
 * The provider rejected the request as malformed (bad parameters, unknown endpoint id, ...).
 *
 * @category Errors
 */
export interface BadRequestError extends SttErrorBase {
  readonly kind: "bad-request";
}

/**
 * The provider failed on its side, or answered in a way this library does not understand.
 *
 * @category Errors
 */
export interface ProviderError extends SttErrorBase {
  readonly kind: "provider";
}

/**
 * A call was made in a state that does not allow it (write after `end()`, `end()` after `close()`).
 *
 * @category Errors
 */
export interface StreamStateError extends SttErrorBase {
  readonly kind: "stream-state";
  /** The stream state at the time of the call. */
  readonly state: string;
}

/**
 * The caller aborted the operation (`close()` or an `AbortSignal`).
 *
 * @category Errors
 */
export interface AbortedError extends SttErrorBase {
  readonly kind: "aborted";
}

/**
 * A local engine, model or system package the provider needs is not installed.
 *
 * @category Errors
 */
export interface EngineUnavailableError extends SttErrorBase {
  readonly kind: "engine-unavailable";
  /** What to install to fix it (for example Debian package names). */
  readonly install?: readonly string[];
}

/**
 * The discriminated union of every speech-to-text error.
 *
 * @category Errors
 */
export type SttError =
  | AuthenticationError
  | ForbiddenError
  | RateLimitError
  | InvalidAudioError
  | InvalidArgumentError
  | UnsupportedOptionError
  | UnsupportedLanguageError
  | ConnectionError
  | TimeoutError
  | BadRequestError
  | ProviderError
  | StreamStateError
  | AbortedError
  | EngineUnavailableError;

/**
 * The `kind` discriminant of {@link SttError}.
 *
 * @category Errors
 */
export type SttErrorKind = SttError["kind"];

/** Kinds that are worth retrying by default, when the provider does not say otherwise. */
const RETRYABLE_BY_DEFAULT: ReadonlySet<SttErrorKind> = new Set<SttErrorKind>([
  "rate-limit",
  "connection",
  "timeout",
  "provider",
]);

/**
 * The fields needed to build an {@link SttError}; `retryable` defaults by kind.
 *
 * @category Errors
 */
export type SttErrorInit = SttError extends infer E
  ? E extends SttError
    ? Omit<E, "retryable"> & { readonly retryable?: boolean }
    : never
  : never;

/**
 * What replaces a secret in text.
 *
 * @category Errors
 */
export const REDACTED = "***";
/** `scheme://userinfo@`: credentials written into a URL. */
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@"'<>]+@/gi;
/** `name=value` where the name says it holds a secret (query parameters, and the like in free text). */
const SECRET_PARAMETER =
  /(^|[^a-z0-9_-])((?:[a-z0-9_-]*(?:key|token|secret|password|passwd|signature|credential)[a-z0-9_-]*|sig|pwd|auth))=[^&\s#"'<>,;)]*/gi;
/** `Header: value` for the headers that carry credentials. */
const SECRET_HEADER = /\b(ocp-apim-subscription-key|authorization)(\s*:\s*)(?:bearer\s+)?[^\s,;"']+/gi;

/**
 * Removes credentials from text meant for people and logs: the user information of every URL
 * (`wss://user:key@host` becomes `wss://***@host`), the value of every parameter whose name says
 * it holds a secret (`key`, `token`, `secret`, `password`, `signature`, `sig`, ... as in
 * `?Ocp-Apim-Subscription-Key=...`), and credential headers (`Authorization: Bearer ...`).
 * {@link sttError} applies it to every error's message and detail, so no adapter can echo a key
 * it was configured with, wherever the text came from (an SDK's error text often quotes the URL).
 *
 * @category Errors
 */
export function redactSecrets(text: string): string {
  return text
    .replace(URL_USERINFO, `$1${REDACTED}@`)
    .replace(SECRET_PARAMETER, `$1$2=${REDACTED}`)
    .replace(SECRET_HEADER, `$1$2${REDACTED}`);
}

/**
 * Builds an {@link SttError}, defaulting `retryable` from its kind (rate limits, connection
 * failures, timeouts and provider-side failures are retryable; the rest are not). Its message
 * and detail pass through {@link redactSecrets}: errors never carry a credential found in a URL
 * or a provider's text. (`cause`, the original thrown value, is kept as it is.)
 *
 * @category Errors
 */
export function sttError<E extends SttErrorInit>(init: E): Extract<SttError, { kind: E["kind"] }> {
  const retryable = init.retryable ?? RETRYABLE_BY_DEFAULT.has(init.kind);
  const redacted: { message?: string; detail?: string } = {};
  if (typeof init.message === "string") redacted.message = redactSecrets(init.message);
  if (typeof init.detail === "string") redacted.detail = redactSecrets(init.detail);
  return { ...init, ...redacted, retryable } as unknown as Extract<SttError, { kind: E["kind"] }>;
}

/**
 * Whether a value is an {@link SttError} (useful where an `unknown` crosses a boundary).
 *
 * @category Errors
 */
export function isSttError(value: unknown): value is SttError {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { kind?: unknown }).kind === "string" &&
    typeof (value as { message?: unknown }).message === "string" &&
    typeof (value as { retryable?: unknown }).retryable === "boolean"
  );
}

/**
 * One line for logs: `kind (provider): message [detail]`.
 *
 * @category Errors
 */
export function formatSttError(error: SttError): string {
  const who = error.provider ? ` (${error.provider})` : "";
  const detail = error.detail ? ` [${error.detail}]` : "";
  return `${error.kind}${who}: ${error.message}${detail}`;
}

/**
 * Describes an unknown thrown value for an error's `detail`.
 *
 * @category Errors
 */
export function describeCause(cause: unknown): string {
  if (cause instanceof Error) return cause.message;
  if (typeof cause === "string") return cause;
  try {
    return JSON.stringify(cause) ?? describeValue(cause);
  } catch {
    return describeValue(cause);
  }
}

/**
 * Any value as text for an error message, never throwing: `String()` and template literals throw
 * on objects without a prototype and on symbols, and bad input must still get its typed error.
 *
 * @category Errors
 */
export function describeValue(value: unknown): string {
  if (typeof value === "string") return value;
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}
