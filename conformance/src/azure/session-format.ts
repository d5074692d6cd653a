/**
 * The recorded-session file format for Azure Speech: the exact USP text messages the service sent
 * for one fixture, each with the point in the received audio at which it was sent. One JSON file
 * per fixture, under `fixtures/sessions/azure/<fixture id>.json`.
 *
 * @module
 */

/** The value of {@link RecordedAzureSession.format}; bumped on incompatible changes. */
export const RECORDED_SESSION_FORMAT = "sttkit.recorded-session.v1";

/** One server-to-client USP text message, as recorded. */
export interface RecordedAzureMessage {
  /** The USP `Path` header: `turn.start`, `speech.startDetected`, `speech.hypothesis`, `speech.phrase`, `speech.endDetected`, `turn.end`, ... */
  readonly path: string;
  /**
   * How many milliseconds of PCM (after the RIFF header) the service had received in this turn
   * when it sent the message. The replay server sends the message once it has received that much
   * audio (or the end of the audio, whichever comes first). Offsets inside `body` are relative to
   * the start of the turn's audio, in 100 ns ticks, exactly as the service sends them.
   */
  readonly atAudioMs: number;
  /** Extra delay after that point, in milliseconds, as observed (service processing time). */
  readonly delayMs?: number;
  /**
   * The service sent it only after the client's end-of-audio frame (typically the closing
   * `speech.endDetected` and `turn.end`): the replay holds it until then.
   */
  readonly afterEndOfAudio?: boolean;
  /** The JSON body, verbatim (`undefined` only for messages the service sends with no body). */
  readonly body?: unknown;
}

/** One recognition turn (`turn.start` ... `turn.end`). Continuous recognition is usually one turn per connection. */
export interface RecordedAzureTurn {
  /** The messages in the order the service sent them. */
  readonly messages: readonly RecordedAzureMessage[];
}

/** Where a recorded session came from. */
export interface RecordedSessionSource {
  /**
   * `service`: recorded from the real Azure Speech service by the recorder.
   * `synthesized`: built offline (for example from a local engine's real recognition of the
   * fixture), in the service's wire format, until a recording from the service replaces it.
   */
  readonly kind: "service" | "synthesized";
  /** How it was made (tool, engine, SDK version, region), for people. */
  readonly description: string;
  /** ISO 8601 date of the recording. */
  readonly recordedAt?: string;
}

/** A whole recorded session for one fixture. */
export interface RecordedAzureSession {
  /** Always {@link RECORDED_SESSION_FORMAT}. */
  readonly format: typeof RECORDED_SESSION_FORMAT;
  /** Always `"azure"`. */
  readonly provider: "azure";
  /** The fixture id (the key in the fixture manifest). */
  readonly fixture: string;
  /** Provenance. */
  readonly source: RecordedSessionSource;
  /** The request the recording was made with (query parameters of the upgrade request). */
  readonly request: {
    /** `language` query parameter, e.g. `en-US`. */
    readonly language?: string;
    /** `format` query parameter. */
    readonly format?: "simple" | "detailed";
  };
  /** The turns, in order. */
  readonly turns: readonly RecordedAzureTurn[];
}

/**
 * The final transcripts a session delivers, in order: the `DisplayText` of every successful
 * `speech.phrase` with text. What an adapter replaying it must deliver, each exactly once.
 */
export function recordedFinalTexts(session: RecordedAzureSession): string[] {
  return session.turns.flatMap((turn) =>
    turn.messages.flatMap((message) => {
      const body = message.body as { RecognitionStatus?: unknown; DisplayText?: unknown } | undefined;
      const text = body?.DisplayText;
      return message.path === "speech.phrase" && body?.RecognitionStatus === "Success" && typeof text === "string" && text.trim().length > 0 ? [text] : [];
    }),
  );
}
