import { ok, type Result } from "neverthrow";
import { DEFAULT_AUDIO_FORMAT, type SttCapabilities, type SttError } from "@sttkit/core";
import { checkStreamSupport, parseSetting, textListSetting, type StreamSettings } from "@sttkit/core/kit";
import { AZURE_SAMPLE_RATES, PROVIDER } from "./constants.js";
import type { ResolvedAzureConfig } from "./resolved-config.js";
import { validateLanguages } from "./validate-config.js";

/** Everything one recognition stream needs: the adapter's config merged with the stream's options. */
export interface AzureStreamSettings extends StreamSettings<ResolvedAzureConfig> {
  /** Detailed output (confidence, lexical form, and words when asked for). */
  readonly detailed: boolean;
  readonly phrases: readonly string[];
}

/** What an adapter with this configuration declares: a fixed `azure.sampleRate` narrows the rates to that one. */
export function azureCapabilities(config: ResolvedAzureConfig): SttCapabilities {
  return Object.freeze({
    streaming: true,
    interimResults: true,
    wordTimings: true,
    languageDetection: true,
    customVocabulary: true,
    diarization: config.diarization,
    sampleRates: config.sampleRate === undefined ? AZURE_SAMPLE_RATES : Object.freeze([config.sampleRate]),
    channels: Object.freeze([1]),
    ttfsP99LatencyMs: config.ttfsP99LatencyMs,
    // The SDK itself resumes a dropped socket, whatever the adapter's own recovery settings.
    reconnects: true,
  });
}

/**
 * Merges the stream's options into the adapter's config, validating them before anything
 * connects. What the capabilities answer (rates, channels) the kit checks; the stream's format
 * defaults to `azure.sampleRate` when that is set.
 */
export function resolveStreamSettings(config: ResolvedAzureConfig, capabilities: SttCapabilities, streamOptions: unknown): Result<AzureStreamSettings, SttError> {
  const defaultFormat = { ...DEFAULT_AUDIO_FORMAT, sampleRate: config.sampleRate ?? DEFAULT_AUDIO_FORMAT.sampleRate };
  return checkStreamSupport(streamOptions, capabilities, PROVIDER, defaultFormat).andThen((options) => {
    const languages = options.language === undefined ? ok(config.languages) : validateLanguages(options.language, "language");
    const phrases = options.phrases === undefined ? ok([]) : parseSetting(textListSetting(), options.phrases, "phrases", PROVIDER);
    return languages.andThen((languages) =>
      phrases.map((streamPhrases): AzureStreamSettings => {
        const wordTimings = options.wordTimings ?? config.wordTimings;
        return {
          config,
          options,
          format: options.format,
          languages,
          interimResults: options.interimResults ?? true,
          wordTimings,
          detailed: config.detailed || wordTimings,
          phrases: [...new Set([...config.phrases, ...streamPhrases])],
        };
      }),
    );
  });
}
