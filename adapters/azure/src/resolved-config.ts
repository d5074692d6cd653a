import type { Language } from "@sttkit/core";
import type { AzureProfanity } from "./config.js";

/** How the adapter proves who it is to the service. */
export type AzureCredentials =
  | { readonly kind: "key"; readonly apiKey: string }
  | { readonly kind: "token"; readonly token: string }
  | { readonly kind: "none" };

/** Where the adapter connects. */
export type AzureServiceAddress =
  | { readonly kind: "region"; readonly region: string }
  | { readonly kind: "host"; readonly url: URL }
  | { readonly kind: "endpoint"; readonly url: URL };

/** Recovery settings with their defaults applied. */
export interface ResolvedReconnect {
  readonly maxAttempts: number;
  readonly maxReplaySeconds: number;
  readonly backoffMs: number;
}

/** An {@link AzureConfig} after validation, with defaults and environment applied. */
export interface ResolvedAzureConfig {
  readonly credentials: AzureCredentials;
  readonly address: AzureServiceAddress;
  readonly languages: readonly Language[];
  readonly sampleRate: number | undefined;
  readonly endpointId: string | undefined;
  readonly ttfsP99LatencyMs: number;
  readonly phrases: readonly string[];
  readonly profanity: AzureProfanity | undefined;
  readonly segmentationSilenceTimeoutMs: number | undefined;
  readonly detailed: boolean;
  readonly wordTimings: boolean;
  readonly connectTimeoutMs: number;
  readonly finishTimeoutMs: number;
  readonly reconnect: ResolvedReconnect;
  readonly sdkProperties: Readonly<Record<string, string>>;
}
