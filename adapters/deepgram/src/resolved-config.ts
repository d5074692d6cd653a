import type { Language } from "@sttkit/core";
import type { ReadSettings } from "@sttkit/core/kit";
import type { DEEPGRAM_SETTINGS } from "./settings-table.js";

/** How the adapter proves who it is: `Authorization: Token <key>` or `Authorization: Bearer <token>`. */
export type DeepgramCredentials = { readonly kind: "key"; readonly apiKey: string } | { readonly kind: "token"; readonly token: string };

/** The settings as read from the table: each key's parsed value, defaults applied. */
type ReadDeepgramSettings = ReadSettings<typeof DEEPGRAM_SETTINGS>;

/**
 * A `DeepgramConfig` after validation: the table's settings with defaults applied, except that the
 * credential is resolved (with the environment), the languages are a list, and the p99 latency is
 * in milliseconds.
 */
export interface ResolvedDeepgramConfig extends Omit<ReadDeepgramSettings, "apiKey" | "accessToken" | "language" | "ttfsP99Latency"> {
  readonly credentials: DeepgramCredentials;
  readonly languages: readonly Language[];
  readonly ttfsP99LatencyMs: number;
}
