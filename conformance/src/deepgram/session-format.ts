/**
 * Deepgram's recorded sessions, in the shared envelope (`sessions/envelope.ts`): one turn holding
 * the JSON messages the listen WebSocket sent for one fixture, each with the audio position it
 * was sent at, and the pre-recorded endpoint's answer for the whole file as `batch`. Stored at
 * `fixtures/sessions/deepgram/<fixture id>.json`.
 *
 * @module
 */
import { RECORDED_SESSION_FORMAT, type RecordedMessage, type RecordedSession } from "../sessions/envelope.js";

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

/**
 * Checks that parsed JSON is a Deepgram session this package can replay: the envelope's format,
 * provider `deepgram`, and timed messages each with a `type`. Returns the problem, or `undefined`.
 */
export function deepgramSessionProblem(value: unknown): string | undefined {
  const session = value as Partial<RecordedDeepgramSession> | undefined;
  if (typeof session !== "object" || session === null) return "not an object";
  if (session.format !== RECORDED_SESSION_FORMAT) return `format is not ${RECORDED_SESSION_FORMAT}`;
  if (session.provider !== "deepgram") return "provider is not deepgram";
  if (!Array.isArray(session.turns)) return "turns is not a list";
  for (const turn of session.turns) {
    if (!Array.isArray(turn?.messages)) return "a turn without messages";
    for (const message of turn.messages) {
      if (typeof message?.type !== "string" || typeof message.atAudioMs !== "number") return "a message without type or atAudioMs";
    }
  }
  return undefined;
}

/** The final transcripts a session delivers, in order: every `Results` with `is_final` and text. */
export function deepgramFinalTexts(session: RecordedDeepgramSession): string[] {
  return session.turns.flatMap((turn) =>
    turn.messages.flatMap((message) => {
      if (message.type !== "Results" || message["is_final"] !== true) return [];
      const alternatives = (message["channel"] as { alternatives?: Array<{ transcript?: unknown }> } | undefined)?.alternatives;
      const text = alternatives?.[0]?.transcript;
      return typeof text === "string" && text.trim().length > 0 ? [text] : [];
    }),
  );
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
