/**
 * Failover: {@link FallbackSpeechToText} is one `SpeechToText` over an ordered list of adapters.
 * On a retryable failure it switches to the next one and replays the audio since the last final
 * transcript, so no speech is lost and no final is doubled. {@link fallbackProvider} makes it a
 * provider that DI configuration can select (`{ provider: "fallback", fallback: { providers: [...] } }`).
 *
 * @packageDocumentation
 * @category Failover
 */
export { FallbackSpeechToText, type FallbackOptions, type BackoffOptions } from "./fallback-speech-to-text.js";
export { fallbackProvider, type FallbackSettings } from "./provider.js";
export { commonCapabilities } from "./capabilities.js";
