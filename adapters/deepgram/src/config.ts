import type { Language } from "@sttkit/core";

/**
 * How the adapter recovers when the connection to Deepgram is lost mid-stream. The SDK's own
 * reconnect is turned off (it would lose the audio of the interrupted phrase and restart the
 * timestamps at 0); the adapter opens a new connection instead, replays the audio since the last
 * final transcript and moves the new connection's times onto the stream's time line.
 */
export interface DeepgramReconnectOptions {
  /**
   * How many new connections in a row the adapter opens after a lost one (a dropped socket, a
   * 1011 close, a refused 5xx upgrade) before the stream fails. A delivered final resets the
   * count. `0` turns recovery off. Default 3.
   */
  readonly maxAttempts?: number;
  /**
   * The most audio kept for replay, in seconds; older audio is dropped from the replay buffer
   * (and would be lost if a recovery were needed). Default 120.
   */
  readonly maxReplaySeconds?: number;
  /** Wait before the first recovery attempt, in milliseconds; it doubles for each further one. Default 200. */
  readonly backoffMs?: number;
}

/**
 * Settings of the Deepgram adapter (the `deepgram` section of an `SttConfig`). Every setting is
 * checked when the adapter is built; a stream's own options (language, phrases, interim results,
 * word timings) are checked when it opens, before anything connects.
 *
 * Credentials: an `apiKey` (default: the `DEEPGRAM_API_KEY` environment variable), sent as
 * `Authorization: Token <key>`, or a short-lived `accessToken` (sent as `Bearer`).
 */
export interface DeepgramConfig {
  /** The Deepgram API key. Default: the `DEEPGRAM_API_KEY` environment variable. */
  readonly apiKey?: string;
  /** A short-lived access token (from Deepgram's token endpoint), used instead of `apiKey`. */
  readonly accessToken?: string;
  /**
   * Where the service is, as `https://host[:port]` (or `http://`, `ws://`, `wss://`): a
   * self-hosted Deepgram or a local test server. Streams connect to `<baseUrl>/v1/listen` over
   * WebSocket (`http` becomes `ws`), `transcribe()` posts to `<baseUrl>/v1/listen`.
   * Default: Deepgram's hosted API.
   */
  readonly baseUrl?: string;
  /** The model (`model`), such as `nova-3`, `nova-3-medical` or `nova-2-phonecall`. Default `nova-3`. */
  readonly model?: string;
  /**
   * The language spoken (`language`), translated to Deepgram's code (`en-US`, `de`, ...). Several
   * languages ask for Nova-3's multilingual code-switching (`language=multi`); each final then
   * reports the language detected. A language the model does not offer is an
   * `unsupported-language` error. Default `en-US`.
   */
  readonly language?: Language | readonly Language[];
  /** Send interim transcripts (`interim_results`); a stream's `interimResults` option overrides it. Default true. */
  readonly interimResults?: boolean;
  /**
   * Silence in milliseconds (10 to 10 000) after which Deepgram closes an utterance and marks its
   * final `speech_final` (`endpointing`), or `false` to turn endpointing off. Default: the service's (10 ms).
   */
  readonly endpointing?: number | false;
  /**
   * Gap in milliseconds (1000 to 5000) after the last word before Deepgram sends `UtteranceEnd`
   * (`utterance_end_ms`), which the adapter reports as `speech-ended`. Needs interim results. Default: off.
   */
  readonly utteranceEndMs?: number;
  /** Ask for `SpeechStarted` messages (`vad_events`), reported as `speech-started`. Default true. */
  readonly vadEvents?: boolean;
  /** Smart formatting (`smart_format`): punctuation, numerals, dates, currency. Default false. */
  readonly smartFormat?: boolean;
  /** Punctuation and capitalisation (`punctuate`). Default true. */
  readonly punctuate?: boolean;
  /** Replace recognised profanity (`profanity_filter`). Default false. */
  readonly profanityFilter?: boolean;
  /**
   * Terms to favour on every stream, added to the stream's `phrases`: sent as `keyterm` to Nova-3
   * models and as `keywords` to older ones.
   */
  readonly keyterms?: readonly string[];
  /** Tell speakers apart (`diarize`): each final and each word then carries a `speaker` number. Default false. */
  readonly diarize?: boolean;
  /** Keep filler words such as "uh" and "um" (`filler_words`). Default false. */
  readonly fillerWords?: boolean;
  /** Write numbers as digits (`numerals`). Default false. */
  readonly numerals?: boolean;
  /** What to redact (`redact`, repeated): `pci`, `ssn`, `numbers`, `aggressive_numbers`, `pii`, ... Default none. */
  readonly redact?: readonly string[];
  /** Labels for usage reporting (`tag`, repeated). Default none. */
  readonly tags?: readonly string[];
  /**
   * Ask for word timings on every stream (each final then carries its words with start, end,
   * confidence and punctuated form). A stream's `wordTimings` option overrides it. Default false.
   */
  readonly wordTimings?: boolean;
  /**
   * The 99th percentile, in seconds, of the time from the end of speech to its final transcript,
   * reported as `capabilities.ttfsP99LatencyMs`. Default 0.8 (see the README for its source).
   */
  readonly ttfsP99Latency?: number;
  /** How long, in milliseconds, opening the WebSocket may take before the stream fails with a `timeout`. Default 10 000. */
  readonly connectTimeoutMs?: number;
  /**
   * After `end()`, how long in milliseconds the service may stay silent before the stream fails
   * with a `timeout` error instead of waiting for the last transcript. Default 30 000.
   */
  readonly finishTimeoutMs?: number;
  /**
   * While no audio flows, a `KeepAlive` message is sent this often, in milliseconds (500 to 9000),
   * so the service does not close an idle stream (it does after about 10 s). Default 4000.
   */
  readonly keepAliveIntervalMs?: number;
  /** Recovery after a lost connection. */
  readonly reconnect?: DeepgramReconnectOptions;
  /** Time limit of one `transcribe()` request, in milliseconds. Default 300 000. */
  readonly requestTimeoutMs?: number;
  /** How often the SDK retries a `transcribe()` request answered 408, 429 or 5xx (0 to 5). Default 2. */
  readonly requestRetries?: number;
}
