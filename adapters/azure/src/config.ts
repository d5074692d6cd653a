import type { Language } from "@sttkit/core";

/** How the service treats profanity in transcripts. */
export type AzureProfanity = "masked" | "removed" | "raw";

/**
 * How the adapter recovers when the Speech SDK gives up on a connection. The SDK already
 * reconnects by itself after a dropped socket; these settings govern what happens after that.
 */
export interface AzureReconnectOptions {
  /**
   * How many times in a row the adapter starts a new recognizer (and replays the audio since the
   * last final transcript) after the SDK reports a connection failure. A delivered final resets
   * the count. `0` turns recovery off. Default 3.
   */
  readonly maxAttempts?: number;
  /**
   * The most audio kept for replay, in seconds. Audio older than this is dropped from the replay
   * buffer (and would be lost if a recovery were needed). Default 120.
   */
  readonly maxReplaySeconds?: number;
  /** Wait before the first recovery attempt, in milliseconds; it doubles for each further attempt. Default 200. */
  readonly backoffMs?: number;
}

/**
 * Where the adapter gets authorization tokens: an async function returning a fresh one (for
 * example from your token service, or `aad#<resource id>#<Entra ID token>` for a Microsoft Entra
 * ID token used with a custom-domain `endpoint`). It must not return the same token for ever:
 * Azure's tokens expire after 10 minutes.
 */
export type AzureTokenProvider = () => Promise<string>;

/**
 * An HTTP proxy the Speech SDK tunnels its WebSocket through (with `CONNECT`). The credentials,
 * when given, go in the `Proxy-Authorization` header (Basic) and are never put in an error or event.
 */
export interface AzureProxy {
  /** The proxy's host name or IP address. */
  readonly host: string;
  /** The proxy's port. */
  readonly port: number;
  /** The user name for the proxy, if it asks for one. */
  readonly username?: string;
  /** The password for the proxy (only with `username`). */
  readonly password?: string;
}

/**
 * How `transcribe()` sends a file. `fast`: one request to Azure's fast transcription REST API
 * (`speechtotext/transcriptions:transcribe`, api-version 2024-11-15), which answers far faster than
 * real time. `realtime`: a continuous-recognition stream through the Speech SDK, which paces the
 * upload at about twice real time.
 */
export type AzureTranscribeMethod = "fast" | "realtime";

/** Settings of `transcribe()` through the fast transcription API. */
export interface AzureFastTranscriptionOptions {
  /**
   * The largest file sent to the fast transcription API, in bytes; a larger one is transcribed
   * through a real-time stream instead (the transcript's `route` says so). Default 300 MB
   * (314 572 800), the service's documented limit.
   */
  readonly maxUploadBytes?: number;
  /**
   * The longest audio sent to the fast transcription API, in seconds; a longer one is transcribed
   * through a real-time stream instead. Default 7 200 (2 hours), the service's documented limit.
   */
  readonly maxAudioSeconds?: number;
  /**
   * How long, in milliseconds, the service may take to answer once the whole file is sent; after
   * that `transcribe()` fails with a `timeout` error. Default 300 000. (Node's fetch gives up on
   * its own after 300 s without response headers, also reported as `timeout`.)
   */
  readonly responseTimeoutMs?: number;
  /** With `diarization`, a hint for the most speakers to tell apart (2 to 35). Default: the service's. */
  readonly maxSpeakers?: number;
}

/**
 * Settings of the Azure Speech adapter (the `azure` section of an `SttConfig`).
 *
 * Credentials: an `apiKey` and `region` (defaulting to the environment variables
 * `AZURE_SPEECH_API_KEY` and `AZURE_SPEECH_REGION`), or an `authorizationToken` with a region.
 * `host` or `endpoint` replace the public-cloud address (Speech containers, sovereign clouds,
 * a local test server); with either, the key is optional.
 */
export interface AzureConfig {
  /** The Speech resource key. Default: the `AZURE_SPEECH_API_KEY` environment variable. */
  readonly apiKey?: string;
  /** The Speech resource region, such as `westeurope`. Default: the `AZURE_SPEECH_REGION` environment variable. */
  readonly region?: string;
  /**
   * A short-lived authorization token, used instead of `apiKey`. It is not renewed: a stream that
   * outlives it loses its connection at the next reconnect. Prefer `tokenProvider` for long streams.
   */
  readonly authorizationToken?: string;
  /**
   * Where each stream gets its authorization token (instead of `apiKey` or `authorizationToken`):
   * called when a stream starts, then every `tokenRefreshIntervalMs` for as long as it runs. The
   * recognizer uses the newest token for every connection it opens from then on (the Speech SDK
   * sends it when it connects or reconnects). A failed refresh is a non-fatal `authentication`
   * error event and is tried again; a failed first call fails the stream with `authentication`.
   * A provider that does not answer within `connectTimeoutMs` has failed.
   */
  readonly tokenProvider?: AzureTokenProvider;
  /**
   * How often, in milliseconds, a stream asks `tokenProvider` for a new token. Default 540 000
   * (9 minutes: Azure's tokens last 10).
   */
  readonly tokenRefreshIntervalMs?: number;
  /** The service host with its scheme, such as `ws://localhost:5000` (Speech containers). */
  readonly host?: string;
  /** The full WebSocket URL of the recognition endpoint, path included. */
  readonly endpoint?: string;
  /**
   * The language spoken. Several turn on continuous language identification among them (at most
   * 10), and each final transcript reports the one detected. Default `en-US`.
   */
  readonly language?: Language | readonly Language[];
  /**
   * The sample rate of the PCM sent to Azure, in Hz. Default: the stream's format (16 000 Hz when
   * the stream names none). A stream in another rate is converted to this one on the fly.
   */
  readonly sampleRate?: number;
  /** The id of a Custom Speech model deployment; the service receives it as `cid`. */
  readonly endpointId?: string;
  /**
   * The 99th percentile, in seconds, of the time from the end of speech to its final transcript.
   * Reported as `capabilities.ttfsP99LatencyMs`. Default 1.8: an estimate for the public cloud, not a
   * figure Microsoft publishes; measure your region or container (the conformance suite's latency
   * scenario reports it against recorded sessions) and set it.
   */
  readonly ttfsP99Latency?: number;
  /** Words and phrases to favour (a phrase list), added to any a stream names. */
  readonly phrases?: readonly string[];
  /** Profanity handling. Default: the service's (`masked`). */
  readonly profanity?: AzureProfanity;
  /** Silence, in milliseconds (100 to 5000), that ends a phrase. Default: the service's. */
  readonly segmentationSilenceTimeoutMs?: number;
  /** Ask for detailed results: each final then carries its confidence and lexical form. Default false. */
  readonly detailed?: boolean;
  /** Ask for word-level timestamps on every stream (implies `detailed`). Default false. */
  readonly wordTimings?: boolean;
  /**
   * How long, in milliseconds, a connection may take before the service answers at all; after
   * that the stream fails with a `timeout` error. Default 10 000.
   */
  readonly connectTimeoutMs?: number;
  /**
   * After `end()`, how long in milliseconds the service may stay silent before the stream fails
   * with a `timeout` error instead of waiting for the last transcript. Default 30 000.
   */
  readonly finishTimeoutMs?: number;
  /**
   * Backpressure: how much audio, in milliseconds, may wait in the Speech SDK not yet sent to the
   * service (while it connects, reconnects, or paces its upload) before `write()` returns `false`;
   * `drained()` then resolves once half of it has been sent. Default 5 000.
   */
  readonly maxUnsentAudioMs?: number;
  /**
   * An HTTP proxy to reach the service through; `"env"` takes it from `HTTPS_PROXY` (`HTTP_PROXY`
   * for a `ws://` host or endpoint; lower-case names too) unless `NO_PROXY` lists the service's
   * host, and uses none when the variable is unset. Default: no proxy (the environment is not read).
   */
  readonly proxy?: AzureProxy | "env";
  /**
   * Hour-long streams: after this many seconds of audio, the stream moves to a fresh recognizer
   * at the next final transcript. The Speech SDK holds on to memory for as long as one
   * recognition turn runs; a fresh recognizer releases it. The new one receives the audio since
   * that final (so none is lost; what the old one would still say about it is dropped, so no
   * final is doubled), its times continue on the stream's time line, and the old one ends its
   * turn cleanly. The audio between that final and the rotation reaches the service twice (a
   * second or so at each rotation). `0` never rotates. Default 600 (10 minutes of audio); 0 with `diarization` (a new
   * recognizer numbers the speakers afresh).
   */
  readonly rotateRecognizerAfterSeconds?: number;
  /** Recovery after the SDK gives up on a connection. */
  readonly reconnect?: AzureReconnectOptions;
  /**
   * How `transcribe()` sends a file. Default `fast` whenever the configuration allows it (a key or
   * token with a region, or a host or endpoint): the fast transcription API, one multipart upload
   * streamed from disk. A custom model (`endpointId`) is served only by real-time recognition, so
   * with `endpointId` the default is `realtime` (asking for `fast` with it is a configuration
   * error). Streams (`stream()`) always use real-time recognition.
   */
  readonly transcribeWith?: AzureTranscribeMethod;
  /** Settings of `transcribe()` through the fast transcription API. */
  readonly fastTranscription?: AzureFastTranscriptionOptions;
  /**
   * Tell speakers apart: `transcribe()` through the fast transcription API asks the service for
   * diarization, and streams use the SDK's conversation transcriber (real-time diarization); each
   * final segment and word then carries a `speaker` number (0, 1, ... in order of appearance; none
   * when the service could not tell), and `capabilities.diarization` is true. A stream's speaker
   * numbers hold within one recognizer: recognizer rotation is therefore off by default with
   * diarization. Default false.
   */
  readonly diarization?: boolean;
  /**
   * Raw Speech SDK properties, set on every recognizer as given: an escape hatch for settings
   * this adapter does not model (for example `SPEECH-TransmitLengthBeforThrottleMs`).
   */
  readonly sdkProperties?: Readonly<Record<string, string>>;
}
