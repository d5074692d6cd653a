/**
 * The OpenAI test double: a local TLS server on 127.0.0.1 that the real, unmodified `openai` SDK
 * talks to through one base URL, answering the batch endpoint (`POST /v1/audio/transcriptions`:
 * multipart checked, answers from recorded JSON per model and response format, streamed deltas)
 * and Realtime transcription sessions (`wss://.../v1/realtime`, events replayed timed against the
 * audio received), with faults on both; the OpenAI session format in the shared envelope; the
 * offline session synthesizer; a recording proxy and the `record-openai` command.
 *
 * @packageDocumentation
 * @module @sttkit/conformance/openai
 */
export {
  OPENAI_PROVIDER,
  loadOpenAISession,
  realtimeMessages,
  expectedOpenAIFinals,
  expectedOpenAIBatchSegments,
  batchAnswer,
  type OpenAIServerEvent,
  type OpenAIMessageFields,
  type RecordedOpenAIMessage,
  type OpenAITurnDetection,
  type OpenAISessionRequest,
  type OpenAIBatchAnswers,
  type RecordedOpenAISession,
  type VerboseTranscription,
} from "./session-format.js";
export { realtimeFaultsFor, batchFaultsFor, type OpenAIFaults, type OpenAIBatchFaults, type OpenAIRealtimeFaults, type OpenAIRealtimeErrorFields } from "./faults.js";
export type { ObservedUpload, ObservedRealtimeConnection } from "./observed.js";
export { startOpenAIReplayServer, REALTIME_PATH, type OpenAIReplayServer, type OpenAIReplayServerOptions } from "./server.js";
export { TRANSCRIPTIONS_PATH, OPENAI_MAX_UPLOAD_BYTES, OPENAI_BATCH_FORMATS } from "./batch-endpoint.js";
export { REALTIME_SAMPLE_RATE, OPENAI_REALTIME_MODELS } from "./realtime-replay.js";
export { placeUpload, answerUpload, type UploadPlacement, type AnswerRequest, type BatchAnswer } from "./batch-answer.js";
export { parseMultipart, formBoundary, MAX_FORM_PARTS, type FormPart } from "./multipart.js";
export {
  synthesizeOpenAISession,
  synthesizeOpenAISessions,
  synthesizeOpenAIRealtimeMessages,
  synthesizeOpenAIBatchAnswers,
  openaiDisplayText,
  vadItems,
  SYNTHESIZED_TURN_DETECTION,
  SYNTHESIZED_REALTIME_MODEL,
  SYNTHESIZED_BATCH_MODELS,
  MIN_COMMIT_MS,
} from "./synthesize-sessions.js";
export { startOpenAIRecordingProxy, type OpenAIRecordingProxy, type OpenAIRecordingProxyOptions } from "./recording-proxy.js";
export { recordOpenAISessions, type RecordOpenAISessionsOptions, type RecordedOpenAIFixture } from "./record-sessions.js";
export { recordOpenAICli } from "./record-cli.js";
