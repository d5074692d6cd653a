import { err, ok, type Result } from "neverthrow";
import { DEFAULT_AUDIO_FORMAT, encodingOf, validateAudioFormat, type AudioFormat } from "../audio/format.js";
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
  /**
   * The audio format the provider receives: the caller's when the adapter takes it natively,
   * otherwise the nearest native rate and channel count in 16-bit PCM (the stream converts).
   */
  readonly format: AudioFormat;
  /** The format the caller writes (the one asked for, or the adapter's default). */
  readonly inputFormat: AudioFormat;
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
  /** The audio format the provider receives (see {@link SupportedStreamOptions.format}). */
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
 * that an adapter's declared {@link SttCapabilities} already answer: the format the provider gets
 * (see {@link nativeFormatFor}: any valid format is accepted and converted), phrase lists without custom vocabulary, word timings without them, several languages
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
    const inputFormat = validateAudioFormat(checked.format ?? defaultFormat);
    if (inputFormat.isErr()) return err({ ...inputFormat.error, provider });
    const format = nativeFormatFor(inputFormat.value, capabilities, provider);
    if (format.isErr()) return err(format.error);
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
    return ok({ ...checked, format: format.value, inputFormat: inputFormat.value, languages });
  });
}

function listOf(values: readonly number[]): string {
  return values.length === 0 ? "no" : values.join(", ");
}

/**
 * The format a provider receives for audio written in `input`: `input` itself when the provider
 * takes its rate, channel count and encoding natively; otherwise 16-bit PCM at the lowest native
 * rate at or above the input's (the highest native rate when none is), with the input's channel
 * count when native, else mono (mixed down). The stream converts on the fly (its `conversion`
 * property says what it does). Only capabilities declaring no rate, or neither the
 * input's channel count nor mono, leave nothing to convert to: an `unsupported-option` error.
 *
 * @category Option checks
 */
export function nativeFormatFor(input: AudioFormat, capabilities: SttCapabilities, provider: string): Result<AudioFormat, SttError> {
  const channels = capabilities.channels.includes(input.channels) ? input.channels : capabilities.channels.includes(1) ? 1 : undefined;
  if (channels === undefined) {
    return err(unsupported("format.channels", provider, `The ${provider} provider takes ${listOf(capabilities.channels)} channel(s) of audio, and ${input.channels} cannot be mixed down to that.`));
  }
  const rates = [...capabilities.sampleRates].sort((a, b) => a - b);
  const sampleRate = rates.includes(input.sampleRate) ? input.sampleRate : (rates.find((rate) => rate >= input.sampleRate) ?? rates.at(-1));
  if (sampleRate === undefined) {
    return err(unsupported("format.sampleRate", provider, `The ${provider} provider declares no sample rate it takes.`));
  }
  if (sampleRate === input.sampleRate && channels === input.channels && encodingOf(input) === "s16le") return ok(input);
  return ok({ sampleRate, channels, bitsPerSample: 16 });
}
