import type { SttProviderDefinition } from "@sttkit/core/di";
import type { OfflineConfig } from "./config.js";
import { createOfflineSpeechToText } from "./offline-speech-to-text.js";

/** Registers the offline adapter with the DI wiring: `{ provider: "offline", offline: { ...OfflineConfig } }`. */
export const offlineProvider: SttProviderDefinition = Object.freeze({
  name: "offline",
  create: (settings: unknown) => createOfflineSpeechToText((settings ?? {}) as OfflineConfig),
});
