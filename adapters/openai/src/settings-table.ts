import { err, ok, type Result } from "neverthrow";
import { parseLanguage, type Language } from "@sttkit/core";
import {
  urlSetting,
  choiceSetting,
  flagSetting,
  numberSetting,
  sectionSetting,
  textListSetting,
  textSetting,
  withDefault,
  type SettingProblem,
  type SettingRule,
  type SettingsTable,
} from "@sttkit/core/kit";
import type { OpenAIBatchOptions, OpenAIConfig, OpenAIRealtimeOptions } from "./config.js";
import { DEFAULT_MAX_UPLOAD_BYTES, DEFAULT_MODEL, OPENAI_TRANSCRIPTION_MODELS, PROVIDER } from "./constants.js";
import { openaiLanguageCode } from "./languages.js";

/** One language the service offers: a `Language` tag (any spelling `parseLanguage` reads) with an OpenAI code. */
export function languageRule(): SettingRule<Language> {
  return {
    parse: (value): Result<Language, SettingProblem> => {
      if (typeof value !== "string") return err('must be one language tag such as "en-US" (OpenAI takes one language, not a list).');
      const parsed = parseLanguage(value);
      if (parsed.isErr()) return err(parsed.error);
      return openaiLanguageCode(parsed.value).map(() => parsed.value);
    },
  };
}

/** An `http://` or `https://` URL without query or fragment (the SDK appends paths to it), as the SDK's `baseURL`. */
function baseUrlRule(): SettingRule<string> {
  const url = urlSetting(["http:", "https:"], { credentialsHint: "give the key as apiKey" });
  return { parse: (value) => url.parse(value).map(() => (value as string).trim().replace(/\/+$/, "")) };
}

/** One or more PEM certificates. */
function certificateRule(): SettingRule<string> {
  return {
    parse: (value) =>
      typeof value === "string" && /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.test(value)
        ? ok(value)
        : err("must be one or more PEM certificates (-----BEGIN CERTIFICATE----- ...)."),
  };
}

const modelRule = (): SettingRule<(typeof OPENAI_TRANSCRIPTION_MODELS)[number]> => choiceSetting(OPENAI_TRANSCRIPTION_MODELS);

/** The settings of `openai.batch`. */
export const BATCH_SETTINGS = {
  model: withDefault(modelRule(), DEFAULT_MODEL),
  streamDeltas: withDefault(flagSetting(), true),
  maxUploadBytes: withDefault(numberSetting({ min: 64 * 1024, max: 25 * 1024 * 1024, integer: true }), DEFAULT_MAX_UPLOAD_BYTES),
  maxUploadSeconds: withDefault(numberSetting({ min: 10, max: 1500, integer: false }), 1400),
  concurrency: withDefault(numberSetting({ min: 1, max: 8, integer: true }), 2),
  temperature: numberSetting({ min: 0, max: 1, integer: false }),
  timeoutMs: withDefault(numberSetting({ min: 1000, max: 3_600_000, integer: true }), 600_000),
  maxRetries: withDefault(numberSetting({ min: 0, max: 10, integer: true }), 2),
  maxRetryAfterMs: withDefault(numberSetting({ min: 0, max: 3_600_000, integer: true }), 60_000),
} as const satisfies SettingsTable<OpenAIBatchOptions>;

/** The settings of `openai.realtime`. */
export const REALTIME_SETTINGS = {
  model: withDefault(modelRule(), DEFAULT_MODEL),
  urlModel: textSetting(),
  noiseReduction: choiceSetting(["near_field", "far_field"] as const),
  vadThreshold: withDefault(numberSetting({ min: 0, max: 1, integer: false }), 0.5),
  prefixPaddingMs: withDefault(numberSetting({ min: 0, max: 2000, integer: true }), 300),
  silenceDurationMs: withDefault(numberSetting({ min: 100, max: 10_000, integer: true }), 500),
} as const satisfies SettingsTable<OpenAIRealtimeOptions>;

/**
 * Every setting of the `openai` section, once: its rule and default. Typed against
 * {@link OpenAIConfig} (which documents each), so a key cannot be added to one without the other.
 * The key and base URL fall back to the environment afterwards.
 */
export const OPENAI_SETTINGS = {
  apiKey: textSetting(),
  baseURL: baseUrlRule(),
  organization: textSetting(),
  project: textSetting(),
  ca: certificateRule(),
  language: languageRule(),
  prompt: textSetting(),
  phrases: withDefault(textListSetting(), []),
  wordTimings: withDefault(flagSetting(), false),
  ttfsP99Latency: numberSetting({ min: 0.01, max: 60, integer: false }),
  connectTimeoutMs: withDefault(numberSetting({ min: 1, max: 600_000, integer: true }), 10_000),
  finishTimeoutMs: withDefault(numberSetting({ min: 1, max: 3_600_000, integer: true }), 30_000),
  batch: sectionSetting("openai.batch", PROVIDER, BATCH_SETTINGS),
  realtime: sectionSetting("openai.realtime", PROVIDER, REALTIME_SETTINGS),
} as const satisfies SettingsTable<OpenAIConfig>;
