import { err, type Result, type ResultAsync } from "neverthrow";
import {
  callerHooks,
  checkStreamOptions,
  createRecognitionStream,
  type AudioSource,
  type RecognitionStream,
  type SpeechToText,
  type StreamOptions,
  type SttCapabilities,
  type SttError,
  type Transcript,
  type TranscribeOptions,
} from "@sttkit/core";
import { createSdkClient, secretOf, type SdkClient } from "./client.js";
import type { DeepgramConfig } from "./config.js";
import { DEEPGRAM_SAMPLE_RATES, PROVIDER } from "./constants.js";
import { DeepgramRecognitionDriver } from "./deepgram-driver.js";
import { transcribePrerecorded } from "./prerecorded.js";
import type { ResolvedDeepgramConfig } from "./resolved-config.js";
import { resolveStreamSettings } from "./stream-settings.js";
import { validateDeepgramConfig, type EnvironmentVariables } from "./validate-config.js";

class DeepgramSpeechToText implements SpeechToText {
  readonly provider = PROVIDER;
  readonly capabilities: SttCapabilities;
  readonly #config: ResolvedDeepgramConfig;
  readonly #client: SdkClient;
  readonly #secret: string;

  constructor(config: ResolvedDeepgramConfig) {
    this.#config = config;
    this.#client = createSdkClient(config);
    this.#secret = secretOf(config);
    this.capabilities = Object.freeze({
      streaming: true,
      interimResults: true,
      wordTimings: true,
      languageDetection: true,
      customVocabulary: true,
      // Speakers are labelled only when the adapter is configured to ask for them.
      diarization: config.diarize,
      sampleRates: DEEPGRAM_SAMPLE_RATES,
      ttfsP99LatencyMs: config.ttfsP99LatencyMs,
      // The adapter recovers a lost connection itself, replaying the audio since the last final.
      reconnects: config.reconnect.maxAttempts > 0,
    });
  }

  stream(streamOptions?: StreamOptions): Result<RecognitionStream, SttError> {
    const checked = checkStreamOptions(streamOptions, PROVIDER);
    if (checked.isErr()) return err(checked.error);
    const options = checked.value;
    return resolveStreamSettings(this.#config, options).map((settings) =>
      createRecognitionStream({
        provider: PROVIDER,
        format: settings.format,
        driver: new DeepgramRecognitionDriver(settings, this.#client, this.#secret),
        finishIdleTimeoutMs: this.#config.finishTimeoutMs,
        ...callerHooks(options),
        ...(settings.languages.length === 1 ? { language: settings.languages[0] } : {}),
      }),
    );
  }

  transcribe(audio: AudioSource, options?: TranscribeOptions): ResultAsync<Transcript, SttError> {
    return transcribePrerecorded(this.#client, this.#config, audio, options);
  }
}

/**
 * Builds the Deepgram adapter on the official `@deepgram/sdk`. The settings are validated and the
 * credential resolved now (from `config`, then the `DEEPGRAM_API_KEY` environment variable);
 * nothing connects until a stream is opened or a file transcribed.
 *
 * @param config - The adapter's settings.
 * @param env - Where environment defaults are read; `process.env` unless given.
 */
export function createDeepgramSpeechToText(config: DeepgramConfig = {}, env: EnvironmentVariables = process.env): Result<SpeechToText, SttError> {
  return validateDeepgramConfig(config, env).map((resolved) => new DeepgramSpeechToText(resolved));
}
