/** The provider name used in configuration and put on every error. */
export const PROVIDER = "openai";

/** The transcription models of the batch endpoint and of Realtime transcription sessions. */
export const OPENAI_TRANSCRIPTION_MODELS = Object.freeze(["gpt-4o-transcribe", "gpt-4o-mini-transcribe", "whisper-1"] as const);

/**
 * The default transcription model: `gpt-4o-transcribe`. OpenAI publishes lower word error rates for
 * it than for `whisper-1` on every language of its benchmark, it streams its transcript as it is
 * produced (interim results on both paths), and it is the same model on the batch and Realtime
 * paths, so both transcribe alike. `gpt-4o-mini-transcribe` is cheaper and faster; `whisper-1` is
 * the one that reports segment and word timestamps in batch.
 */
export const DEFAULT_MODEL = "gpt-4o-transcribe";

/** Where the SDK talks to without a configured base URL. */
export const DEFAULT_BASE_URL = "https://api.openai.com/v1";

/** Realtime transcription sessions take PCM16 mono at 24 kHz only; the shared stream converts other formats to it. */
export const REALTIME_SAMPLE_RATE = 24_000;

/**
 * Sample rates a stream's audio reaches the service in, in Hz: Realtime's one rate. A stream may
 * be written in any rate, channel count and encoding: the shared stream converts it to this.
 */
export const OPENAI_SAMPLE_RATES: readonly number[] = Object.freeze([REALTIME_SAMPLE_RATE]);

/** The service refuses to commit less audio than this, in ms (`input_audio_buffer_commit_empty`). */
export const MIN_COMMIT_MS = 100;

/**
 * The default largest upload, in bytes, WAV header included: under the service's 25 MB limit
 * read either way (25 × 10^6 or 25 × 2^20), so a file at the limit is never refused.
 */
export const DEFAULT_MAX_UPLOAD_BYTES = 24_000_000;

/** The environment variables the adapter reads defaults from. */
export const OPENAI_ENV = Object.freeze({ apiKey: "OPENAI_API_KEY", baseURL: "OPENAI_BASE_URL" });
