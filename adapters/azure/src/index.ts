/**
 * The Azure Speech adapter for `@sttkit/core`: continuous recognition through the official Speech
 * SDK, with interim and final results, custom endpoints, phrase lists, word timings, language
 * identification and recovery from lost connections without losing audio.
 *
 * @packageDocumentation
 * @category Adapters
 */
export { createAzureSpeechToText } from "./azure-speech-to-text.js";
export { azureProvider } from "./provider.js";
export type { AzureConfig, AzureProfanity, AzureReconnectOptions, AzureTranscribeMethod, AzureFastTranscriptionOptions } from "./config.js";
export type { EnvironmentVariables } from "./validate-config.js";
export { speechSdkWebSocketClient, useWsClientInSpeechSdk, type SpeechSdkWebSocketClient } from "./sdk-websocket.js";
