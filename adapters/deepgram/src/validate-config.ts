import { err, ok, type Result } from "neverthrow";
import type { Language, SttError } from "@sttkit/core";
import { parseSetting, readSettings, sttError } from "@sttkit/core/kit";
import { DEEPGRAM_API_KEY_ENV, PROVIDER } from "./constants.js";
import { deepgramLanguage } from "./languages.js";
import type { DeepgramCredentials, ResolvedDeepgramConfig } from "./resolved-config.js";
import { CREDENTIAL, DEEPGRAM_SETTINGS, languagesRule } from "./settings-table.js";

/** Where environment defaults come from; `process.env` unless a test passes its own. */
export type EnvironmentVariables = Readonly<Record<string, string | undefined>>;

function invalid(argument: string, message: string): SttError {
  return sttError({ kind: "invalid-argument", argument: `deepgram.${argument}`, provider: PROVIDER, message });
}

/** Parses a stream's `language` option (one tag or several) into core languages. */
export function validateLanguages(value: unknown, argument: string): Result<readonly Language[], SttError> {
  return parseSetting(languagesRule(), value, argument, PROVIDER);
}

function resolveCredentials(apiKey: string | undefined, token: string | undefined, envKey: string | undefined): Result<DeepgramCredentials, SttError> {
  if (apiKey !== undefined && token !== undefined) return err(invalid("accessToken", "Give deepgram.apiKey or deepgram.accessToken, not both."));
  if (token !== undefined) return ok({ kind: "token", token });
  const key = apiKey ?? envKey;
  if (key === undefined) {
    return err(
      sttError({
        kind: "authentication",
        provider: PROVIDER,
        message: `Deepgram credentials are missing. Set the ${DEEPGRAM_API_KEY_ENV} environment variable, or give deepgram.apiKey or deepgram.accessToken.`,
      }),
    );
  }
  // The environment's key goes into a header like the configured one; never echo it, only name it.
  if (apiKey === undefined && !CREDENTIAL.test(key)) return err(invalid("apiKey", `The ${DEEPGRAM_API_KEY_ENV} key must be printable ASCII without spaces.`));
  return ok({ kind: "key", apiKey: key });
}

/**
 * Validates the adapter's settings (as found in configuration, so of unknown shape) against
 * {@link DEEPGRAM_SETTINGS}, then resolves the credential with the environment and checks what
 * depends on several settings: the language with the model, `utteranceEndMs` with interim
 * results. Nothing connects here.
 */
export function validateDeepgramConfig(settings: unknown, env: EnvironmentVariables = process.env): Result<ResolvedDeepgramConfig, SttError> {
  return readSettings("deepgram", PROVIDER, settings, DEEPGRAM_SETTINGS).andThen((read) => {
    const { apiKey, accessToken, language, ttfsP99Latency, ...options } = read;
    if (options.utteranceEndMs !== undefined && !options.interimResults) {
      return err(invalid("utteranceEndMs", "deepgram.utteranceEndMs needs interim results (Deepgram sends UtteranceEnd only with interim_results=true)."));
    }
    return deepgramLanguage(language, options.model).andThen(() =>
      resolveCredentials(apiKey, accessToken, env[DEEPGRAM_API_KEY_ENV]?.trim() || undefined).map(
        (credentials): ResolvedDeepgramConfig => ({
          ...options,
          credentials,
          languages: language,
          ttfsP99LatencyMs: Math.round(ttfsP99Latency * 1000),
        }),
      ),
    );
  });
}
