/**
 * The Deepgram adapter for `@sttkit/core`, on the official `@deepgram/sdk`: live transcription
 * over the listen WebSocket (interim and final results, speech start and end, word timings,
 * diarization, multilingual code-switching, key terms), recovery from lost connections without
 * losing or doubling a final, and whole-file transcription over the pre-recorded REST endpoint.
 *
 * @packageDocumentation
 * @category Adapters
 */
export { createDeepgramSpeechToText } from "./deepgram-speech-to-text.js";
export { deepgramProvider } from "./provider.js";
export type { DeepgramConfig, DeepgramReconnectOptions } from "./config.js";
export type { EnvironmentVariables } from "./validate-config.js";
