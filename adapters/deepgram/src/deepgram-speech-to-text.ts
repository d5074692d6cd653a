import type { Result, ResultAsync } from "neverthrow";
import type { AudioSource, RecognitionStream, SpeechToText, StreamOptions, SttCapabilities, SttError, Transcript, TranscribeOptions } from "@sttkit/core";
import { callerHooks, createRecognitionStream } from "@sttkit/core/kit";
import { createSdkClient, secretOf, type SdkClient } from "./client.js";
import type { DeepgramConfig } from "./config.js";
import { PROVIDER } from "./constants.js";
import { DeepgramRecognitionDriver } from "./deepgram-driver.js";
import { transcribePrerecorded } from "./prerecorded.js";
import type { ResolvedDeepgramConfig } from "./resolved-config.js";
import { deepgramCapabilities, resolveStreamSettings } from "./stream-settings.js";
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
    this.capabilities = deepgramCapabilities(config);
  }

  stream(streamOptions?: StreamOptions): Result<RecognitionStream, SttError> {
    return resolveStreamSettings(this.#config, this.capabilities, streamOptions).map((settings) =>
      createRecognitionStream({
        provider: PROVIDER,
        format: settings.format,
        driver: new DeepgramRecognitionDriver(settings, this.#client, this.#secret),
        finishIdleTimeoutMs: this.#config.finishTimeoutMs,
        ...callerHooks(settings.options),
        ...(settings.languages.length === 1 ? { language: settings.languages[0] } : {}),
      }),
    );
  }

  transcribe(audio: AudioSource, options?: TranscribeOptions): ResultAsync<Transcript, SttError> {
    return transcribePrerecorded(this.#client, this.#config, this.capabilities, audio, options);
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
