import type { SttProviderDefinition } from "@sttkit/core/di";
import type { OpenAIConfig } from "./config.js";
import { PROVIDER } from "./constants.js";
import { createOpenAISpeechToText } from "./openai-speech-to-text.js";

/**
 * Registers the OpenAI adapter with the DI wiring: `{ provider: "openai", openai: { ...OpenAIConfig } }`.
 * The settings section is validated (and may be absent, when `OPENAI_API_KEY` holds the key).
 */
export const openaiProvider: SttProviderDefinition = Object.freeze({
  name: PROVIDER,
  create: (settings: unknown) => createOpenAISpeechToText((settings ?? {}) as OpenAIConfig),
});
