import type { Language } from "@sttkit/core";

/** A transcription model: `gpt-4o-transcribe` (the default), `gpt-4o-mini-transcribe` or `whisper-1`. */
export type OpenAITranscriptionModel = "gpt-4o-transcribe" | "gpt-4o-mini-transcribe" | "whisper-1";

/** Noise reduction of a Realtime session: for close-talking microphones (headsets) or far-field ones (laptops, rooms). */
export type OpenAINoiseReduction = "near_field" | "far_field";

/** How `transcribe()` uses the batch endpoint (`POST /v1/audio/transcriptions`). */
export interface OpenAIBatchOptions {
  /**
   * The model. Default `gpt-4o-transcribe` (see the README for why). With `whisper-1`, answers come
   * as `verbose_json`: segments with their times, and word timings when asked for.
   */
  readonly model?: OpenAITranscriptionModel;
  /**
   * With a `gpt-4o` model and an `onEvent` callback, ask for the transcript as a stream and report
   * its text deltas as interim events. Default true. `whisper-1` cannot stream (the service would
   * ignore the request and the SDK would lose the text), so it never asks.
   */
  readonly streamDeltas?: boolean;
  /**
   * The largest upload, in bytes, WAV header included (64 KiB to 25 MiB). Longer audio is split at
   * pauses into uploads of at most this size. Default 24 000 000, under the service's 25 MB limit.
   */
  readonly maxUploadBytes?: number;
  /** The longest upload in seconds (10 to 1500); longer audio is split as for `maxUploadBytes`. Default 1400. */
  readonly maxUploadSeconds?: number;
  /** How many uploads of one split file are in flight at once (1 to 8). Default 2. */
  readonly concurrency?: number;
  /** Sampling temperature, 0 to 1. Default: the service's (0). */
  readonly temperature?: number;
  /** How long one request may take, in ms (1 000 to 3 600 000). Default 600 000 (the SDK's). */
  readonly timeoutMs?: number;
  /**
   * How often a request that failed with 408, 409, 429 or 5xx, a timeout or a broken connection is
   * tried again (0 to 10). Default 2. Waits follow the service's `retry-after-ms` / `Retry-After`
   * headers, else 0.5 s doubling up to 8 s.
   */
  readonly maxRetries?: number;
  /**
   * The longest wait a `Retry-After` may ask for, in ms (0 to 3 600 000). A service asking for longer
   * is not waited for: the call fails at once with a `rate-limit` error carrying `retryAfterMs`.
   * Default 60 000.
   */
  readonly maxRetryAfterMs?: number;
}

/** How `stream()` uses a Realtime transcription session. */
export interface OpenAIRealtimeOptions {
  /** The transcription model of the session. Default `gpt-4o-transcribe`. */
  readonly model?: OpenAITranscriptionModel;
  /**
   * The model named in the connection URL (`/realtime?model=...`), which the SDK requires. Default:
   * the transcription model, so the session is a transcription session from its first event.
   */
  readonly urlModel?: string;
  /** Noise reduction of the input audio. Default: none (the service's default). */
  readonly noiseReduction?: OpenAINoiseReduction;
  /** Server voice activity detection threshold, 0 to 1: higher needs louder speech. Default 0.5. */
  readonly vadThreshold?: number;
  /** Audio kept before detected speech, ms (0 to 2000). Default 300. */
  readonly prefixPaddingMs?: number;
  /** Silence that ends an utterance (and produces its final transcript), ms (100 to 10 000). Default 500. */
  readonly silenceDurationMs?: number;
}

/**
 * Settings of the OpenAI adapter (the `openai` section of an `SttConfig`).
 *
 * Credentials: `apiKey`, by default the `OPENAI_API_KEY` environment variable. `baseURL` (default
 * `OPENAI_BASE_URL`, else `https://api.openai.com/v1`) points the SDK at any compatible host; its
 * Realtime URL is always the `wss:` form of it.
 */
export interface OpenAIConfig {
  /** The API key. Default: the `OPENAI_API_KEY` environment variable. */
  readonly apiKey?: string;
  /** The API's base URL, `http(s)://host[:port]/v1`. Default: `OPENAI_BASE_URL`, else the public API. */
  readonly baseURL?: string;
  /** The organization id, sent as `OpenAI-Organization`. */
  readonly organization?: string;
  /** The project id, sent as `OpenAI-Project`. */
  readonly project?: string;
  /**
   * Certificate authorities (PEM) trusted for this adapter's connections only, on top of the
   * system's: for a gateway or test server with a private certificate. Verification is never
   * turned off.
   */
  readonly ca?: string;
  /** The language spoken (one; the service takes an ISO 639-1 code). Default: none, the service detects it. */
  readonly language?: Language;
  /** Text that guides the model (style, context), sent as the prompt; phrases are added to it. */
  readonly prompt?: string;
  /** Words and phrases to favour (names, jargon): added to the prompt of every request and session. */
  readonly phrases?: readonly string[];
  /** Ask for word timings in `transcribe()` by default (`whisper-1` only). Default false. */
  readonly wordTimings?: boolean;
  /**
   * The 99th percentile, in seconds, of the time from the end of speech to its final transcript in
   * a stream, reported as `capabilities.ttfsP99LatencyMs`. Default: the closing silence
   * (`realtime.silenceDurationMs`) plus 1.5 s, an estimate, not a figure OpenAI publishes.
   */
  readonly ttfsP99Latency?: number;
  /** How long a stream's connection may take to open and configure its session, ms (1 to 600 000). Default 10 000. */
  readonly connectTimeoutMs?: number;
  /** After a stream's `end()`, how long the service may stay silent before a `timeout` error, ms. Default 30 000. */
  readonly finishTimeoutMs?: number;
  /** The batch endpoint (`transcribe()`). */
  readonly batch?: OpenAIBatchOptions;
  /** Realtime transcription (`stream()`). */
  readonly realtime?: OpenAIRealtimeOptions;
}
