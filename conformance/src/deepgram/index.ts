/**
 * The local Deepgram server (listen WebSocket and pre-recorded REST endpoint, replay and fault
 * injection), the Deepgram recorded-session format, and the recorder: the test double the
 * Deepgram adapter is proven against, kept apart from the provider-neutral suite.
 *
 * @module
 */
export * from "./session-format.js";
export * from "./faults.js";
export * from "./observed.js";
export * from "./query-checks.js";
export * from "./server.js";
export { answerPrerecorded, MAX_UPLOAD_BYTES, type PrerecordedContext } from "./rest-handler.js";
export * from "./record-session.js";
export { recordDeepgramCli } from "./record-cli.js";
