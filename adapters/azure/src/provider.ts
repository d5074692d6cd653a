import type { SttProviderDefinition } from "@sttkit/core/di";
import { createAzureSpeechToText } from "./azure-speech-to-text.js";
import type { AzureConfig } from "./config.js";
import { PROVIDER } from "./constants.js";

/**
 * Registers the Azure adapter with the DI wiring: `{ provider: "azure", azure: { ...AzureConfig } }`.
 * The settings section is validated (and may be absent, when the environment holds the credentials).
 */
export const azureProvider: SttProviderDefinition = Object.freeze({
  name: PROVIDER,
  create: (settings: unknown) => createAzureSpeechToText((settings ?? {}) as AzureConfig),
});
