import { err, ok, type Result } from "neverthrow";
import { DEFAULT_AUDIO_FORMAT, validateAudioFormat, type AudioFormat } from "../audio/format.js";
import { sttError, type SttError } from "../errors.js";
import type { Language } from "../language.js";
import type { StreamOptions, SttCapabilities } from "../speech-to-text.js";
import { checkStreamOptions } from "./stream-options.js";

/**
 * Stream options checked against an adapter's capabilities, with the audio format settled.
 *
 * @category Option checks
 */
export interface SupportedStreamOptions extends StreamOptions {
  /** The stream's audio format: the one asked for, or the adapter's default. */
  readonly format: AudioFormat;
  /** The languages asked for, as a list (empty: the adapter's configured language). */
  readonly languages: readonly Language[];
}

/**
 * What every adapter settles for one stream before it connects: its resolved configuration, the
 * stream's options as checked against its capabilities, the audio format, the languages, and
 * whether interim results and word timings are on. Each adapter extends it with its own.
 *
 * @category Option checks
 */
export interface StreamSettings<Config> {
  /** The adapter's configuration, validated. */
  readonly config: Config;
  /** The stream's options as checked (caller hooks included). */
  readonly options: SupportedStreamOptions;
  /** The stream's audio format. */
  readonly format: AudioFormat;
  /** The language, or several for language identification. */
  readonly languages: readonly Language[];
  /** Whether interim transcripts are sent. */
  readonly interimResults: boolean;
  /** Whether finals carry their words. */
  readonly wordTimings: boolean;
}

function unsupported(option: string, provider: string, message: string): SttError {
  return sttError({ kind: "unsupported-option", option, provider, message });
}

/**
 * Checks stream options (as they arrive at run time, of any shape) and then everything in them
 * that an adapter's declared {@link SttCapabilities} already answer: the sample rate and channel
 * count, phrase lists without custom vocabulary, word timings without them, several languages
 * without language detection. Each contradiction is the same `unsupported-option` error for every
 * adapter, naming the option, so adapters do not re-check by hand what they declared.
 *
 * Interim results are a preference, not a demand (`interimResults` defaults to true everywhere), so
 * asking for them from an adapter without them is not an error: it just sends none.
 *
 * @category Option checks
 */
export function checkStreamSupport(
  options: unknown,
  capabilities: SttCapabilities,
  provider: string,
  defaultFormat: AudioFormat = DEFAULT_AUDIO_FORMAT,
): Result<SupportedStreamOptions, SttError> {
  return checkStreamOptions(options, provider).andThen((checked) => {
    const format = validateAudioFormat(checked.format ?? defaultFormat);
    if (format.isErr()) return err({ ...format.error, provider });
    const { sampleRate, channels } = format.value;
    if (!capabilities.channels.includes(channels)) {
      return err(unsupported("format.channels", provider, `The ${provider} provider takes ${listOf(capabilities.channels)} channel(s) of audio, not ${channels}.`));
    }
    if (!capabilities.sampleRates.includes(sampleRate)) {
      return err(unsupported("format.sampleRate", provider, `The ${provider} provider takes audio at ${listOf(capabilities.sampleRates)} Hz, not ${sampleRate} Hz.`));
    }
    if (checked.phrases !== undefined && checked.phrases.length > 0 && !capabilities.customVocabulary) {
      return err(unsupported("phrases", provider, `The ${provider} provider has no custom vocabulary (phrase lists).`));
    }
    if (checked.wordTimings === true && !capabilities.wordTimings) {
      return err(unsupported("wordTimings", provider, `The ${provider} provider reports no word timings.`));
    }
    const languages: readonly Language[] = checked.language === undefined ? [] : Array.isArray(checked.language) ? checked.language : [checked.language as Language];
    if (languages.length > 1 && !capabilities.languageDetection) {
      return err(unsupported("language", provider, `The ${provider} provider cannot identify the language among several; give one language.`));
    }
    return ok({ ...checked, format: format.value, languages });
  });
}

function listOf(values: readonly number[]): string {
  return values.length === 0 ? "no" : values.join(", ");
}
