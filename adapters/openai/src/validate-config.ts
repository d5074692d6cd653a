import { err, ok, type Result } from "neverthrow";
import type { Language, SttError } from "@sttkit/core";
import { readSettings, sttError, type ReadSettings } from "@sttkit/core/kit";
import { DEFAULT_BASE_URL, OPENAI_ENV, PROVIDER } from "./constants.js";
import { BATCH_SETTINGS, OPENAI_SETTINGS, REALTIME_SETTINGS } from "./settings-table.js";

/** Where environment defaults come from; `process.env` unless a test passes its own. */
export type EnvironmentVariables = Readonly<Record<string, string | undefined>>;

/** The settings of `openai.batch` after validation. */
export type ResolvedBatchOptions = ReadSettings<typeof BATCH_SETTINGS>;
/** The settings of `openai.realtime` after validation. */
export type ResolvedRealtimeOptions = ReadSettings<typeof REALTIME_SETTINGS>;

/** An `OpenAIConfig` after validation: defaults applied, key and base URL resolved with the environment, latency in ms. */
export interface ResolvedOpenAIConfig {
  readonly apiKey: string;
  readonly baseURL: string;
  readonly organization: string | undefined;
  readonly project: string | undefined;
  readonly ca: string | undefined;
  readonly language: Language | undefined;
  readonly prompt: string | undefined;
  readonly phrases: readonly string[];
  readonly wordTimings: boolean;
  readonly ttfsP99LatencyMs: number;
  readonly connectTimeoutMs: number;
  readonly finishTimeoutMs: number;
  readonly batch: ResolvedBatchOptions;
  readonly realtime: ResolvedRealtimeOptions;
}

/** What the end of speech to final costs beyond the closing silence, by default: the service's transcription time, estimated. */
const DEFAULT_TRANSCRIPTION_P99_MS = 1500;

/**
 * Validates the adapter's settings (of unknown shape, as found in configuration) against
 * {@link OPENAI_SETTINGS}, then takes the key and base URL from the environment where the settings
 * have none. A missing key is an `authentication` error naming `OPENAI_API_KEY`. Nothing connects.
 */
export function validateOpenAIConfig(settings: unknown, env: EnvironmentVariables = process.env): Result<ResolvedOpenAIConfig, SttError> {
  return readSettings("openai", PROVIDER, settings, OPENAI_SETTINGS).andThen((read) => {
    const apiKey = read.apiKey ?? (env[OPENAI_ENV.apiKey]?.trim() || undefined);
    if (apiKey === undefined) {
      return err(
        sttError({
          kind: "authentication",
          provider: PROVIDER,
          message: `The OpenAI API key is missing. Set the ${OPENAI_ENV.apiKey} environment variable, or give openai.apiKey.`,
        }),
      );
    }
    let baseURL = read.baseURL;
    const envBase = env[OPENAI_ENV.baseURL]?.trim();
    if (baseURL === undefined && envBase) {
      const parsed = OPENAI_SETTINGS.baseURL.parse(envBase);
      if (parsed.isErr()) {
        return err(sttError({ kind: "invalid-argument", argument: OPENAI_ENV.baseURL, provider: PROVIDER, message: `${OPENAI_ENV.baseURL} ${String(parsed.error)}` }));
      }
      baseURL = parsed.value;
    }
    const { ttfsP99Latency, ...rest } = read;
    return ok({
      ...rest,
      apiKey,
      baseURL: baseURL ?? DEFAULT_BASE_URL,
      ttfsP99LatencyMs: ttfsP99Latency !== undefined ? Math.round(ttfsP99Latency * 1000) : read.realtime.silenceDurationMs + DEFAULT_TRANSCRIPTION_P99_MS,
    });
  });
}
