/** The provider name used in configuration and put on every error. */
export const PROVIDER = "deepgram";

/** The environment variable the API key is read from when the config names none. */
export const DEEPGRAM_API_KEY_ENV = "DEEPGRAM_API_KEY";

/** The model used when the config names none. */
export const DEFAULT_MODEL = "nova-3";

/**
 * Sample rates the adapter declares for linear16 streaming. Deepgram takes any `sample_rate`
 * with `encoding=linear16`; these are the usual rates from 8 to 48 kHz.
 */
export const DEEPGRAM_SAMPLE_RATES: readonly number[] = Object.freeze([8_000, 11_025, 16_000, 22_050, 24_000, 32_000, 44_100, 48_000]);

/**
 * The p99 time from the end of speech to its final transcript, in ms, when the config names none.
 * Source: Deepgram's published streaming latency for Nova-3 (under 300 ms to a final) plus the
 * default endpointing of 10 ms of silence, rounded up generously to 800 ms for the network and
 * the p99 tail; see the README's Deepgram section. Override with `ttfsP99Latency`.
 */
export const DEFAULT_TTFS_P99_MS = 800;
