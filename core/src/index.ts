/**
 * The speech-to-text contract an application depends on: the {@link SpeechToText} interface,
 * its streams and events, the typed errors, languages, and the audio format with WAV reading.
 * It loads no dependency-injection library and no vendor SDK.
 *
 * Other entry points of this package, each for its own audience:
 * - `@sttkit/core/kit`: the adapter kit, for authors of adapters.
 * - `@sttkit/core/di`: dependency-injection wiring and configuration loading.
 * - `@sttkit/core/wer`: word error rate and text normalisation.
 *
 * @packageDocumentation
 * @module @sttkit/core
 */
export type { SpeechToText, SttCapabilities, StreamOptions, RecognitionStream, AudioSource, TranscribeOptions } from "./speech-to-text.js";
export type {
  SpeechEvent,
  SpeechEventType,
  SpeechStartedEvent,
  InterimTranscriptEvent,
  FinalTranscriptEvent,
  SpeechEndedEvent,
  UsageEvent,
  MetricsEvent,
  StreamMetrics,
  LatencySummary,
  ErrorEvent,
  ProviderSwitchedEvent,
  Transcript,
  TranscriptSegment,
  TranscribeRoute,
  WordTiming,
} from "./events.js";
export {
  isSttError,
  formatSttError,
  type SttError,
  type SttErrorKind,
  type SttErrorBase,
  type InvalidAudioReason,
  type AuthenticationError,
  type ForbiddenError,
  type RateLimitError,
  type InvalidAudioError,
  type InvalidArgumentError,
  type UnsupportedOptionError,
  type UnsupportedLanguageError,
  type ConnectionError,
  type TimeoutError,
  type BadRequestError,
  type ProviderError,
  type StreamStateError,
  type AbortedError,
  type EngineUnavailableError,
} from "./errors.js";
export { Language, ALL_LANGUAGES, isLanguage, parseLanguage, languageBase } from "./language.js";
export {
  DEFAULT_AUDIO_FORMAT,
  SAMPLE_RATE_RANGE,
  pcmFormat,
  validateAudioFormat,
  bytesPerFrame,
  bytesPerSecond,
  durationMs,
  bytesForMs,
  sameFormat,
  encodingOf,
  type AudioFormat,
  type AudioConversion,
  type SampleEncoding,
} from "./audio/format.js";
export { readWav, readWavFile, encodeWav, scanWavHeader, MAX_WAV_FILE_BYTES, type WavAudio, type WavReadOptions, type WavFileReadOptions, type WavHeader } from "./audio/wav.js";
export { openWavFile, MAX_WAV_HEADER_BYTES, type WavFileStream } from "./audio/wav-file.js";
export { openAudioFile, readAudioFile, MAX_IN_MEMORY_AUDIO_SECONDS, type AudioFileStream } from "./audio/audio-file.js";
export { decodeWithFfmpeg, FFMPEG_PACKAGE, type DecodedAudio, type FfmpegDecodeOptions } from "./audio/ffmpeg-decode.js";
export { chunkPcm, paceRealtime, type PacingOptions } from "./audio/chunking.js";
