import type { Result, ResultAsync } from "neverthrow";
import type { AudioSource, RecognitionStream, SpeechToText, StreamOptions, SttCapabilities, SttError, Transcript, TranscribeOptions } from "@sttkit/core";
import { callerHooks, createRecognitionStream } from "@sttkit/core/kit";
import type { OpenAIBatchCapabilities } from "./batch-capabilities.js";
import { transcribeBatch } from "./batch/transcribe.js";
import { createOpenAIClient, type OpenAIClient } from "./client.js";
import type { OpenAIConfig } from "./config.js";
import { PROVIDER } from "./constants.js";
import { RealtimeDriver } from "./realtime/driver.js";
import { SecretRedactor } from "@sttkit/core/kit";
import { openaiBatchCapabilities, openaiCapabilities, resolveStreamSettings } from "./stream-settings.js";
import { validateOpenAIConfig, type EnvironmentVariables, type ResolvedOpenAIConfig } from "./validate-config.js";

/** The OpenAI adapter: a `SpeechToText` that also says what its `transcribe()` delivers. */
export interface OpenAISpeechToText extends SpeechToText {
  /** What `transcribe()` delivers with the configured batch model (the `capabilities` describe streams). */
  readonly batch: OpenAIBatchCapabilities;
}

class OpenAIAdapter implements OpenAISpeechToText {
  readonly provider = PROVIDER;
  readonly capabilities: SttCapabilities;
  readonly batch: OpenAIBatchCapabilities;
  readonly #config: ResolvedOpenAIConfig;
  readonly #client: OpenAIClient;
  readonly #redactor: SecretRedactor;

  constructor(config: ResolvedOpenAIConfig) {
    this.#config = config;
    this.#client = createOpenAIClient(config);
    this.#redactor = new SecretRedactor([config.apiKey]);
    this.capabilities = openaiCapabilities(config);
    this.batch = openaiBatchCapabilities(config);
  }

  stream(options?: StreamOptions): Result<RecognitionStream, SttError> {
    return resolveStreamSettings(this.#config, this.capabilities, options).map((settings) =>
      createRecognitionStream({
        provider: PROVIDER,
        format: settings.format,
        driver: new RealtimeDriver(settings, this.#client, this.#redactor),
        finishIdleTimeoutMs: this.#config.finishTimeoutMs,
        ...callerHooks(settings.options),
        ...(settings.request.language !== undefined ? { language: settings.request.language } : {}),
      }),
    );
  }

  transcribe(audio: AudioSource, options?: TranscribeOptions): ResultAsync<Transcript, SttError> {
    return transcribeBatch(this.#client, this.#config, this.#redactor, audio, options);
  }
}

/**
 * Builds the OpenAI adapter: `stream()` is a Realtime transcription session, `transcribe()` the
 * batch endpoint. The settings are validated and the key resolved now (from `config`, then the
 * `OPENAI_API_KEY` environment variable); nothing connects until a stream or a transcription
 * starts.
 *
 * @param config - The adapter's settings.
 * @param env - Where environment defaults are read; `process.env` unless given.
 */
export function createOpenAISpeechToText(config: OpenAIConfig = {}, env: EnvironmentVariables = process.env): Result<OpenAISpeechToText, SttError> {
  return validateOpenAIConfig(config, env).map((resolved) => new OpenAIAdapter(resolved));
}
