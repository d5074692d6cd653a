/**
 * The local Azure Speech protocol server (replay + fault injection) and the recorded-session
 * format it replays.
 *
 * @module
 */
export * from "./session-format.js";
export * from "./faults.js";
export * from "./server.js";
export * from "./replay-progress.js";
export * from "./usp.js";
export * from "./recording-proxy.js";
export * from "./record-sessions.js";
export { recordCli } from "./record-cli.js";
export * from "./loopback-host.js";
