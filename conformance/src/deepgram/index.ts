/**
 * The Deepgram test double: a local server on 127.0.0.1 that the real, unmodified `@deepgram/sdk`
 * talks to (the listen WebSocket and the pre-recorded REST endpoint), replaying recorded sessions
 * timed against the audio it receives, with faults; the Deepgram session format in the shared
 * envelope; the `record-deepgram` command that refreshes sessions from the service; the offline
 * session synthesizer.
 *
 * @packageDocumentation
 * @module @sttkit/conformance/deepgram
 */
export {
  loadDeepgramSession,
  checkDeepgramSession,
  expectedDeepgramFinals,
  deepgramFinalTexts,
  wireMessage,
  rebaseDeepgramMessage,
  heardAfter,
  type DeepgramWireMessage,
  type DeepgramRecordingRequest,
  type RecordedDeepgramMessage,
  type RecordedDeepgramSession,
} from "./session-format.js";
export { deepgramErrorBody, type DeepgramFaults } from "./faults.js";
export type { ObservedControl, ObservedDeepgramConnection, ObservedDeepgramRequest } from "./observed.js";
export { readQuery, queryProblems, type ObservedQuery } from "./query-checks.js";
export { startDeepgramServer, LISTEN_PATH, type DeepgramServer, type DeepgramServerOptions } from "./server.js";
export { answerPrerecorded, MAX_UPLOAD_BYTES, type PrerecordedContext } from "./rest-handler.js";
export { recordDeepgramSession, recordingQuery, checkUpstream, type RecordDeepgramOptions } from "./record-session.js";
export { recordDeepgramCli } from "./record-cli.js";
export { synthesizeDeepgramSession, synthesizeDeepgramSessions } from "./synthesize-sessions.js";
