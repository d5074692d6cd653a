import { DeepgramClient } from "@deepgram/sdk";
import type { ResolvedDeepgramConfig } from "./resolved-config.js";

/** The SDK client type the adapter uses. */
export type SdkClient = DeepgramClient;

/**
 * One SDK client per adapter instance, shared by its streams and `transcribe()` calls: the
 * credential goes to the SDK's own auth provider (`Token` for a key, `Bearer` for a token),
 * `baseUrl` replaces Deepgram's hosted API for both endpoints.
 */
export function createSdkClient(config: ResolvedDeepgramConfig): SdkClient {
  const credential = config.credentials.kind === "key" ? { apiKey: config.credentials.apiKey } : { accessToken: config.credentials.token };
  return new DeepgramClient({
    ...credential,
    ...(config.baseUrl !== undefined ? { baseUrl: config.baseUrl } : {}),
    timeoutInSeconds: config.requestTimeoutMs / 1000,
    maxRetries: config.requestRetries,
  });
}

/** The credential itself, to scrub from any text that leaves the adapter. */
export function secretOf(config: ResolvedDeepgramConfig): string {
  return config.credentials.kind === "key" ? config.credentials.apiKey : config.credentials.token;
}
