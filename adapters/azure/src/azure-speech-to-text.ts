import type { Result, ResultAsync } from "neverthrow";
import { callerHooks, createRecognitionStream, transcribeThroughStream } from "@sttkit/core/kit";
import type { AudioSource, RecognitionStream, SpeechToText, StreamOptions, SttCapabilities, SttError, Transcript, TranscribeOptions } from "@sttkit/core";
import { AzureRecognitionDriver } from "./azure-driver.js";
import type { AzureConfig } from "./config.js";
import { PROVIDER } from "./constants.js";
import { transcribeFast, transcribeRealtime, type RealtimeTranscribe } from "./fast/transcribe-fast.js";
import type { ResolvedAzureConfig } from "./resolved-config.js";
import { azureCapabilities, resolveStreamSettings } from "./stream-settings.js";
import { validateAzureConfig, type EnvironmentVariables } from "./validate-config.js";

class AzureSpeechToText implements SpeechToText {
  readonly provider = PROVIDER;
  readonly capabilities: SttCapabilities;
  readonly #config: ResolvedAzureConfig;

  constructor(config: ResolvedAzureConfig) {
    this.#config = config;
    this.capabilities = azureCapabilities(config);
  }

  stream(streamOptions?: StreamOptions): Result<RecognitionStream, SttError> {
    return resolveStreamSettings(this.#config, this.capabilities, streamOptions).map((settings) =>
      createRecognitionStream({
        provider: PROVIDER,
        format: settings.format,
        driver: new AzureRecognitionDriver(settings, { maxUnsentAudioMs: this.#config.maxUnsentAudioMs }),
        finishIdleTimeoutMs: this.#config.finishTimeoutMs,
        ...callerHooks(settings.options),
        ...(settings.languages.length === 1 ? { language: settings.languages[0] } : {}),
      }),
    );
  }

  /** Through the fast transcription API when the configuration allows it, else through a stream (see `azure.transcribeWith`). */
  transcribe(audio: AudioSource, options?: TranscribeOptions): ResultAsync<Transcript, SttError> {
    const realtime: RealtimeTranscribe = (source, given) => transcribeThroughStream(this, source, given);
    const plan = this.#config.transcribe;
    if (plan.method === "realtime") return transcribeRealtime(realtime, audio, options, plan.reason);
    return transcribeFast({ ...this.#config, transcribe: plan }, this.capabilities, realtime, audio, options);
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
  return validateAzureConfig(config, env).map((resolved) => new AzureSpeechToText(resolved));
}
