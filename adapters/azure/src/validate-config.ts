import { err, ok, Result } from "neverthrow";
import { parseLanguage, sttError, type Language, type SttError } from "@sttkit/core";
import type { AzureConfig, AzureProfanity } from "./config.js";
import type { AzureCredentials, AzureServiceAddress, ResolvedAzureConfig, ResolvedReconnect } from "./resolved-config.js";
import { AZURE_SAMPLE_RATES, PROVIDER } from "./constants.js";

/** The environment variables the adapter reads credentials from. */
export const AZURE_ENV = Object.freeze({ apiKey: "AZURE_SPEECH_API_KEY", region: "AZURE_SPEECH_REGION" });

/** Where environment defaults come from; `process.env` unless a test passes its own. */
export type EnvironmentVariables = Readonly<Record<string, string | undefined>>;

const KNOWN_KEYS: ReadonlySet<string> = new Set<keyof AzureConfig>([
  "apiKey",
  "region",
  "authorizationToken",
  "host",
  "endpoint",
  "language",
  "sampleRate",
  "endpointId",
  "ttfsP99Latency",
  "phrases",
  "profanity",
  "segmentationSilenceTimeoutMs",
  "detailed",
  "wordTimings",
  "connectTimeoutMs",
  "finishTimeoutMs",
  "reconnect",
  "sdkProperties",
]);

const PROFANITY_VALUES: readonly AzureProfanity[] = ["masked", "removed", "raw"];
const DEFAULT_LANGUAGE = "en-US";
const MAX_IDENTIFIED_LANGUAGES = 10;
const DEFAULT_TTFS_P99_SECONDS = 1.8;
const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
const DEFAULT_FINISH_TIMEOUT_MS = 30_000;
const SEGMENTATION_SILENCE_RANGE_MS = { min: 100, max: 5_000 } as const;
const DEFAULT_RECONNECT: ResolvedReconnect = { maxAttempts: 3, maxReplaySeconds: 120, backoffMs: 200 };

function invalid(argument: string, message: string): SttError {
  return sttError({ kind: "invalid-argument", argument: `azure.${argument}`, provider: PROVIDER, message });
}

function optionalString(config: Record<string, unknown>, key: string): Result<string | undefined, SttError> {
  const value = config[key];
  if (value === undefined) return ok(undefined);
  if (typeof value !== "string" || value.trim().length === 0) {
    return err(invalid(key, `azure.${key} must be a non-empty string.`));
  }
  return ok(value.trim());
}

function optionalBoolean(config: Record<string, unknown>, key: string): Result<boolean | undefined, SttError> {
  const value = config[key];
  if (value === undefined || typeof value === "boolean") return ok(value);
  return err(invalid(key, `azure.${key} must be true or false.`));
}

function optionalNumber(
  config: Record<string, unknown>,
  key: string,
  range: { readonly min: number; readonly max: number; readonly integer: boolean },
  path = key,
): Result<number | undefined, SttError> {
  const value = config[key];
  if (value === undefined) return ok(undefined);
  const inRange =
    typeof value === "number" &&
    Number.isFinite(value) &&
    (!range.integer || Number.isInteger(value)) &&
    value >= range.min &&
    value <= range.max;
  if (!inRange) {
    const what = range.integer ? "an integer" : "a number";
    return err(invalid(path, `azure.${path} must be ${what} from ${range.min} to ${range.max}; got ${JSON.stringify(value)}.`));
  }
  return ok(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function checkKnownKeys(config: Record<string, unknown>): Result<void, SttError> {
  const unknown = Object.keys(config).find((key) => !KNOWN_KEYS.has(key));
  if (unknown === undefined) return ok(undefined);
  return err(
    invalid(unknown, `Unknown Azure setting "${unknown}". Known settings: ${[...KNOWN_KEYS].join(", ")}.`),
  );
}

/** Parses `language` (one tag or several) into Azure locales; several ask for language identification. */
export function validateLanguages(value: unknown, argument: string): Result<readonly Language[], SttError> {
  const tags: readonly unknown[] = Array.isArray(value) ? value : [value];
  if (tags.length === 0) {
    return err(invalid(argument, `azure.${argument} must name at least one language.`));
  }
  if (tags.length > MAX_IDENTIFIED_LANGUAGES) {
    return err(
      sttError({
        kind: "unsupported-option",
        option: argument,
        provider: PROVIDER,
        message: `Azure identifies the language among at most ${MAX_IDENTIFIED_LANGUAGES} candidates; ${tags.length} were given.`,
      }),
    );
  }
  const languages: Language[] = [];
  for (const tag of tags) {
    if (typeof tag !== "string") return err(invalid(argument, `azure.${argument} must be a language tag such as "en-US".`));
    const parsed = parseLanguage(tag);
    if (parsed.isErr()) return err({ ...parsed.error, provider: PROVIDER });
    if (!languages.includes(parsed.value)) languages.push(parsed.value);
  }
  return ok(languages);
}

/** Checks a phrase list: non-empty strings, trimmed. */
export function validatePhrases(value: unknown, argument: string): Result<readonly string[], SttError> {
  if (value === undefined) return ok([]);
  if (!Array.isArray(value) || value.some((phrase) => typeof phrase !== "string" || phrase.trim().length === 0)) {
    return err(invalid(argument, `azure.${argument} must be a list of non-empty strings.`));
  }
  return ok(value.map((phrase: string) => phrase.trim()));
}

function validateSampleRate(config: Record<string, unknown>): Result<number | undefined, SttError> {
  const value = config["sampleRate"];
  if (value === undefined) return ok(undefined);
  if (typeof value !== "number" || !AZURE_SAMPLE_RATES.includes(value)) {
    return err(
      sttError({
        kind: "unsupported-option",
        option: "azure.sampleRate",
        provider: PROVIDER,
        message: `Azure accepts PCM at ${AZURE_SAMPLE_RATES.join(", ")} Hz; got ${JSON.stringify(value)}.`,
      }),
    );
  }
  return ok(value);
}

function validateProfanity(config: Record<string, unknown>): Result<AzureProfanity | undefined, SttError> {
  const value = config["profanity"];
  if (value === undefined) return ok(undefined);
  if (typeof value === "string" && (PROFANITY_VALUES as readonly string[]).includes(value)) {
    return ok(value as AzureProfanity);
  }
  return err(invalid("profanity", `azure.profanity must be one of ${PROFANITY_VALUES.join(", ")}.`));
}

function validateReconnect(config: Record<string, unknown>): Result<ResolvedReconnect, SttError> {
  const value = config["reconnect"];
  if (value === undefined) return ok(DEFAULT_RECONNECT);
  if (!isRecord(value)) return err(invalid("reconnect", "azure.reconnect must be an object."));
  const unknown = Object.keys(value).find((key) => !["maxAttempts", "maxReplaySeconds", "backoffMs"].includes(key));
  if (unknown !== undefined) return err(invalid(`reconnect.${unknown}`, `Unknown reconnect setting "${unknown}".`));
  return Result.combine([
    optionalNumber(value, "maxAttempts", { min: 0, max: 100, integer: true }, "reconnect.maxAttempts"),
    optionalNumber(value, "maxReplaySeconds", { min: 1, max: 3_600, integer: false }, "reconnect.maxReplaySeconds"),
    optionalNumber(value, "backoffMs", { min: 0, max: 60_000, integer: true }, "reconnect.backoffMs"),
  ]).map(([maxAttempts, maxReplaySeconds, backoffMs]) => ({
    maxAttempts: maxAttempts ?? DEFAULT_RECONNECT.maxAttempts,
    maxReplaySeconds: maxReplaySeconds ?? DEFAULT_RECONNECT.maxReplaySeconds,
    backoffMs: backoffMs ?? DEFAULT_RECONNECT.backoffMs,
  }));
}

function validateSdkProperties(config: Record<string, unknown>): Result<Readonly<Record<string, string>>, SttError> {
  const value = config["sdkProperties"];
  if (value === undefined) return ok({});
  if (!isRecord(value) || Object.values(value).some((property) => typeof property !== "string")) {
    return err(invalid("sdkProperties", "azure.sdkProperties must map property names to string values."));
  }
  return ok({ ...(value as Record<string, string>) });
}

function validateWebSocketUrl(text: string | undefined, argument: "host" | "endpoint"): Result<URL | undefined, SttError> {
  if (text === undefined) return ok(undefined);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return err(invalid(argument, `azure.${argument} is not a URL: ${text}`));
  }
  if (url.protocol !== "ws:" && url.protocol !== "wss:") {
    return err(invalid(argument, `azure.${argument} must be a ws:// or wss:// URL; got ${url.protocol}//.`));
  }
  if (argument === "endpoint" && (url.pathname === "" || url.pathname === "/")) {
    // The SDK would look up a redirect over HTTPS for a bare host, which fails offline and in containers.
    return err(invalid(argument, "azure.endpoint must include the recognition path; use azure.host for a bare host."));
  }
  return ok(url);
}

function resolveAddress(
  region: string | undefined,
  host: URL | undefined,
  endpoint: URL | undefined,
): Result<AzureServiceAddress | undefined, SttError> {
  if (host && endpoint) return err(invalid("host", "Give azure.host or azure.endpoint, not both."));
  if (host) return ok({ kind: "host", url: host });
  if (endpoint) return ok({ kind: "endpoint", url: endpoint });
  if (region === undefined) return ok(undefined);
  if (!/^[a-z0-9-]+$/i.test(region)) return err(invalid("region", `azure.region "${region}" is not a region name such as "westeurope".`));
  return ok({ kind: "region", region: region.toLowerCase() });
}

function missingCredentials(detail: string): SttError {
  return sttError({
    kind: "authentication",
    provider: PROVIDER,
    message:
      `Azure Speech credentials are missing (${detail}). Set the ${AZURE_ENV.apiKey} and ${AZURE_ENV.region} ` +
      "environment variables, or give azure.apiKey and azure.region (or azure.authorizationToken with a region, " +
      "or azure.host / azure.endpoint).",
  });
}

function resolveCredentials(
  apiKey: string | undefined,
  token: string | undefined,
  address: AzureServiceAddress | undefined,
): Result<{ credentials: AzureCredentials; address: AzureServiceAddress }, SttError> {
  if (apiKey !== undefined && token !== undefined) {
    return err(invalid("authorizationToken", "Give azure.apiKey or azure.authorizationToken, not both."));
  }
  if (address === undefined) return err(missingCredentials("no region, host or endpoint"));
  const credentials: AzureCredentials =
    token !== undefined ? { kind: "token", token } : apiKey !== undefined ? { kind: "key", apiKey } : { kind: "none" };
  if (address.kind === "region" && credentials.kind === "none") return err(missingCredentials("no key or token"));
  return ok({ credentials, address });
}

/**
 * Validates the adapter's settings (as found in configuration, so of unknown shape) and applies
 * defaults and the environment. Nothing connects here.
 */
export function validateAzureConfig(settings: unknown, env: EnvironmentVariables = process.env): Result<ResolvedAzureConfig, SttError> {
  const config: Record<string, unknown> | undefined = settings === undefined || settings === null ? {} : isRecord(settings) ? settings : undefined;
  if (config === undefined) return err(invalid("", "The azure settings must be an object."));
  const known = checkKnownKeys(config);
  if (known.isErr()) return err(known.error);

  const envKey = env[AZURE_ENV.apiKey]?.trim() || undefined;
  const envRegion = env[AZURE_ENV.region]?.trim() || undefined;
  const strings = Result.combine([
    optionalString(config, "apiKey"),
    optionalString(config, "region"),
    optionalString(config, "authorizationToken"),
    optionalString(config, "host"),
    optionalString(config, "endpoint"),
    optionalString(config, "endpointId"),
  ]);
  if (strings.isErr()) return err(strings.error);
  const [apiKey, region, token, hostText, endpointText, endpointId] = strings.value;

  const urls = Result.combine([validateWebSocketUrl(hostText, "host"), validateWebSocketUrl(endpointText, "endpoint")]);
  if (urls.isErr()) return err(urls.error);
  const address = resolveAddress(region ?? envRegion, urls.value[0], urls.value[1]);
  if (address.isErr()) return err(address.error);
  // The environment key is a fallback for the key only: an explicit token must not clash with it.
  const access = resolveCredentials(apiKey ?? (token === undefined ? envKey : undefined), token, address.value);
  if (access.isErr()) return err(access.error);

  const languages = validateLanguages(config["language"] ?? DEFAULT_LANGUAGE, "language");
  if (languages.isErr()) return err(languages.error);
  const phrases = validatePhrases(config["phrases"], "phrases");
  if (phrases.isErr()) return err(phrases.error);

  const rest = Result.combine([
    optionalNumber(config, "ttfsP99Latency", { min: 0.01, max: 60, integer: false }),
    optionalNumber(config, "segmentationSilenceTimeoutMs", { ...SEGMENTATION_SILENCE_RANGE_MS, integer: true }),
    optionalNumber(config, "connectTimeoutMs", { min: 1, max: 600_000, integer: true }),
    optionalNumber(config, "finishTimeoutMs", { min: 1, max: 3_600_000, integer: true }),
  ]);
  if (rest.isErr()) return err(rest.error);
  const [ttfsP99Latency, segmentationSilenceTimeoutMs, connectTimeoutMs, finishTimeoutMs] = rest.value;

  const flags = Result.combine([optionalBoolean(config, "detailed"), optionalBoolean(config, "wordTimings")]);
  if (flags.isErr()) return err(flags.error);
  const [detailed, wordTimings] = flags.value;

  return Result.combine([validateSampleRate(config), validateProfanity(config)])
    .andThen(([sampleRate, profanity]) =>
      validateReconnect(config).andThen((reconnect) =>
        validateSdkProperties(config).map(
          (sdkProperties): ResolvedAzureConfig => ({
            credentials: access.value.credentials,
            address: access.value.address,
            languages: languages.value,
            sampleRate,
            endpointId,
            ttfsP99LatencyMs: Math.round((ttfsP99Latency ?? DEFAULT_TTFS_P99_SECONDS) * 1000),
            phrases: phrases.value,
            profanity,
            segmentationSilenceTimeoutMs,
            detailed: detailed ?? false,
            wordTimings: wordTimings ?? false,
            connectTimeoutMs: connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
            finishTimeoutMs: finishTimeoutMs ?? DEFAULT_FINISH_TIMEOUT_MS,
            reconnect,
            sdkProperties,
          }),
        ),
      ),
    );
}
