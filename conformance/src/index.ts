/**
 * The sttkit conformance suite, provider-neutral: run {@link runConformanceSuite} from a vitest
 * file to check any `SpeechToText` adapter against recorded fixtures, offline. Also here: the
 * fixture manifest and its loader, the recorded-session envelope every vendor's sessions share,
 * and the loopback host vendor test doubles are built on.
 *
 * Each vendor's test double (a local server speaking its protocol to its real SDK, a recorder)
 * lives apart, on its own entry point: `@sttkit/conformance/azure`, `@sttkit/conformance/deepgram`.
 * The `sttkit conformance` command, which runs the suite on a module without a test file, is
 * `@sttkit/conformance/cli`.
 *
 * @packageDocumentation
 * @category Testing
 * @module @sttkit/conformance
 */
export { runConformanceSuite } from "./suite/run-suite.js";
export {
  resolveConformanceModule,
  CONFORMANCE_MODULE_EXPORTS,
  type ConformanceModuleExport,
  type ConformanceTargetFactory,
  type ProviderConformanceTarget,
} from "./cli/module-contract.js";
export {
  CONFORMANCE_META_KEYS,
  declarationOf,
  type ConformanceDeclaration,
  type ConformanceScenarioInfo,
  type ConformanceTheme,
  type ScenarioMeasurements,
} from "./suite/scenario-meta.js";
export {
  CONFORMANCE_FAULTS,
  TYPED_FAULT_OUTCOMES,
  type ConformanceFault,
  type ConformanceInstance,
  type ConformanceTarget,
  type FaultOutcome,
  type ScenarioContext,
  type WerBounds,
} from "./suite/target.js";
export { instanceOnDouble, type LocalServiceDouble } from "./suite/double-instance.js";
export { driveStream, finalsOf, finalTextOf, finalLatencies, type DriveOptions, type StreamRun, type TimedEvent, type AudioClockTick } from "./suite/drive-stream.js";
export {
  timelineProblems,
  eventProblems,
  doubledFinals,
  spanProblems,
  sessionMismatches,
  OFFSET_TOLERANCE_MS,
  SPAN_TOLERANCE_MS,
  EXACT_OFFSET_TOLERANCE_MS,
} from "./suite/checks.js";
export { measureSpeechSpans, type SpeechSpan } from "./manifest/speech-spans.js";
export { countOpenHandles, handleGrowth, settleHandles, type HandleCounts } from "./suite/open-handles.js";
export { anyValue, expectTypedResult, checkStreamWithAnyOptions, checkRandomCallSequences, checkTranscribeWithAnyInput } from "./suite/random-calls.js";
export {
  loadFixtures,
  defaultFixturesDirectory,
  fixtureAudio,
  readFixturePcm,
  type LoadedFixtures,
  type ResolvedFixture,
} from "./manifest/load.js";
export type { AudioFixture, FixtureKind, FixtureManifest } from "./manifest/manifest-format.js";
export {
  RECORDED_SESSION_FORMAT,
  type RecordedSession,
  type RecordedSessionSource,
  type RecordedAudioReference,
  type RecordedTiming,
  type RecordedMessage,
  type RecordedTurn,
  type RecordedBatchResponse,
} from "./sessions/envelope.js";
export { parseRecorderArgs, type RecorderArgs, type RecorderCommand } from "./sessions/recorder-args.js";
export { loadRecordedSession, checkRecordedSession, audioReferenceOf, recordedSessionPath, MAX_SESSION_FILE_BYTES } from "./sessions/load.js";
export { LoopbackWebSocketHost, type LoopbackHostOptions } from "./loopback/loopback-host.js";
export { faultsForAttempt, type ConnectionLimitedFaults } from "./loopback/fault-plan.js";
export { createTestCertificate, type TestCertificate } from "./loopback/test-certificate.js";
export {
  recogniseWithPocketsphinx,
  recognisedUtterances,
  pocketsphinxEngine,
  type RecognisedWord,
  type RecognisedUtterance,
  type FixtureRecognition,
} from "./synthesis/recognise-fixture.js";
export {
  synthesizeSessions,
  synthesizedEnvelope,
  SYNTHESIZED_SESSION_WER_BOUNDS,
  type SynthesisProvenance,
  type SessionSynthesizer,
  type SynthesizedVendor,
} from "./synthesis/synthesize-sessions.js";
export { mutate, MUTANTS, type MutantName, type MutantDefinition } from "./mutants/mutants.js";
