import { err, ok, type Result } from "neverthrow";
import type { Language, SttError } from "@sttkit/core";
import { parseSetting, readSettings, sttError } from "@sttkit/core/kit";
import type { AzureTokenProvider } from "./config.js";
import type { AzureCredentials, AzureServiceAddress, ResolvedAzureConfig } from "./resolved-config.js";
import { planTranscribe } from "./fast/plan.js";
import { AZURE_SETTINGS, languagesRule } from "./settings-table.js";
import { PROVIDER } from "./constants.js";
import { resolveProxy } from "./proxy.js";

/** Audio after which a stream moves to a fresh recognizer, unless configured (10 minutes). */
const DEFAULT_ROTATION_SECONDS = 600;

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
      "environment variables, or give azure.apiKey and azure.region (or azure.authorizationToken or azure.tokenProvider with a region, " +
      "or azure.host / azure.endpoint).",
  });
}

/** What the configuration offers to prove who the adapter is; at most one of them. */
interface GivenCredentials {
  readonly apiKey: string | undefined;
  readonly token: string | undefined;
  readonly tokenProvider: AzureTokenProvider | undefined;
  readonly refreshIntervalMs: number;
}

function resolveCredentials(
  given: GivenCredentials,
  address: AzureServiceAddress | undefined,
): Result<{ credentials: AzureCredentials; address: AzureServiceAddress }, SttError> {
  const { apiKey, token, tokenProvider } = given;
  if (apiKey !== undefined && token !== undefined) {
    return err(invalid("authorizationToken", "Give azure.apiKey or azure.authorizationToken, not both."));
  }
  if (tokenProvider !== undefined && (apiKey !== undefined || token !== undefined)) {
    return err(invalid("tokenProvider", "Give azure.tokenProvider alone, without azure.apiKey or azure.authorizationToken."));
  }
  if (address === undefined) return err(missingCredentials("no region, host or endpoint"));
  const credentials: AzureCredentials =
    tokenProvider !== undefined
      ? { kind: "token-provider", fetch: tokenProvider, refreshIntervalMs: given.refreshIntervalMs }
      : token !== undefined
        ? { kind: "token", token }
        : apiKey !== undefined
          ? { kind: "key", apiKey }
          : { kind: "none" };
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
    const { apiKey, region, authorizationToken, tokenProvider, tokenRefreshIntervalMs, host, endpoint, language, ttfsP99Latency, proxy, rotateRecognizerAfterSeconds, transcribeWith, ...options } = read;
    // The environment key is a fallback for the key only: an explicit token must not clash with it.
    const tokenGiven = authorizationToken !== undefined || tokenProvider !== undefined;
    const given = { apiKey: apiKey ?? (tokenGiven ? undefined : envKey), token: authorizationToken, tokenProvider, refreshIntervalMs: tokenRefreshIntervalMs };
    return resolveAddress(region ?? envRegion, host, endpoint)
      .andThen((address) => resolveCredentials(given, address))
      .andThen((resolved) => resolveProxy(proxy, resolved.address, env).map((resolvedProxy) => ({ ...resolved, proxy: resolvedProxy })))
      .andThen(({ credentials, address, proxy: resolvedProxy }) =>
        planTranscribe(transcribeWith, address, options.endpointId, resolvedProxy !== undefined).map(
          (transcribe): ResolvedAzureConfig => ({
            ...options,
            credentials,
            address,
            proxy: resolvedProxy,
            // Speaker numbers hold within one recognizer: with diarization, rotating is asked for, not assumed.
            rotateRecognizerAfterSeconds: rotateRecognizerAfterSeconds ?? (options.diarization ? 0 : DEFAULT_ROTATION_SECONDS),
            languages: language,
            ttfsP99LatencyMs: Math.round(ttfsP99Latency * 1000),
            transcribe,
          }),
        ),
      );
  });
}
