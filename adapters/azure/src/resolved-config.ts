import type { Language } from "@sttkit/core";
import type { ReadSettings } from "@sttkit/core/kit";
import type { AZURE_SETTINGS } from "./settings-table.js";

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

/**
 * How `transcribe()` sends a file, decided once from the configuration: the fast transcription
 * API at `origin` (`https://host[:port]`), or a real-time stream and why.
 */
export type AzureTranscribePlan =
  | { readonly method: "fast"; readonly origin: string }
  | { readonly method: "realtime"; readonly reason: string };

/** The settings as read from the table: each key's parsed value, defaults applied. */
type ReadAzureSettings = ReadSettings<typeof AZURE_SETTINGS>;

/**
 * An `AzureConfig` after validation: the table's settings with defaults applied, except that
 * credentials and address are resolved together, the languages are a list, and the p99 latency is
 * in milliseconds.
 */
export interface ResolvedAzureConfig
  extends Omit<ReadAzureSettings, "apiKey" | "region" | "authorizationToken" | "host" | "endpoint" | "language" | "ttfsP99Latency" | "transcribeWith"> {
  readonly credentials: AzureCredentials;
  readonly address: AzureServiceAddress;
  readonly languages: readonly Language[];
  readonly ttfsP99LatencyMs: number;
  /** How `transcribe()` sends a file. */
  readonly transcribe: AzureTranscribePlan;
}
