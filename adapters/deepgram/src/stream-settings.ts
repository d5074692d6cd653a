import { err, ok, type Result } from "neverthrow";
import type { SttCapabilities, SttError } from "@sttkit/core";
import { checkStreamSupport, parseSetting, sttError, type StreamSettings } from "@sttkit/core/kit";
import { DEEPGRAM_SAMPLE_RATES, PROVIDER } from "./constants.js";
import { deepgramLanguage } from "./languages.js";
import type { ResolvedDeepgramConfig } from "./resolved-config.js";
import { termsRule } from "./settings-table.js";
import { validateLanguages } from "./validate-config.js";

/** Everything one stream needs: the adapter's config merged with the stream's options, checked. */
export interface DeepgramStreamSettings extends StreamSettings<ResolvedDeepgramConfig> {
  /** Deepgram's `language` value: the code of the one language, or `multi` for several. */
  readonly languageCode: string;
  /** The config's key terms and the stream's phrases, without duplicates. */
  readonly terms: readonly string[];
}

/** What an adapter with this configuration declares: speakers only when `diarize` is on, recovery only when it is. */
export function deepgramCapabilities(config: ResolvedDeepgramConfig): SttCapabilities {
  return Object.freeze({
    streaming: true,
    interimResults: true,
    wordTimings: true,
    languageDetection: true,
    customVocabulary: true,
    diarization: config.diarize,
    sampleRates: DEEPGRAM_SAMPLE_RATES,
    channels: Object.freeze([1]),
    ttfsP99LatencyMs: config.ttfsP99LatencyMs,
    // The adapter recovers a lost connection itself, replaying the audio since the last final.
    reconnects: config.reconnect.maxAttempts > 0,
  });
}

/**
 * Merges the stream's options into the adapter's config, validating them before anything
 * connects. What the capabilities answer (rates, channels) the kit checks; the languages are
 * mapped to Deepgram's code for the model here.
 */
export function resolveStreamSettings(config: ResolvedDeepgramConfig, capabilities: SttCapabilities, streamOptions: unknown): Result<DeepgramStreamSettings, SttError> {
  return checkStreamSupport(streamOptions, capabilities, PROVIDER).andThen((options) => {
    const languages = options.language === undefined ? ok(config.languages) : validateLanguages(options.language, "language");
    const phrases = options.phrases === undefined ? ok([]) : parseSetting(termsRule(), options.phrases, "phrases", PROVIDER);
    const interimResults = options.interimResults ?? config.interimResults;
    if (!interimResults && config.utteranceEndMs !== undefined) {
      return err(
        sttError({
          kind: "unsupported-option",
          option: "interimResults",
          provider: PROVIDER,
          message: "deepgram.utteranceEndMs needs interim results; a stream with interimResults: false cannot use it.",
        }),
      );
    }
    return languages.andThen((languages) =>
      deepgramLanguage(languages, config.model).andThen((languageCode) =>
        phrases.map(
          (streamPhrases): DeepgramStreamSettings => ({
            config,
            options,
            format: options.format,
            languages,
            languageCode,
            interimResults,
            wordTimings: options.wordTimings ?? config.wordTimings,
            terms: [...new Set([...config.keyterms, ...streamPhrases])],
          }),
        ),
      ),
    );
  });
}
