/**
 * The offline adapter for `@sttkit/core`: speech recognition with no network and no credentials,
 * by CMU PocketSphinx from Debian (`pocketsphinx`, `pocketsphinx-en-us`). The default provider.
 *
 * @packageDocumentation
 * @category Adapters
 * @module @sttkit/offline
 */
export { createOfflineSpeechToText, OFFLINE_SAMPLE_RATES, OFFLINE_TTFS_P99_MS } from "./offline-speech-to-text.js";
export { offlineProvider } from "./provider.js";
export { OFFLINE_DEBIAN_PACKAGES, type OfflineConfig } from "./config.js";
