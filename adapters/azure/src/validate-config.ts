import { err, ok, type Result } from "neverthrow";
import type { Language, SttError } from "@sttkit/core";
import { parseSetting, readSettings, sttError } from "@sttkit/core/kit";
import type { AzureCredentials, AzureServiceAddress, ResolvedAzureConfig } from "./resolved-config.js";
import { planTranscribe } from "./fast/plan.js";
import { AZURE_SETTINGS, languagesRule } from "./settings-table.js";
import { PROVIDER } from "./constants.js";

/** The environment variables the adapter reads credentials from. */
export const AZURE_ENV = Object.freeze({ apiKey: "AZURE_SPEECH_API_KEY", region: "AZURE_SPEECH_REGION" });

/** Where environment defaults come from; `process.env` unless a test passes its own. */
export type EnvironmentVariables = Readonly<Record<string, string | undefined>>;

function invalid(argument: string, message: string): SttError {
  return sttError({ kind: "invalid-argument", argument: `azure.${argument}`, provider: PROVIDER, message });
}

/** Parses a stream's `language` option (one tag or several) into Azure locales. */
export function validateLanguages(value: unknown, argument: string): Result<readonly Language[], SttError> {
  return parseSetting(languagesRule(), value, argument, PROVIDER);
}

function resolveAddress(region: string | undefined, host: URL | undefined, endpoint: URL | undefined): Result<AzureServiceAddress | undefined, SttError> {
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
 * Validates the adapter's settings (as found in configuration, so of unknown shape) against
 * {@link AZURE_SETTINGS}, then resolves credentials and address with the environment. Nothing
 * connects here.
 */
export function validateAzureConfig(settings: unknown, env: EnvironmentVariables = process.env): Result<ResolvedAzureConfig, SttError> {
  return readSettings("azure", PROVIDER, settings, AZURE_SETTINGS).andThen((read) => {
    const envKey = env[AZURE_ENV.apiKey]?.trim() || undefined;
    const envRegion = env[AZURE_ENV.region]?.trim() || undefined;
    const { apiKey, region, authorizationToken, host, endpoint, language, ttfsP99Latency, transcribeWith, ...options } = read;
    return resolveAddress(region ?? envRegion, host, endpoint)
      .andThen((address) =>
        // The environment key is a fallback for the key only: an explicit token must not clash with it.
        resolveCredentials(apiKey ?? (authorizationToken === undefined ? envKey : undefined), authorizationToken, address),
      )
      .andThen(({ credentials, address }) =>
        planTranscribe(transcribeWith, address, options.endpointId).map(
          (transcribe): ResolvedAzureConfig => ({
            ...options,
            credentials,
            address,
            languages: language,
            ttfsP99LatencyMs: Math.round(ttfsP99Latency * 1000),
            transcribe,
          }),
        ),
      );
  });
}
