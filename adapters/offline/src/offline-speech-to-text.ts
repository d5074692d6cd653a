import { err, ok, type Result, type ResultAsync } from "neverthrow";
import { callerHooks, checkStreamSupport, createRecognitionStream, describeValue, sttError, transcribeThroughStream } from "@sttkit/core/kit";
import { Language, type AudioSource, type RecognitionStream, type SpeechToText, type StreamOptions, type SttCapabilities, type SttError, type Transcript, type TranscribeOptions } from "@sttkit/core";
import { resolveOfflineConfig, type OfflineConfig, type ResolvedOfflineConfig } from "./config.js";
import { PocketSphinxDriver } from "./pocketsphinx-driver.js";

/** Sample rates the offline adapter accepts: 16 kHz natively, 8 kHz upsampled to it. */
export const OFFLINE_SAMPLE_RATES: readonly number[] = Object.freeze([8_000, 16_000]);

/**
 * p99 of the time from the end of an utterance to its final transcript, in ms. PocketSphinx closes
 * an utterance once its voice activity detector has heard enough silence, then finishes decoding.
 * Measured on a 2-core machine with 4 concurrent real-time streams (15 utterances of the LibriVox
 * and espeak fixtures): median 702 ms, p90 917 ms, worst 1044 ms; rounded up to leave headroom.
 * Source: that measurement, and the conformance suite's latency scenario, which measures it again at
 * every run (real-time streaming of librivox-multi) and prints the figures.
 */
export const OFFLINE_TTFS_P99_MS = 1_100;

class OfflineSpeechToText implements SpeechToText {
  readonly provider = "offline";
  readonly capabilities: SttCapabilities = Object.freeze({
    streaming: true,
    interimResults: false,
    wordTimings: true,
    languageDetection: false,
    customVocabulary: false,
    diarization: false,
    sampleRates: OFFLINE_SAMPLE_RATES,
    channels: Object.freeze([1]),
    ttfsP99LatencyMs: OFFLINE_TTFS_P99_MS,
    reconnects: false,
  });
  readonly #config: ResolvedOfflineConfig;

  constructor(config: ResolvedOfflineConfig) {
    this.#config = config;
  }

  stream(streamOptions?: StreamOptions): Result<RecognitionStream, SttError> {
    const checked = checkStreamSupport(streamOptions, this.capabilities, this.provider);
    if (checked.isErr()) return err(checked.error);
    const options = checked.value;
    const unsupported = options.languages.find((language) => language !== Language.EN_US);
    if (unsupported !== undefined) {
      return err(
        sttError({
          kind: "unsupported-language",
          language: describeValue(unsupported),
          provider: this.provider,
          message: `The offline engine recognises en-US only, not ${describeValue(unsupported)}.`,
        }),
      );
    }
    return ok(
      createRecognitionStream({
        provider: this.provider,
        format: options.format,
        driver: new PocketSphinxDriver(this.#config, { format: options.format, wordTimings: options.wordTimings ?? false }),
        finishIdleTimeoutMs: this.#config.finishTimeoutMs,
        language: this.#config.language,
        ...callerHooks(options),
      }),
    );
  }

  transcribe(audio: AudioSource, options?: TranscribeOptions): ResultAsync<Transcript, SttError> {
    return transcribeThroughStream(this, audio, options);
  }
}

/**
 * Builds the offline adapter. Checks now that the engine and its model are installed: a missing
 * package is an `engine-unavailable` error naming the Debian packages to install.
 */
export function createOfflineSpeechToText(config: OfflineConfig = {}): Result<SpeechToText, SttError> {
  return resolveOfflineConfig(config).map((resolved) => new OfflineSpeechToText(resolved));
}
