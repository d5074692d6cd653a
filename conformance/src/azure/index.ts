/**
 * The Azure Speech test double: a local server on 127.0.0.1 that the real, unmodified Speech SDK
 * connects to, replaying recorded sessions timed against the audio it receives, with faults; the
 * Azure session format in the shared envelope; the fast transcription REST endpoint on the same port; a recording proxy and the `record-azure` command
 * that refresh sessions from the real service; the offline session synthesizer.
 *
 * @packageDocumentation
 * @module @sttkit/conformance/azure
 */
export {
  loadAzureSession,
  recordedFinalTexts,
  expectedAzureFinals,
  expectedFastTranscript,
  type AzureMessageFields,
  type AzureSessionRequest,
  type RecordedAzureMessage,
  type RecordedAzureSession,
} from "./session-format.js";
export { type AzureFaults, type AzureErrorStatus } from "./faults.js";
export { faultsForAttempt } from "../loopback/fault-plan.js";
export { startAzureReplayServer, type AzureReplayServer, type AzureReplayServerOptions } from "./server.js";
export type { ObservedAudioFormat, ObservedConnection, ObservedTurn } from "./observed.js";
export { ReplayProgress, rebaseMessage } from "./replay-progress.js";
export { RECOGNITION_PATH, RECOGNITION_PATHS, parseTextFrame, parseBinaryFrame, formatServiceMessage, parseRiffHeader, type ClientMessage } from "./usp.js";
export { startRecordingProxy, type RecordingProxy, type RecordingProxyOptions } from "./recording-proxy.js";
export { recordFixtureSessions, type RecordSessionsOptions, type RecordedFixture } from "./record-sessions.js";
export { recordCli } from "./record-cli.js";
export { synthesizeAzureSession, synthesizeAzureSessions, synthesizeFastTranscriptionAnswer, azureDisplayText } from "./synthesize-sessions.js";
export {
  FAST_TRANSCRIPTION_PATH,
  FAST_TRANSCRIPTION_MAX_UPLOAD_BYTES,
  definitionProblems,
  fastTranscriptionErrorBody,
  type FastTranscriptionFaults,
  type ObservedFastRequest,
} from "./fast-transcription.js";
