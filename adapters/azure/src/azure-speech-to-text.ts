import { err, type Result, type ResultAsync } from "neverthrow";
import {
  callerHooks,
  checkStreamOptions,
  createRecognitionStream,
  transcribeThroughStream,
  type AudioSource,
  type RecognitionStream,
  type SpeechToText,
  type StreamOptions,
  type SttCapabilities,
  type SttError,
  type Transcript,
  type TranscribeOptions,
} from "@sttkit/core";
import { AzureRecognitionDriver, type AzureFlowControl } from "./azure-driver.js";
import type { AzureConfig } from "./config.js";
import { AZURE_SAMPLE_RATES, PROVIDER } from "./constants.js";
import type { ResolvedAzureConfig } from "./resolved-config.js";
import { takeFlowControl } from "./flow-control.js";
import { resolveStreamSettings } from "./stream-settings.js";
import { validateAzureConfig, type EnvironmentVariables } from "./validate-config.js";

class AzureSpeechToText implements SpeechToText {
  readonly provider = PROVIDER;
  readonly capabilities: SttCapabilities;
  readonly #config: ResolvedAzureConfig;
  readonly #flow: AzureFlowControl;

  constructor(config: ResolvedAzureConfig, flow: AzureFlowControl) {
    this.#config = config;
    this.#flow = flow;
    this.capabilities = Object.freeze({
      streaming: true,
      interimResults: true,
      wordTimings: true,
      languageDetection: true,
      customVocabulary: true,
      sampleRates: config.sampleRate === undefined ? AZURE_SAMPLE_RATES : Object.freeze([config.sampleRate]),
      ttfsP99LatencyMs: config.ttfsP99LatencyMs,
      // The SDK itself resumes a dropped socket, whatever the adapter's own recovery settings.
      reconnects: true,
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
        driver: new AzureRecognitionDriver(settings, this.#flow),
        finishIdleTimeoutMs: this.#config.finishTimeoutMs,
        ...callerHooks(options),
        ...(settings.languages.length === 1 ? { language: settings.languages[0] } : {}),
      }),
    );
  }

  transcribe(audio: AudioSource, options?: TranscribeOptions): ResultAsync<Transcript, SttError> {
    return transcribeThroughStream(this, audio, options);
  }
}

/**
 * Builds the Azure Speech adapter. The settings are validated and the credentials resolved now
 * (from `config`, then the `AZURE_SPEECH_API_KEY` / `AZURE_SPEECH_REGION` environment variables);
 * nothing connects until a stream is opened.
 *
 * @param config - The adapter's settings.
 * @param env - Where environment defaults are read; `process.env` unless given.
 */
export function createAzureSpeechToText(config: AzureConfig = {}, env: EnvironmentVariables = process.env): Result<SpeechToText, SttError> {
  return takeFlowControl(config).andThen(({ rest, flow }) =>
    validateAzureConfig(rest, env).map((resolved) => new AzureSpeechToText(resolved, flow)),
  );
}
