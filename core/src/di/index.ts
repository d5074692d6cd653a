/**
 * Dependency-injection wiring (inversify) and configuration loading: the application names a
 * provider in configuration, registers the adapters it ships with, and asks the container for
 * `SttTokens.SpeechToText`. Swapping vendors changes the configuration, never the code.
 *
 * Importing this entry point loads `reflect-metadata` and `inversify`; the contract in
 * `@sttkit/core` does not.
 *
 * @packageDocumentation
 * @module @sttkit/core/di
 */
export {
  createSpeechToText,
  sttContainerModule,
  createSttContainer,
  resolveSpeechToText,
  SttTokens,
  type SttConfig,
  type SttProviderDefinition,
} from "./container.js";
export { loadSttConfig, MAX_CONFIG_FILE_BYTES, type SttConfigSources } from "./load-config.js";
