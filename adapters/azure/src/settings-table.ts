import { err, ok, type Result } from "neverthrow";
import type { Language } from "@sttkit/core";
import {
  choiceSetting,
  flagSetting,
  languagesSetting,
  numberSetting,
  RECONNECT_SETTINGS,
  sectionSetting,
  sttError,
  textListSetting,
  textMapSetting,
  textSetting,
  withDefault,
  type SettingProblem,
  type SettingRule,
  type SettingsTable,
} from "@sttkit/core/kit";
import type { AzureConfig, AzureFastTranscriptionOptions } from "./config.js";
import { AZURE_SAMPLE_RATES, PROVIDER } from "./constants.js";

/** Azure identifies the spoken language among at most this many candidates. */
const MAX_IDENTIFIED_LANGUAGES = 10;

/** One language tag or a list of up to ten: Azure locales, duplicates dropped. */
export function languagesRule(): SettingRule<readonly Language[]> {
  return languagesSetting({
    max: MAX_IDENTIFIED_LANGUAGES,
    tooMany: (count) =>
      sttError({
        kind: "unsupported-option",
        option: "language",
        provider: PROVIDER,
        message: `Azure identifies the language among at most ${MAX_IDENTIFIED_LANGUAGES} candidates; ${count} were given.`,
      }),
  });
}

/** A `ws://` or `wss://` URL; `withPath` says whether it must name the recognition path (endpoint) or must not (host). */
function webSocketUrlRule(withPath: boolean): SettingRule<URL> {
  return {
    parse: (value): Result<URL, SettingProblem> => {
      if (typeof value !== "string" || value.trim().length === 0) return err("must be a ws:// or wss:// URL.");
      let url: URL;
      try {
        url = new URL(value.trim());
      } catch {
        return err("is not a URL.");
      }
      if (url.protocol !== "ws:" && url.protocol !== "wss:") return err(`must be a ws:// or wss:// URL; got ${url.protocol}//.`);
      const hasPath = url.pathname !== "" && url.pathname !== "/";
      // The SDK looks up a redirect over HTTPS for a bare endpoint (fails offline and in
      // containers), and ignores any path of a host: both would silently go elsewhere.
      if (withPath && !hasPath) return err("must include the recognition path; use azure.host for a bare host.");
      if (!withPath && (hasPath || url.search !== "")) return err("must be a bare scheme://host[:port]; use azure.endpoint for a URL with a path or query.");
      return ok(url);
    },
  };
}

function sampleRateRule(): SettingRule<number> {
  return {
    parse: (value) =>
      typeof value === "number" && AZURE_SAMPLE_RATES.includes(value)
        ? ok(value)
        : err(
            sttError({
              kind: "unsupported-option",
              option: "azure.sampleRate",
              provider: PROVIDER,
              message: `Azure accepts PCM at ${AZURE_SAMPLE_RATES.join(", ")} Hz; got ${JSON.stringify(value) ?? String(value)}.`,
            }),
          ),
  };
}

/** The fast transcription API's documented limits: files under 300 MB and 2 hours. */
export const FAST_TRANSCRIPTION_LIMITS = Object.freeze({ maxUploadBytes: 300 * 1024 * 1024, maxAudioSeconds: 2 * 60 * 60 });

/** The `azure.fastTranscription` section. */
const FAST_TRANSCRIPTION_SETTINGS = {
  maxUploadBytes: withDefault(numberSetting({ min: 1024, max: Number.MAX_SAFE_INTEGER, integer: true }), FAST_TRANSCRIPTION_LIMITS.maxUploadBytes),
  maxAudioSeconds: withDefault(numberSetting({ min: 1, max: 86_400, integer: false }), FAST_TRANSCRIPTION_LIMITS.maxAudioSeconds),
  responseTimeoutMs: withDefault(numberSetting({ min: 1, max: 3_600_000, integer: true }), 300_000),
  maxSpeakers: numberSetting({ min: 2, max: 35, integer: true }),
} as const satisfies SettingsTable<AzureFastTranscriptionOptions>;

/**
 * Every setting of the `azure` section, once: its rule and default. Typed against
 * {@link AzureConfig} (which documents each), so a key cannot be added to one without the other.
 * Credentials and the address are resolved together afterwards (they depend on each other and
 * on the environment).
 */
export const AZURE_SETTINGS = {
  apiKey: textSetting(),
  region: textSetting(),
  authorizationToken: textSetting(),
  host: webSocketUrlRule(false),
  endpoint: webSocketUrlRule(true),
  language: withDefault(languagesRule(), ["en-US" as Language]),
  sampleRate: sampleRateRule(),
  endpointId: textSetting(),
  ttfsP99Latency: withDefault(numberSetting({ min: 0.01, max: 60, integer: false }), 1.8),
  phrases: withDefault(textListSetting(), []),
  profanity: choiceSetting(["masked", "removed", "raw"] as const),
  segmentationSilenceTimeoutMs: numberSetting({ min: 100, max: 5_000, integer: true }),
  detailed: withDefault(flagSetting(), false),
  wordTimings: withDefault(flagSetting(), false),
  connectTimeoutMs: withDefault(numberSetting({ min: 1, max: 600_000, integer: true }), 10_000),
  finishTimeoutMs: withDefault(numberSetting({ min: 1, max: 3_600_000, integer: true }), 30_000),
  reconnect: sectionSetting("azure.reconnect", PROVIDER, RECONNECT_SETTINGS),
  sdkProperties: withDefault(textMapSetting(), {}),
  transcribeWith: choiceSetting(["fast", "realtime"] as const),
  fastTranscription: sectionSetting("azure.fastTranscription", PROVIDER, FAST_TRANSCRIPTION_SETTINGS),
  diarization: withDefault(flagSetting(), false),
  // A few seconds: enough to ride out a reconnect without stalling a live writer.
  maxUnsentAudioMs: withDefault(numberSetting({ min: 100, max: 600_000, integer: true }), 5_000),
} as const satisfies SettingsTable<AzureConfig>;
