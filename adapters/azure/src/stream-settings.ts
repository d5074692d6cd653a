import { err, ok, type Result } from "neverthrow";
import { DEFAULT_AUDIO_FORMAT, sttError, validateAudioFormat, type AudioFormat, type Language, type SttError, type StreamOptions } from "@sttkit/core";
import { AZURE_SAMPLE_RATES, PROVIDER } from "./constants.js";
import type { ResolvedAzureConfig } from "./resolved-config.js";
import { validateLanguages, validatePhrases } from "./validate-config.js";

/** Everything one recognition stream needs: the adapter's config merged with the stream's options. */
export interface AzureStreamSettings {
  readonly config: ResolvedAzureConfig;
  readonly format: AudioFormat;
  /** One language, or several for continuous language identification. */
  readonly languages: readonly Language[];
  readonly interimResults: boolean;
  readonly wordTimings: boolean;
  /** Detailed output (confidence, lexical form, and words when asked for). */
  readonly detailed: boolean;
  readonly phrases: readonly string[];
}

function unsupported(option: string, message: string): SttError {
  return sttError({ kind: "unsupported-option", option, provider: PROVIDER, message });
}

function resolveFormat(config: ResolvedAzureConfig, requested: AudioFormat | undefined): Result<AudioFormat, SttError> {
  const format = requested ?? { ...DEFAULT_AUDIO_FORMAT, sampleRate: config.sampleRate ?? DEFAULT_AUDIO_FORMAT.sampleRate };
  const valid = validateAudioFormat(format);
  if (valid.isErr()) return err(valid.error);
  if (format.channels !== 1) {
    return err(unsupported("format.channels", `Azure recognizes mono audio only; the stream format has ${format.channels} channels. Mix down to one channel first.`));
  }
  if (!AZURE_SAMPLE_RATES.includes(format.sampleRate)) {
    return err(unsupported("format.sampleRate", `Azure accepts PCM at ${AZURE_SAMPLE_RATES.join(", ")} Hz; the stream format is ${format.sampleRate} Hz.`));
  }
  if (config.sampleRate !== undefined && config.sampleRate !== format.sampleRate) {
    return err(
      unsupported(
        "format.sampleRate",
        `The stream's audio is ${format.sampleRate} Hz but azure.sampleRate is ${config.sampleRate} Hz; the adapter does not resample.`,
      ),
    );
  }
  return ok(format);
}

/** Merges the stream's options into the adapter's config, validating them before anything connects. */
export function resolveStreamSettings(config: ResolvedAzureConfig, options: StreamOptions): Result<AzureStreamSettings, SttError> {
  const format = resolveFormat(config, options.format);
  if (format.isErr()) return err(format.error);
  const languages = options.language === undefined ? ok(config.languages) : validateLanguages(options.language, "language");
  if (languages.isErr()) return err(languages.error);
  const streamPhrases = validatePhrases(options.phrases, "phrases");
  if (streamPhrases.isErr()) return err(streamPhrases.error);
  const wordTimings = options.wordTimings ?? config.wordTimings;
  return ok({
    config,
    format: format.value,
    languages: languages.value,
    interimResults: options.interimResults ?? true,
    wordTimings,
    detailed: config.detailed || wordTimings,
    phrases: [...new Set([...config.phrases, ...streamPhrases.value])],
  });
}
