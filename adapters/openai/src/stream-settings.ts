import type { Result } from "neverthrow";
import type { SttCapabilities, SttError } from "@sttkit/core";
import { checkStreamSupport, type SupportedStreamOptions } from "@sttkit/core/kit";
import type { OpenAIBatchCapabilities } from "./batch-capabilities.js";
import { OPENAI_SAMPLE_RATES, PROVIDER } from "./constants.js";
import type { RealtimeStreamSettings } from "./realtime/driver.js";
import { resolveRequestSettings } from "./request-settings.js";
import type { ResolvedOpenAIConfig } from "./validate-config.js";

/**
 * What `stream()` declares: Realtime transcription sessions stream interim results (transcript
 * deltas) and finals, take a prompt (phrases), and take 24 kHz natively (the shared stream converts any other format). They
 * report no word timings and identify no language among several; the adapter does not reconnect a
 * dropped session (a new session's times restart at 0 and its VAD has not heard the audio before).
 */
export function openaiCapabilities(config: ResolvedOpenAIConfig): SttCapabilities {
  return Object.freeze({
    streaming: true,
    interimResults: true,
    wordTimings: false,
    languageDetection: false,
    customVocabulary: true,
    diarization: false,
    sampleRates: OPENAI_SAMPLE_RATES,
    channels: Object.freeze([1]),
    ttfsP99LatencyMs: config.ttfsP99LatencyMs,
    reconnects: false,
  });
}

/** What `transcribe()` offers with this configuration's batch model. */
export function openaiBatchCapabilities(config: ResolvedOpenAIConfig): OpenAIBatchCapabilities {
  const whisper = config.batch.model === "whisper-1";
  return Object.freeze({
    model: config.batch.model,
    segmentTimings: whisper,
    wordTimings: whisper,
    interimResults: !whisper && config.batch.streamDeltas,
    maxUploadBytes: config.batch.maxUploadBytes,
  });
}

/** Checks a stream's options against the capabilities and merges them with the configuration, before anything connects. */
export function resolveStreamSettings(config: ResolvedOpenAIConfig, capabilities: SttCapabilities, options: unknown): Result<RealtimeStreamSettings & { readonly options: SupportedStreamOptions }, SttError> {
  return checkStreamSupport(options, capabilities, PROVIDER).andThen((checked) =>
    resolveRequestSettings(config, checked).map((request) => ({ config, format: checked.format, request, interimResults: checked.interimResults ?? true, options: checked })),
  );
}
