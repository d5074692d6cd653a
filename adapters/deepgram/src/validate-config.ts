import { err, ok, Result } from "neverthrow";
import { parseLanguage, sttError, type Language, type SttError } from "@sttkit/core";
import type { DeepgramConfig } from "./config.js";
import {
  invalid,
  isRecord,
  optionalBoolean,
  optionalInteger,
  optionalNumber,
  optionalString,
  stringList,
  type Settings,
} from "./config-checks.js";
import { DEEPGRAM_API_KEY_ENV, DEFAULT_MODEL, DEFAULT_TTFS_P99_MS, PROVIDER } from "./constants.js";
import { deepgramLanguage } from "./languages.js";
import type { DeepgramCredentials, ResolvedDeepgramConfig, ResolvedReconnect } from "./resolved-config.js";

/** Where environment defaults come from; `process.env` unless a test passes its own. */
export type EnvironmentVariables = Readonly<Record<string, string | undefined>>;

const KNOWN_KEYS: ReadonlySet<string> = new Set<keyof DeepgramConfig>([
  "apiKey", "accessToken", "baseUrl", "model", "language", "interimResults", "endpointing", "utteranceEndMs", "vadEvents",
  "smartFormat", "punctuate", "profanityFilter", "keyterms", "diarize", "fillerWords", "numerals", "redact", "tags",
  "wordTimings", "ttfsP99Latency", "connectTimeoutMs", "finishTimeoutMs", "keepAliveIntervalMs", "reconnect",
  "requestTimeoutMs", "requestRetries",
]);
const DEFAULT_RECONNECT: ResolvedReconnect = { maxAttempts: 3, maxReplaySeconds: 120, backoffMs: 200 };
/** Model names are path-like identifiers (`nova-3`, `nova-2-phonecall`, a custom model's UUID). */
const MODEL_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
/** Redaction names are lower-case identifiers (`pci`, `aggressive_numbers`). */
const REDACTION = /^[a-z_]{1,64}$/;
/** A credential goes into an HTTP header: printable ASCII without spaces. */
const CREDENTIAL = /^[\x21-\x7e]{1,4096}$/;

/** Parses `language` (one tag or several) into core languages; their Deepgram code is checked with the model. */
export function validateLanguages(value: unknown, path: string): Result<readonly Language[], SttError> {
  const tags: readonly unknown[] = Array.isArray(value) ? value : [value];
  if (tags.length === 0 || tags.length > 16) return err(invalid(path, `deepgram.${path} must name from 1 to 16 languages.`));
  const languages: Language[] = [];
  for (const tag of tags) {
    if (typeof tag !== "string") return err(invalid(path, `deepgram.${path} must be a language tag such as "en-US", or a list of them.`));
    const parsed = parseLanguage(tag);
    if (parsed.isErr()) return err({ ...parsed.error, provider: PROVIDER });
    if (!languages.includes(parsed.value)) languages.push(parsed.value);
  }
  return ok(languages);
}

function validateBaseUrl(text: string | undefined): Result<string | undefined, SttError> {
  if (text === undefined) return ok(undefined);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return err(invalid("baseUrl", `deepgram.baseUrl is not a URL: ${text}`));
  }
  const scheme = { "http:": "http:", "ws:": "http:", "https:": "https:", "wss:": "https:" }[url.protocol];
  if (scheme === undefined) return err(invalid("baseUrl", `deepgram.baseUrl must be an http(s):// or ws(s):// URL; got ${url.protocol}//.`));
  // Credentials in a URL end up in logs and error messages; they belong in apiKey or accessToken.
  if (url.username !== "" || url.password !== "") return err(invalid("baseUrl", "deepgram.baseUrl must not hold credentials; use deepgram.apiKey or deepgram.accessToken."));
  if (url.search !== "" || url.hash !== "") return err(invalid("baseUrl", "deepgram.baseUrl must not have a query or fragment."));
  // The SDK builds both URLs from one base: REST needs http(s), and ws accepts http(s) for WebSockets.
  return ok(`${scheme}//${url.host}${url.pathname.replace(/\/+$/, "")}`);
}

function resolveCredentials(apiKey: string | undefined, token: string | undefined, envKey: string | undefined): Result<DeepgramCredentials, SttError> {
  if (apiKey !== undefined && token !== undefined) return err(invalid("accessToken", "Give deepgram.apiKey or deepgram.accessToken, not both."));
  const credential = token ?? apiKey ?? envKey;
  if (credential === undefined) {
    return err(
      sttError({
        kind: "authentication",
        provider: PROVIDER,
        message: `Deepgram credentials are missing. Set the ${DEEPGRAM_API_KEY_ENV} environment variable, or give deepgram.apiKey or deepgram.accessToken.`,
      }),
    );
  }
  // Never echo the credential itself: only say which one is malformed.
  const which = token !== undefined ? "accessToken" : apiKey !== undefined ? "apiKey" : DEEPGRAM_API_KEY_ENV;
  if (!CREDENTIAL.test(credential)) return err(invalid(token !== undefined ? "accessToken" : "apiKey", `The Deepgram ${which} must be printable ASCII without spaces.`));
  return ok(token !== undefined ? { kind: "token", token } : { kind: "key", apiKey: credential });
}

function validateEndpointing(settings: Settings): Result<number | false | undefined, SttError> {
  if (settings["endpointing"] === false) return ok(false);
  return optionalInteger(settings, "endpointing", { min: 10, max: 10_000 });
}

function validateReconnect(settings: Settings): Result<ResolvedReconnect, SttError> {
  const value = settings["reconnect"];
  if (value === undefined) return ok(DEFAULT_RECONNECT);
  if (!isRecord(value)) return err(invalid("reconnect", "deepgram.reconnect must be an object."));
  const unknown = Object.keys(value).find((key) => !["maxAttempts", "maxReplaySeconds", "backoffMs"].includes(key));
  if (unknown !== undefined) return err(invalid(`reconnect.${unknown}`, `Unknown reconnect setting "${unknown}".`));
  return Result.combine([
    optionalInteger(value, "maxAttempts", { min: 0, max: 100 }, "reconnect.maxAttempts"),
    optionalNumber(value, "maxReplaySeconds", { min: 1, max: 3_600 }, "reconnect.maxReplaySeconds"),
    optionalInteger(value, "backoffMs", { min: 0, max: 60_000 }, "reconnect.backoffMs"),
  ]).map(([maxAttempts, maxReplaySeconds, backoffMs]) => ({
    maxAttempts: maxAttempts ?? DEFAULT_RECONNECT.maxAttempts,
    maxReplaySeconds: maxReplaySeconds ?? DEFAULT_RECONNECT.maxReplaySeconds,
    backoffMs: backoffMs ?? DEFAULT_RECONNECT.backoffMs,
  }));
}

const FLAGS = ["interimResults", "vadEvents", "smartFormat", "punctuate", "profanityFilter", "diarize", "fillerWords", "numerals", "wordTimings"] as const;
type Flag = (typeof FLAGS)[number];
const FLAG_DEFAULTS: Readonly<Record<Flag, boolean>> = {
  interimResults: true,
  vadEvents: true,
  smartFormat: false,
  punctuate: true,
  profanityFilter: false,
  diarize: false,
  fillerWords: false,
  numerals: false,
  wordTimings: false,
};

function validateFlags(settings: Settings): Result<Record<Flag, boolean>, SttError> {
  const flags = {} as Record<Flag, boolean>;
  for (const flag of FLAGS) {
    const value = optionalBoolean(settings, flag);
    if (value.isErr()) return err(value.error);
    flags[flag] = value.value ?? FLAG_DEFAULTS[flag];
  }
  return ok(flags);
}

/**
 * Validates the adapter's settings (as found in configuration, so of unknown shape) and applies
 * defaults and the environment. Nothing connects here.
 */
export function validateDeepgramConfig(settings: unknown, env: EnvironmentVariables = process.env): Result<ResolvedDeepgramConfig, SttError> {
  const config: Settings | undefined = settings === undefined || settings === null ? {} : isRecord(settings) ? settings : undefined;
  if (config === undefined) return err(invalid("", "The deepgram settings must be an object."));
  const unknown = Object.keys(config).find((key) => !KNOWN_KEYS.has(key));
  if (unknown !== undefined) return err(invalid(unknown, `Unknown Deepgram setting "${unknown}". Known settings: ${[...KNOWN_KEYS].join(", ")}.`));

  const strings = Result.combine([optionalString(config, "apiKey"), optionalString(config, "accessToken"), optionalString(config, "baseUrl"), optionalString(config, "model")]);
  if (strings.isErr()) return err(strings.error);
  const [apiKey, accessToken, baseUrlText, modelText] = strings.value;
  const credentials = resolveCredentials(apiKey, accessToken, env[DEEPGRAM_API_KEY_ENV]?.trim() || undefined);
  if (credentials.isErr()) return err(credentials.error);
  const baseUrl = validateBaseUrl(baseUrlText);
  if (baseUrl.isErr()) return err(baseUrl.error);
  const model = modelText ?? DEFAULT_MODEL;
  if (!MODEL_NAME.test(model)) return err(invalid("model", `deepgram.model "${model}" is not a model name such as "nova-3".`));

  const languages = validateLanguages(config["language"] ?? "en-US", "language");
  if (languages.isErr()) return err(languages.error);
  const code = deepgramLanguage(languages.value, model);
  if (code.isErr()) return err(code.error);

  const lists = Result.combine([stringList(config["keyterms"], "keyterms"), stringList(config["redact"], "redact", REDACTION), stringList(config["tags"], "tags")]);
  if (lists.isErr()) return err(lists.error);
  const [keyterms, redact, tags] = lists.value;

  const numbers = Result.combine([
    validateEndpointing(config),
    optionalInteger(config, "utteranceEndMs", { min: 1_000, max: 5_000 }),
    optionalNumber(config, "ttfsP99Latency", { min: 0.01, max: 60 }),
    optionalInteger(config, "connectTimeoutMs", { min: 1, max: 600_000 }),
    optionalInteger(config, "finishTimeoutMs", { min: 1, max: 3_600_000 }),
    optionalInteger(config, "keepAliveIntervalMs", { min: 500, max: 9_000 }),
    optionalInteger(config, "requestTimeoutMs", { min: 1, max: 3_600_000 }),
    optionalInteger(config, "requestRetries", { min: 0, max: 5 }),
  ]);
  if (numbers.isErr()) return err(numbers.error);
  const [endpointing, utteranceEndMs, ttfsP99Latency, connectTimeoutMs, finishTimeoutMs, keepAliveIntervalMs, requestTimeoutMs, requestRetries] = numbers.value;

  const flags = validateFlags(config);
  if (flags.isErr()) return err(flags.error);
  if (utteranceEndMs !== undefined && !flags.value.interimResults) {
    return err(invalid("utteranceEndMs", "deepgram.utteranceEndMs needs interim results (Deepgram sends UtteranceEnd only with interim_results=true)."));
  }
  const reconnect = validateReconnect(config);
  if (reconnect.isErr()) return err(reconnect.error);

  return ok({
    credentials: credentials.value,
    baseUrl: baseUrl.value,
    model,
    languages: languages.value,
    endpointing,
    utteranceEndMs,
    keyterms,
    redact,
    tags,
    ...flags.value,
    ttfsP99LatencyMs: ttfsP99Latency === undefined ? DEFAULT_TTFS_P99_MS : Math.round(ttfsP99Latency * 1000),
    connectTimeoutMs: connectTimeoutMs ?? 10_000,
    finishTimeoutMs: finishTimeoutMs ?? 30_000,
    keepAliveIntervalMs: keepAliveIntervalMs ?? 4_000,
    reconnect: reconnect.value,
    requestTimeoutMs: requestTimeoutMs ?? 300_000,
    requestRetries: requestRetries ?? 2,
  });
}
