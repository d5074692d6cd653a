import type { SttProviderDefinition } from "@sttkit/core/di";
import type { DeepgramConfig } from "./config.js";
import { PROVIDER } from "./constants.js";
import { createDeepgramSpeechToText } from "./deepgram-speech-to-text.js";

/**
 * Registers the Deepgram adapter with the DI wiring: `{ provider: "deepgram", deepgram: { ...DeepgramConfig } }`.
 * The settings section is validated (and may be absent, when `DEEPGRAM_API_KEY` holds the key).
 */
export const deepgramProvider: SttProviderDefinition = Object.freeze({
  name: PROVIDER,
  create: (settings: unknown) => createDeepgramSpeechToText((settings ?? {}) as DeepgramConfig),
});
