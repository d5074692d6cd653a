import type { Language } from "@sttkit/core";

/** How the adapter proves who it is: `Authorization: Token <key>` or `Authorization: Bearer <token>`. */
export type DeepgramCredentials = { readonly kind: "key"; readonly apiKey: string } | { readonly kind: "token"; readonly token: string };

/** Recovery settings with their defaults applied. */
export interface ResolvedReconnect {
  readonly maxAttempts: number;
  readonly maxReplaySeconds: number;
  readonly backoffMs: number;
}

/** A `DeepgramConfig` after validation, with defaults and the environment applied. */
export interface ResolvedDeepgramConfig {
  readonly credentials: DeepgramCredentials;
  /** The service's base URL (`http`/`https`), or `undefined` for Deepgram's hosted API. */
  readonly baseUrl: string | undefined;
  readonly model: string;
  readonly languages: readonly Language[];
  readonly interimResults: boolean;
  readonly endpointing: number | false | undefined;
  readonly utteranceEndMs: number | undefined;
  readonly vadEvents: boolean;
  readonly smartFormat: boolean;
  readonly punctuate: boolean;
  readonly profanityFilter: boolean;
  readonly keyterms: readonly string[];
  readonly diarize: boolean;
  readonly fillerWords: boolean;
  readonly numerals: boolean;
  readonly redact: readonly string[];
  readonly tags: readonly string[];
  readonly wordTimings: boolean;
  readonly ttfsP99LatencyMs: number;
  readonly connectTimeoutMs: number;
  readonly finishTimeoutMs: number;
  readonly keepAliveIntervalMs: number;
  readonly reconnect: ResolvedReconnect;
  readonly requestTimeoutMs: number;
  readonly requestRetries: number;
}
