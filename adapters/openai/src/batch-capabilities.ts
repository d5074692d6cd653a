import type { OpenAITranscriptionModel } from "./config.js";

/**
 * What `transcribe()` of an OpenAI adapter delivers, which depends on its batch model (the
 * `capabilities` of a `SpeechToText` describe its streams).
 */
export interface OpenAIBatchCapabilities {
  /** The batch model. */
  readonly model: OpenAITranscriptionModel;
  /** Segments carry the times the service reports (`whisper-1`); otherwise each upload is one segment spanning its audio. */
  readonly segmentTimings: boolean;
  /** `{ wordTimings: true }` gives word timings (`whisper-1`); otherwise it is an `unsupported-option` error. */
  readonly wordTimings: boolean;
  /** An `onEvent` callback gets interim events from the streamed transcript (`gpt-4o` models with `streamDeltas`). */
  readonly interimResults: boolean;
  /** The largest upload; longer audio is split at pauses. */
  readonly maxUploadBytes: number;
}
