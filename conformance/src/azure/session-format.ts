/**
 * Azure Speech sessions in the shared recorded-session envelope: the USP text messages the
 * service sent for one fixture, each with the point in the received audio at which it was sent.
 * One JSON file per fixture, under `fixtures/sessions/azure/<fixture id>.json`.
 *
 * @module
 */
import { err, ok, type Result } from "neverthrow";
import type { SttError, TranscriptSegment } from "@sttkit/core";
import { ticksToMs } from "@sttkit/core/kit";
import { invalidFixtures } from "../manifest/load.js";
import type { RecordedMessage, RecordedSession } from "../sessions/envelope.js";
import { loadRecordedSession } from "../sessions/load.js";

/** The Azure fields of one recorded server-to-client USP message. */
export interface AzureMessageFields {
  /** The USP `Path` header: `turn.start`, `speech.startDetected`, `speech.hypothesis`, `speech.phrase`, `speech.endDetected`, `turn.end`, ... */
  readonly path: string;
  /**
   * The JSON body, verbatim (`undefined` only for messages the service sends with no body).
   * Offsets inside it are relative to the start of the turn's audio, in 100 ns ticks, exactly as
   * the service sends them.
   */
  readonly body?: unknown;
}

/** One server-to-client USP text message, as recorded, with its timing. */
export type RecordedAzureMessage = RecordedMessage<AzureMessageFields>;

/** The request an Azure session was recorded with (query parameters of the upgrade request). */
export interface AzureSessionRequest {
  /** `language` query parameter, e.g. `en-US`. */
  readonly language?: string;
  /** `format` query parameter. */
  readonly format?: "simple" | "detailed";
}

/**
 * A whole recorded Azure session for one fixture: one turn per recognition turn
 * (`turn.start` ... `turn.end`; continuous recognition is usually one turn per connection).
 */
export type RecordedAzureSession = RecordedSession<AzureMessageFields, AzureSessionRequest>;

/** Checks that every message is an Azure USP message (a `path`), on top of the envelope. */
function checkAzureMessages(session: RecordedSession): Result<RecordedAzureSession, string> {
  for (const [turnIndex, turn] of session.turns.entries()) {
    const bad = turn.messages.findIndex((message) => typeof (message as { path?: unknown }).path !== "string");
    if (bad >= 0) return err(`turn #${turnIndex}, message #${bad} has no USP path`);
  }
  return ok(session as unknown as RecordedAzureSession);
}

/** Reads the recorded Azure session of a fixture: {@link loadRecordedSession} plus a check of the USP messages. */
export function loadAzureSession(fixtureId: string, directory?: string): Result<RecordedAzureSession, SttError> {
  return loadRecordedSession(fixtureId, "azure", directory).andThen((session) =>
    checkAzureMessages(session).orElse((problem) => invalidFixtures(`The recorded azure session of ${fixtureId}: ${problem}.`)),
  );
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

interface PhraseBody {
  readonly RecognitionStatus?: unknown;
  readonly DisplayText?: unknown;
  readonly Offset?: unknown;
  readonly Duration?: unknown;
  readonly NBest?: ReadonlyArray<{ readonly Words?: ReadonlyArray<{ readonly Word?: unknown; readonly Offset?: unknown; readonly Duration?: unknown }> }>;
}

/**
 * The segments `transcribe()` through the fast transcription API must return for this session:
 * each phrase of the recorded answer (`batch`), its text and its offsets in milliseconds, in time
 * order. `undefined` when the session has no such answer.
 */
export function expectedFastTranscript(session: RecordedAzureSession): TranscriptSegment[] | undefined {
  const phrases = (session.batch?.body as { phrases?: unknown } | undefined)?.phrases;
  if (session.batch?.status !== 200 || !Array.isArray(phrases)) return undefined;
  return phrases
    .flatMap((phrase: { text?: unknown; offsetMilliseconds?: unknown; durationMilliseconds?: unknown }) =>
      typeof phrase.text === "string" && phrase.text.trim().length > 0 && typeof phrase.offsetMilliseconds === "number" && typeof phrase.durationMilliseconds === "number"
        ? [{ text: phrase.text, startMs: phrase.offsetMilliseconds, endMs: phrase.offsetMilliseconds + phrase.durationMilliseconds }]
        : [],
    )
    .sort((a, b) => a.startMs - b.startMs);
}

/**
 * The finals an adapter replaying this session must deliver, exactly: for every successful phrase
 * with text, its `DisplayText` with its offsets (100 ns ticks to ms on the turn's time line) and,
 * in detailed sessions, its words. What a conformance target's `expectedFinals` returns for Azure.
 */
export function expectedAzureFinals(session: RecordedAzureSession): TranscriptSegment[] {
  return session.turns.flatMap((turn) =>
    turn.messages.flatMap((message) => {
      const body = message.body as PhraseBody | undefined;
      const text = body?.DisplayText;
      if (message.path !== "speech.phrase" || body?.RecognitionStatus !== "Success" || typeof text !== "string" || text.trim().length === 0) return [];
      if (typeof body.Offset !== "number" || typeof body.Duration !== "number") return [];
      const words = (body.NBest?.[0]?.Words ?? []).flatMap((word) =>
        typeof word.Word === "string" && typeof word.Offset === "number" && typeof word.Duration === "number"
          ? [{ text: word.Word, startMs: ticksToMs(word.Offset), endMs: ticksToMs(word.Offset + word.Duration) }]
          : [],
      );
      return [{ text, startMs: ticksToMs(body.Offset), endMs: ticksToMs(body.Offset + body.Duration), ...(words.length > 0 ? { words } : {}) }];
    }),
  );
}
