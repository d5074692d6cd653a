import { err, ok, type Result } from "neverthrow";
import { DEFAULT_AUDIO_FORMAT, sttError, validateAudioFormat, type AudioFormat, type Language, type StreamOptions, type SttError } from "@sttkit/core";
import { stringList } from "./config-checks.js";
import { PROVIDER, SAMPLE_RATE_RANGE } from "./constants.js";
import { deepgramLanguage } from "./languages.js";
import type { ResolvedDeepgramConfig } from "./resolved-config.js";
import { validateLanguages } from "./validate-config.js";

/** Everything one stream needs: the adapter's config merged with the stream's options, checked. */
export interface DeepgramStreamSettings {
  readonly config: ResolvedDeepgramConfig;
  readonly format: AudioFormat;
  /** The languages asked for (one, or several for `multi`). */
  readonly languages: readonly Language[];
  /** Deepgram's `language` value. */
  readonly languageCode: string;
  readonly interimResults: boolean;
  readonly wordTimings: boolean;
  /** The config's key terms and the stream's phrases, without duplicates. */
  readonly terms: readonly string[];
}

function unsupported(option: string, message: string): SttError {
  return sttError({ kind: "unsupported-option", option, provider: PROVIDER, message });
}

function resolveFormat(requested: AudioFormat | undefined): Result<AudioFormat, SttError> {
  const format = requested ?? DEFAULT_AUDIO_FORMAT;
  const valid = validateAudioFormat(format);
  if (valid.isErr()) return err({ ...valid.error, provider: PROVIDER });
  if (format.channels !== 1) {
    return err(unsupported("format.channels", `The Deepgram adapter streams mono audio; the stream format has ${format.channels} channels. Mix down to one channel first.`));
  }
  if (format.sampleRate < SAMPLE_RATE_RANGE.min || format.sampleRate > SAMPLE_RATE_RANGE.max) {
    return err(unsupported("format.sampleRate", `Deepgram takes linear16 PCM from ${SAMPLE_RATE_RANGE.min} to ${SAMPLE_RATE_RANGE.max} Hz; the stream format is ${format.sampleRate} Hz.`));
  }
  return ok(format);
}

/** Merges the stream's options into the adapter's config, validating them before anything connects. */
export function resolveStreamSettings(config: ResolvedDeepgramConfig, options: StreamOptions): Result<DeepgramStreamSettings, SttError> {
  const format = resolveFormat(options.format);
  if (format.isErr()) return err(format.error);
  const languages = options.language === undefined ? ok(config.languages) : validateLanguages(options.language, "language");
  if (languages.isErr()) return err(languages.error);
  const languageCode = deepgramLanguage(languages.value, config.model);
  if (languageCode.isErr()) return err(languageCode.error);
  const phrases = stringList(options.phrases, "phrases");
  if (phrases.isErr()) return err({ ...phrases.error, argument: "phrases" } as SttError);
  const interimResults = options.interimResults ?? config.interimResults;
  if (!interimResults && config.utteranceEndMs !== undefined) {
    return err(unsupported("interimResults", "deepgram.utteranceEndMs needs interim results; a stream with interimResults: false cannot use it."));
  }
  return ok({
    config,
    format: format.value,
    languages: languages.value,
    languageCode: languageCode.value,
    interimResults,
    wordTimings: options.wordTimings ?? config.wordTimings,
    terms: [...new Set([...config.keyterms, ...phrases.value])],
  });
}
