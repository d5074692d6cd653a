/**
 * The adapter kit: everything an adapter author builds on, so that every adapter behaves alike
 * and stays small. An adapter implements a {@link RecognitionDriver} (connect, send PCM, report
 * events, finish, dispose) and hands it to {@link createRecognitionStream}, which does the rest:
 * state, ordering, backpressure, the transcript, usage, timeouts, idempotent `end()` and
 * `close()`. Around it: option checks driven by the adapter's declared capabilities, a settings
 * table for the adapter's configuration section, HTTP and close-code error mapping, a replay
 * buffer and the recovery built on it for reconnects, a streaming resampler for services that take
 * one fixed sample rate, and `transcribe()` through a stream.
 *
 * An application never needs this entry point: it imports the contract from `@sttkit/core`.
 *
 * @packageDocumentation
 * @module @sttkit/core/kit
 */
export type { RecognitionDriver, RecognitionSink, DriverEvent } from "./stream/driver.js";
export {
  createRecognitionStream,
  callerHooks,
  withoutCallerHooks,
  type RecognitionStreamInit,
  type RecognitionStreamState,
} from "./stream/recognition-stream.js";
export { EventQueue } from "./stream/event-queue.js";
export { writeThrough } from "./stream/write-through.js";
export { StreamMetricsRecorder, summariseLatencies } from "./stream/stream-metrics.js";
export { STT_METRIC_INSTRUMENTS, recordFinalLatency, recordStreamMetrics, recordTranscribeSpeed, type MetricAttributes } from "./stream/otel.js";
export { ReplayBuffer, type ReplayBufferOptions } from "./stream/replay-buffer.js";
export { ChunkCopier } from "./stream/chunk-copier.js";
export { DriverLifecycle } from "./stream/driver-lifecycle.js";
export { ConnectionRecovery, type ConnectionRecoveryInit, type RecoverySettings } from "./stream/connection-recovery.js";
export { assembleTranscript } from "./stream/transcript.js";
export { loadAudioSource, transcribeThroughStream } from "./transcribe.js";
export { checkStreamOptions, checkTranscribeOptions, MAX_TRANSCRIBE_CHUNK_MS } from "./stream-options.js";
export { checkStreamSupport, nativeFormatFor, type SupportedStreamOptions, type StreamSettings } from "./capability-checks.js";
export { errorFromHttpStatus, httpStatusInText, type ErrorContext } from "./error-mapping.js";
export {
  readSettings,
  settingError,
  withDefault,
  textSetting,
  flagSetting,
  numberSetting,
  choiceSetting,
  textListSetting,
  urlSetting,
  textMapSetting,
  languagesSetting,
  parseSetting,
  sectionSetting,
  RECONNECT_SETTINGS,
  isRecord,
  FORBIDDEN_SETTING_KEYS,
  type SettingRule,
  type DefaultedSettingRule,
  type SettingProblem,
  type SettingsTable,
  type ReadSettings,
} from "./settings.js";
export { TICKS_PER_MS, msToTicks, ticksToMs } from "./ticks.js";
export { PcmResampler } from "./resample.js";
export { PcmConverter } from "./pcm-converter.js";
export { wordsBySegment } from "./words-by-segment.js";
export { SecretRedactor } from "./secret-redactor.js";
export { sttError, describeCause, describeValue, redactSecrets, REDACTED, type SttErrorInit } from "../errors.js";
export { mapLanguage, type LanguageCodeMap } from "../language.js";
