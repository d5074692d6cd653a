/**
 * Deepgram's recorded sessions, in the shared envelope (`sessions/envelope.ts`): one turn holding
 * the JSON messages the listen WebSocket sent for one fixture, each with the audio position it
 * was sent at, and the pre-recorded endpoint's answer for the whole file as `batch`. Stored at
 * `fixtures/sessions/deepgram/<fixture id>.json`.
 *
 * @module
 */
import { err, ok, type Result } from "neverthrow";
import type { SttError, TranscriptSegment, WordTiming } from "@sttkit/core";
import { invalidFixtures } from "../manifest/load.js";
import type { RecordedMessage, RecordedSession } from "../sessions/envelope.js";
import { checkRecordedSession, loadRecordedSession } from "../sessions/load.js";

/** One server message of the listen WebSocket, verbatim: `Results`, `SpeechStarted`, `UtteranceEnd`, `Metadata`, `Error`. */
export interface DeepgramWireMessage {
  /** Deepgram's message type. */
  readonly type: string;
  /** The message's other fields, as Deepgram sent them. */
  readonly [field: string]: unknown;
}

/** What a Deepgram session was recorded with: the listen query, as sent. */
export interface DeepgramRecordingRequest {
  /** The query parameters of the listen upgrade (lists for repeated keys). */
  readonly query: Readonly<Record<string, string | readonly string[]>>;
}

/** A recorded Deepgram session. */
export type RecordedDeepgramSession = RecordedSession<DeepgramWireMessage, DeepgramRecordingRequest>;

/** One recorded Deepgram message with its timing. */
export type RecordedDeepgramMessage = RecordedMessage<DeepgramWireMessage>;

/** The envelope's timing fields, which are not part of the message sent on the wire. */
const TIMING_FIELDS: ReadonlySet<string> = new Set(["atAudioMs", "delayMs", "afterEndOfAudio"]);

/** The message as it goes on the wire: the recorded fields without the envelope's timing. */
export function wireMessage(message: RecordedDeepgramMessage): DeepgramWireMessage {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(message)) if (!TIMING_FIELDS.has(key)) out[key] = value;
  return out as DeepgramWireMessage;
}

/** Checks that every message is a Deepgram message (a `type`), on top of the envelope. */
function checkDeepgramMessages(session: RecordedSession): Result<RecordedDeepgramSession, string> {
  for (const [turnIndex, turn] of session.turns.entries()) {
    const bad = turn.messages.findIndex((message) => typeof (message as { type?: unknown }).type !== "string");
    if (bad >= 0) return err(`turn #${turnIndex}, message #${bad} has no type`);
  }
  return ok(session as unknown as RecordedDeepgramSession);
}

/**
 * Checks parsed JSON as a Deepgram session this package can replay: the shared envelope (format,
 * provider `deepgram`, audio reference, timed messages) and a `type` on every message. The error
 * is the problem.
 */
export function checkDeepgramSession(value: unknown): Result<RecordedDeepgramSession, string> {
  const fixture = typeof value === "object" && value !== null ? (value as { fixture?: unknown }).fixture : undefined;
  return checkRecordedSession(value, "deepgram", typeof fixture === "string" ? fixture : "").andThen(checkDeepgramMessages);
}

/** Reads the recorded Deepgram session of a fixture: {@link loadRecordedSession} plus a check of the messages. */
export function loadDeepgramSession(fixtureId: string, directory?: string): Result<RecordedDeepgramSession, SttError> {
  return loadRecordedSession(fixtureId, "deepgram", directory).andThen((session) =>
    checkDeepgramMessages(session).orElse((problem) => invalidFixtures(`The recorded deepgram session of ${fixtureId}: ${problem}.`)),
  );
}

interface WireWord {
  readonly word?: unknown;
  readonly punctuated_word?: unknown;
  readonly start?: unknown;
  readonly end?: unknown;
}

const ms = (seconds: number): number => Math.round(seconds * 1000);

/**
 * The finals an adapter replaying this session must deliver, exactly: every `Results` with
 * `is_final` and text, with the span of its words (of its audio window when it has none) and its
 * words in their punctuated form, seconds turned into milliseconds. What a conformance target's
 * `expectedFinals` returns for Deepgram.
 */
export function expectedDeepgramFinals(session: RecordedDeepgramSession): TranscriptSegment[] {
  return session.turns.flatMap((turn) =>
    turn.messages.flatMap((message) => {
      if (message.type !== "Results" || message["is_final"] !== true) return [];
      const alternative = (message["channel"] as { alternatives?: Array<{ transcript?: unknown; words?: readonly WireWord[] }> } | undefined)?.alternatives?.[0];
      const text = alternative?.transcript;
      if (typeof text !== "string" || text.trim().length === 0) return [];
      const words: WordTiming[] = (alternative?.words ?? []).flatMap((word) => {
        const shown = typeof word.punctuated_word === "string" ? word.punctuated_word : word.word;
        return typeof shown === "string" && typeof word.start === "number" && typeof word.end === "number" ? [{ text: shown, startMs: ms(word.start), endMs: ms(word.end) }] : [];
      });
      const start = typeof message["start"] === "number" ? message["start"] : 0;
      const duration = typeof message["duration"] === "number" ? message["duration"] : 0;
      const first = words[0];
      const last = words.at(-1);
      const span = first && last ? { startMs: first.startMs, endMs: last.endMs } : { startMs: ms(start), endMs: ms(start + duration) };
      return [{ text, ...span, ...(words.length > 0 ? { words } : {}) }];
    }),
  );
}

/** The final transcripts a session delivers, in order (the texts of {@link expectedDeepgramFinals}). */
export function deepgramFinalTexts(session: RecordedDeepgramSession): string[] {
  return expectedDeepgramFinals(session).map((segment) => segment.text);
}

/** Moves a message `baseMs` earlier: its audio position and every time in it (seconds) shifted, as on a connection whose audio starts there. */
export function rebaseDeepgramMessage(message: RecordedDeepgramMessage, baseMs: number): RecordedDeepgramMessage {
  if (baseMs === 0) return message;
  const base = baseMs / 1000;
  const shift = (value: unknown): number => (typeof value === "number" ? Math.max(0, Math.round((value - base) * 1e6) / 1e6) : (value as number));
  const moved: Record<string, unknown> = { ...message, atAudioMs: Math.max(0, message.atAudioMs - baseMs) };
  if (message.type === "Results") {
    moved["start"] = shift(message["start"]);
    const channel = message["channel"] as { alternatives?: Array<Record<string, unknown>> } | undefined;
    moved["channel"] = {
      ...channel,
      alternatives: (channel?.alternatives ?? []).map((alternative) => ({
        ...alternative,
        words: ((alternative["words"] as Array<Record<string, unknown>> | undefined) ?? []).map((word) => ({ ...word, start: shift(word["start"]), end: shift(word["end"]) })),
      })),
    };
  }
  if (message.type === "SpeechStarted") moved["timestamp"] = shift(message["timestamp"]);
  if (message.type === "UtteranceEnd") moved["last_word_end"] = shift(message["last_word_end"]);
  return moved as RecordedDeepgramMessage;
}

/**
 * What of a recorded message a recognizer whose audio starts at `baseMs` on the recording would
 * still send (its times not yet moved): a `Results` keeps only the words that end after that
 * point (dropped when none is left, unless it had none: an empty final of later audio), a
 * `SpeechStarted` or `UtteranceEnd` only when it lies after it; `Metadata` and the rest always.
 */
export function heardAfter(message: RecordedDeepgramMessage, baseMs: number): RecordedDeepgramMessage | undefined {
  const base = baseMs / 1000 + 0.001;
  if (message.type === "SpeechStarted") return (message["timestamp"] as number) > base ? message : undefined;
  if (message.type === "UtteranceEnd") return (message["last_word_end"] as number) > base ? message : undefined;
  if (message.type !== "Results") return message;
  const start = message["start"] as number;
  const end = start + (message["duration"] as number);
  if (end <= base) return undefined;
  const channel = message["channel"] as { alternatives?: Array<Record<string, unknown>> } | undefined;
  const alternative = channel?.alternatives?.[0];
  const words = (alternative?.["words"] as Array<Record<string, unknown>> | undefined) ?? [];
  const kept = words.filter((word) => (word["end"] as number) > base);
  if (words.length > 0 && kept.length === 0) return undefined;
  if (kept.length === words.length && start >= base - 0.001) return message;
  const transcript = kept.map((word) => (typeof word["punctuated_word"] === "string" && message["is_final"] === true ? word["punctuated_word"] : word["word"])).join(" ");
  return {
    ...message,
    start: Math.max(start, baseMs / 1000),
    duration: end - Math.max(start, baseMs / 1000),
    channel: { ...channel, alternatives: [{ ...alternative, transcript: kept.length === words.length ? alternative?.["transcript"] : transcript, words: kept }] },
  } as RecordedDeepgramMessage;
}
