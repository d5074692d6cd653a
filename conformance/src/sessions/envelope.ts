/**
 * The recorded-session envelope, one for every vendor: what a provider's service sent for one
 * fixture, each message with the amount of audio the service had received when it sent it. The
 * envelope (provenance, audio reference, timing) is shared; the messages inside are the vendor's
 * own wire format, verbatim. One JSON file per provider and fixture, under
 * `fixtures/sessions/<provider>/<fixture id>.json`.
 *
 * @module
 */

/** The value of {@link RecordedSession.format}; bumped on incompatible changes. */
export const RECORDED_SESSION_FORMAT = "sttkit.recorded-session.v2";

/** Where a recorded session came from. */
export interface RecordedSessionSource {
  /**
   * `service`: recorded from the real service by a recorder.
   * `synthesized`: built offline (for example from a local engine's real recognition of the
   * fixture), in the service's wire format, until a recording from the service replaces it.
   */
  readonly kind: "service" | "synthesized";
  /** How it was made (tool, engine, SDK version, region), for people. */
  readonly description: string;
  /** ISO 8601 date of the recording. */
  readonly recordedAt?: string;
}

/** The audio a session was recorded from: the fixture's file, so a replay can tell it is the same audio. */
export interface RecordedAudioReference {
  /** The file, relative to the fixtures folder (`audio/<id>.wav`). */
  readonly file: string;
  /** SHA-256 of the file's bytes, hex. */
  readonly sha256: string;
  /** Duration of the audio in milliseconds. */
  readonly durationMs: number;
}

/**
 * When the service sent a message, measured on the audio: shared by every vendor's messages.
 */
export interface RecordedTiming {
  /**
   * How many milliseconds of audio the service had received (in this turn) when it sent the
   * message. A replay sends it once it has received that much audio, or the end of the audio,
   * whichever comes first.
   */
  readonly atAudioMs: number;
  /** Extra delay after that point, in milliseconds, as observed (service processing time). */
  readonly delayMs?: number;
  /** The service sent it only after the client declared the end of the audio: a replay holds it until then. */
  readonly afterEndOfAudio?: boolean;
}

/** One message as recorded: its timing plus the vendor's own fields (`M`), verbatim. */
export type RecordedMessage<M extends object> = RecordedTiming & M;

/**
 * One unit of the vendor's protocol that a replay plays through in order: an Azure recognition
 * turn, the messages of one Deepgram or OpenAI Realtime connection.
 */
export interface RecordedTurn<M extends object> {
  /** The messages in the order the service sent them. */
  readonly messages: readonly RecordedMessage<M>[];
}

/** The answer of a vendor's whole-file (batch, pre-recorded) endpoint, as recorded. */
export interface RecordedBatchResponse {
  /** The HTTP status. */
  readonly status: number;
  /** The response body, verbatim (parsed JSON). */
  readonly body: unknown;
}

/**
 * A whole recorded session for one fixture and provider.
 *
 * @typeParam M - the fields of one vendor message (Azure: USP `path` and `body`).
 * @typeParam R - what the recording was requested with (query parameters, model).
 */
export interface RecordedSession<M extends object = Record<string, unknown>, R extends object = Record<string, unknown>> {
  /** Always {@link RECORDED_SESSION_FORMAT}. */
  readonly format: typeof RECORDED_SESSION_FORMAT;
  /** The provider name as used in configuration (`azure`, `deepgram`, `openai`). */
  readonly provider: string;
  /** The fixture id (the key in the fixture manifest). */
  readonly fixture: string;
  /** The audio the session was recorded from. */
  readonly audio: RecordedAudioReference;
  /** Provenance. */
  readonly source: RecordedSessionSource;
  /** The request the recording was made with. */
  readonly request: R;
  /** The streaming messages, turn by turn (empty for a provider recorded only in batch). */
  readonly turns: readonly RecordedTurn<M>[];
  /** The batch endpoint's answer for the whole file, when the provider has one and it was recorded. */
  readonly batch?: RecordedBatchResponse;
}
