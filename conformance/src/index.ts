/**
 * The sttkit conformance suite: run {@link runConformanceSuite} from a vitest file to check any
 * `SpeechToText` adapter against recorded fixtures, offline. Also here: the fixtures and their
 * loader, a word error rate that matches NIST sclite, and the local Azure Speech protocol server
 * with its recorded-session format and recorder.
 *
 * @packageDocumentation
 */
export * from "./suite/target.js";
export * from "./suite/run-suite.js";
export * from "./suite/drive-stream.js";
export * from "./suite/checks.js";
export * from "./suite/open-handles.js";
export * from "./suite/random-calls.js";
export * from "./fixtures/index.js";
export * from "./azure/index.js";
