/**
 * The provider-neutral core of sttkit: the {@link SpeechToText} interface every adapter
 * implements, its events and errors, audio helpers, languages, the shared stream plumbing
 * adapters are built on, and dependency-injection wiring.
 *
 * @packageDocumentation
 */
export * from "./errors.js";
export * from "./error-mapping.js";
export * from "./events.js";
export * from "./language.js";
export * from "./speech-to-text.js";
export * from "./audio/format.js";
export * from "./audio/wav.js";
export * from "./audio/chunking.js";
export * from "./stream/driver.js";
export * from "./stream/event-queue.js";
export * from "./stream/recognition-stream.js";
export * from "./stream/transcript.js";
export * from "./transcribe.js";
export * from "./stream-options.js";
export * from "./di.js";
export * from "./config.js";
export * from "./fallback/fallback-speech-to-text.js";
export * from "./fallback/capabilities.js";
export * from "./stream/replay-buffer.js";
