import type { Result, ResultAsync } from "neverthrow";
import type { AudioConversion, AudioFormat } from "./audio/format.js";
import type { SttError } from "./errors.js";
import type { SpeechEvent, Transcript } from "./events.js";
import type { Language } from "./language.js";

/**
 * What an adapter can do. The conformance suite holds adapters to what they declare here.
 *
 * @category Contract
 */
export interface SttCapabilities {
  /** Audio can be pushed as it arrives and results come back while it is still arriving. */
  readonly streaming: boolean;
  /** Provisional transcripts are sent before each final one. */
  readonly interimResults: boolean;
  /** Final segments can carry word-level timings. */
  readonly wordTimings: boolean;
  /** The provider can identify the spoken language among several candidates. */
  readonly languageDetection: boolean;
  /** Phrase lists (custom vocabulary) bias recognition. */
  readonly customVocabulary: boolean;
  /**
   * The provider can tell speakers apart (diarization), when the adapter is configured to: final
   * segments and their words then carry a `speaker` number.
   */
  readonly diarization: boolean;
  /** Sample rates the provider accepts natively, in Hz. */
  readonly sampleRates: readonly number[];
  /** Channel counts the provider accepts natively (most recognisers: `[1]`, mono). */
  readonly channels: readonly number[];
  /**
   * The 99th percentile, in milliseconds, of the time from the end of speech to its final
   * transcript: what a voice agent should budget before it treats a turn as complete.
   */
  readonly ttfsP99LatencyMs: number;
  /** Whether a dropped connection is recovered inside the stream without losing finals. */
  readonly reconnects: boolean;
}

/**
 * Options for one recognition stream. Provider-specific settings live in the adapter's config.
 *
 * @category Contract
 */
export interface StreamOptions {
  /**
   * The layout of the audio you will write. Default 16 kHz mono 16-bit. Any rate, channel count and
   * encoding {@link validateAudioFormat} accepts is taken: what the provider does not take natively
   * is converted (see {@link RecognitionStream.conversion}).
   */
  readonly format?: AudioFormat;
  /**
   * The language spoken. Give several to let the provider identify which one (continuous
   * language identification); each final segment then reports its language. Defaults to the
   * adapter's configured language.
   */
  readonly language?: Language | readonly Language[];
  /** Emit interim transcripts when the provider supports them. Default true. */
  readonly interimResults?: boolean;
  /** Ask for word-level timings on final segments. Default false. */
  readonly wordTimings?: boolean;
  /** Words and phrases to favour (names, jargon), when the provider supports custom vocabulary. */
  readonly phrases?: readonly string[];
  /** Aborting it closes the stream, as `close()` does. */
  readonly signal?: AbortSignal;
  /**
   * Called synchronously with each event the moment the provider reports it, before it is queued
   * for `for await`: the lowest-latency way to react (no promise hop, no wait behind other queued
   * work). It sees every interim transcript (none is coalesced). It must not throw; an exception
   * is caught and ignored so that it cannot break the stream. Iteration still sees the events.
   */
  readonly onEvent?: (event: SpeechEvent) => void;
}

/**
 * A live recognition session. Write PCM with {@link RecognitionStream.write}, read events with
 * `for await`, and finish with {@link RecognitionStream.end} (keep the last words) or
 * {@link RecognitionStream.close} (abort).
 *
 * Events are delivered to one consumer in the order the provider produced them. Interim
 * transcripts a slow consumer has not read yet are replaced by newer ones; every other event is
 * kept.
 *
 * @category Contract
 */
export interface RecognitionStream extends AsyncIterable<SpeechEvent> {
  /** The PCM layout this stream expects: what you write. */
  readonly format: AudioFormat;
  /**
   * Present when the provider does not take {@link RecognitionStream.format} natively: what the
   * stream converts each chunk to (rate, channels mixed down, 16-bit) before sending it. Absent
   * when audio goes through unchanged.
   */
  readonly conversion?: AudioConversion | undefined;
  /**
   * Sends audio. `Ok(true)`: keep writing. `Ok(false)`: the provider is behind, wait for
   * {@link RecognitionStream.drained} before writing more (the chunk was still accepted).
   * `Err`: the stream is ended, closed or failed, or the chunk is not bytes; no audio was taken.
   * A chunk need not hold whole sample frames: a split frame is joined with the next chunk.
   */
  write(chunk: Uint8Array): Result<boolean, SttError>;
  /** Resolves when the provider has caught up and writing may resume. */
  drained(): Promise<void>;
  /**
   * Declares the audio complete, waits until the provider has sent the final transcript for the
   * last words, and resolves with the whole transcript. Calling it again returns the same result.
   */
  end(): ResultAsync<Transcript, SttError>;
  /**
   * Aborts at once: stops sending, drops results still in flight, releases the connection.
   * Idempotent; safe at any time, also after `end()`.
   */
  close(): Promise<void>;
  /** Resolves when the stream is over, however it ended: the transcript, or why it failed. */
  result(): ResultAsync<Transcript, SttError>;
}

/**
 * Where the audio for {@link SpeechToText.transcribe} comes from.
 *
 * @category Contract
 */
export type AudioSource =
  | Uint8Array
  | { readonly path: string }
  | { readonly pcm: Uint8Array; readonly format: AudioFormat };

/**
 * Options for {@link SpeechToText.transcribe}.
 *
 * @category Contract
 */
export interface TranscribeOptions extends Omit<StreamOptions, "format"> {
  /**
   * Called with every event, in order, while the audio is processed: progress for long files.
   * Read from the stream's event iteration, so it works with any adapter; an exception is ignored.
   */
  readonly onEvent?: (event: SpeechEvent) => void;
  /**
   * Interim transcripts, for `onEvent`. Default: true with `onEvent`, false without it (the
   * transcript is made of finals, and a provider then need not produce or send interims).
   */
  readonly interimResults?: boolean;
  /** Size of the chunks the audio is sent in, in milliseconds. Default 1000 (backpressure still applies per chunk). */
  readonly chunkMs?: number;
}

/**
 * The provider-neutral speech-to-text interface. Applications depend on this, and receive an
 * implementation (Azure, the offline engine, ...) from dependency-injection configuration.
 *
 * @category Contract
 */
export interface SpeechToText {
  /** The provider's short name, as used in configuration (`"azure"`, `"offline"`). */
  readonly provider: string;
  /** What this adapter can do. */
  readonly capabilities: SttCapabilities;
  /**
   * Opens a recognition stream. Options are validated now (a bad or unsupported option is an
   * `Err` before anything connects); connection problems surface as an `error` event and from
   * `end()`.
   */
  stream(options?: StreamOptions): Result<RecognitionStream, SttError>;
  /**
   * Transcribes a whole recording: WAV bytes, a file path (WAV read directly; MP3, M4A, FLAC,
   * Ogg/Opus, WebM, a video's audio track and other WAV layouts decoded by ffmpeg, see
   * `openAudioFile`), or raw PCM with its format. Files are streamed, never read whole.
   */
  transcribe(audio: AudioSource, options?: TranscribeOptions): ResultAsync<Transcript, SttError>;
}
