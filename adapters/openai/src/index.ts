/**
 * The OpenAI adapter for `@sttkit/core`, on the official `openai` SDK: `transcribe()` through the
 * batch endpoint (`gpt-4o-transcribe`, `gpt-4o-mini-transcribe` or `whisper-1`; long files split at
 * pauses and stitched back), `stream()` through a Realtime transcription session (interim deltas,
 * finals timed by the server VAD, any audio format converted to the 24 kHz it takes).
 *
 * @packageDocumentation
 * @category Adapters
 */
export { createOpenAISpeechToText, type OpenAISpeechToText } from "./openai-speech-to-text.js";
export { openaiProvider } from "./provider.js";
export type { OpenAIBatchCapabilities } from "./batch-capabilities.js";
export type { OpenAIConfig, OpenAIBatchOptions, OpenAIRealtimeOptions, OpenAITranscriptionModel, OpenAINoiseReduction } from "./config.js";
export type { EnvironmentVariables } from "./validate-config.js";
export { OPENAI_SAMPLE_RATES, OPENAI_TRANSCRIPTION_MODELS } from "./constants.js";
export { openaiLanguages } from "./languages.js";
