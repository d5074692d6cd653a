/**
 * OpenAI sessions in the shared recorded-session envelope: for one fixture, the Realtime server
 * events of one transcription connection (each with the amount of audio the service had received
 * when it sent it) in `turns[0]`, and the answers of the batch endpoint
 * (`POST /v1/audio/transcriptions`) per model and response format in `batch`. One JSON file per
 * fixture, under `fixtures/sessions/openai/<fixture id>.json`.
 *
 * @module
 */
import { wordsBySegment } from "@sttkit/core/kit";
import { err, ok, type Result } from "neverthrow";
import type { SttError, TranscriptSegment, WordTiming } from "@sttkit/core";
import { invalidFixtures } from "../manifest/load.js";
import type { RecordedMessage, RecordedSession } from "../sessions/envelope.js";
import { loadRecordedSession } from "../sessions/load.js";

/** The provider name of the OpenAI sessions (the folder under `sessions/`). */
export const OPENAI_PROVIDER = "openai";

/** One Realtime API server event, verbatim: the JSON object the service sent, with its `type`. */
export interface OpenAIServerEvent {
  /** `input_audio_buffer.speech_started`, `conversation.item.input_audio_transcription.completed`, `error`, ... */
  readonly type: string;
  /** The event's other fields, as the service sent them. */
  readonly [field: string]: unknown;
}

/** The OpenAI fields of one recorded Realtime server event. */
export interface OpenAIMessageFields {
  /** The event as the service sent it. */
  readonly event: OpenAIServerEvent;
}

/** One recorded Realtime server event with its timing. */
export type RecordedOpenAIMessage = RecordedMessage<OpenAIMessageFields>;

/** Server voice activity detection as a session was recorded with (the Realtime `turn_detection`). */
export interface OpenAITurnDetection {
  /** Always `server_vad`. */
  readonly type: "server_vad";
  /** Activation threshold, 0 to 1. */
  readonly threshold: number;
  /** Audio kept before detected speech, ms: `audio_start_ms` lies this much before the speech. */
  readonly prefixPaddingMs: number;
  /** Silence that ends speech, ms: `audio_end_ms` lies this much after the speech. */
  readonly silenceDurationMs: number;
}

/** What an OpenAI session was recorded with. */
export interface OpenAISessionRequest {
  /** The Realtime transcription session. */
  readonly realtime: {
    /** The transcription model (`gpt-4o-transcribe`, `gpt-4o-mini-transcribe`, `whisper-1`). */
    readonly model: string;
    /** The ISO 639-1 language given to the service, if one was. */
    readonly language?: string;
    /** Voice activity detection. */
    readonly turnDetection: OpenAITurnDetection;
  };
}

/**
 * The batch endpoint's answers, as `batch.body` of the envelope: per model, per response format
 * (`json`, `verbose_json`), the JSON body the service returned for the whole fixture. The
 * `whisper-1` `verbose_json` answer is recorded with word and segment timestamps: the replay
 * server also derives its answers for parts of the audio from those words.
 */
export type OpenAIBatchAnswers = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

/** A whole recorded OpenAI session for one fixture. */
export type RecordedOpenAISession = RecordedSession<OpenAIMessageFields, OpenAISessionRequest>;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Checks the OpenAI parts on top of the envelope: events with a type, VAD settings, batch answers per model and format. */
function checkOpenAISession(session: RecordedSession): Result<RecordedOpenAISession, string> {
  const realtime = (session.request as { realtime?: unknown }).realtime;
  if (!isRecord(realtime) || typeof realtime["model"] !== "string") return err("request.realtime must name the model");
  const vad = realtime["turnDetection"];
  if (!isRecord(vad) || vad["type"] !== "server_vad" || !["threshold", "prefixPaddingMs", "silenceDurationMs"].every((key) => typeof vad[key] === "number")) {
    return err("request.realtime.turnDetection must be { type: \"server_vad\", threshold, prefixPaddingMs, silenceDurationMs }");
  }
  for (const [turnIndex, turn] of session.turns.entries()) {
    const bad = turn.messages.findIndex((message) => {
      const event = (message as { event?: unknown }).event;
      return !isRecord(event) || typeof event["type"] !== "string";
    });
    if (bad >= 0) return err(`turn #${turnIndex}, message #${bad} has no event with a type`);
  }
  if (session.batch !== undefined) {
    const body = session.batch.body;
    if (!isRecord(body) || !Object.values(body).every(isRecord)) return err("batch.body must map each model to its answers by response format");
  }
  return ok(session as unknown as RecordedOpenAISession);
}

/** Reads the recorded OpenAI session of a fixture: {@link loadRecordedSession} plus a check of the OpenAI parts. */
export function loadOpenAISession(fixtureId: string, directory?: string): Result<RecordedOpenAISession, SttError> {
  return loadRecordedSession(fixtureId, OPENAI_PROVIDER, directory).andThen((session) =>
    checkOpenAISession(session).orElse((problem) => invalidFixtures(`The recorded openai session of ${fixtureId}: ${problem}.`)),
  );
}

/** The realtime events of a session, in order. */
export function realtimeMessages(session: RecordedOpenAISession): readonly RecordedOpenAIMessage[] {
  return session.turns[0]?.messages ?? [];
}

interface ItemTimes {
  startMs?: number;
  endMs?: number;
  text?: string;
}

const numberField = (event: OpenAIServerEvent, field: string): number | undefined => (typeof event[field] === "number" ? (event[field] as number) : undefined);
const textField = (event: OpenAIServerEvent, field: string): string | undefined => (typeof event[field] === "string" ? (event[field] as string) : undefined);

/**
 * The finals an adapter replaying this session's Realtime events must deliver, exactly: every
 * completed transcription with text, in the order the items were committed, with the speech's
 * extent on the stream's time line. `speech_started.audio_start_ms` includes the prefix padding
 * and `speech_stopped.audio_end_ms` the closing silence (as the API documents both), so the
 * speech runs from `audio_start_ms + prefixPaddingMs` to `audio_end_ms - silenceDurationMs`. An
 * item the client committed itself at the end of the audio ends there (`audio.durationMs`) and
 * starts where the speech started, or at the previous item's end when the service saw none.
 * What a conformance target's `expectedFinals` returns for the Realtime path.
 */
export function expectedOpenAIFinals(session: RecordedOpenAISession): TranscriptSegment[] {
  const { prefixPaddingMs, silenceDurationMs } = session.request.realtime.turnDetection;
  const items = new Map<string, ItemTimes>();
  const order: string[] = [];
  let boundaryMs = 0;
  const item = (id: string): ItemTimes => {
    let found = items.get(id);
    if (!found) items.set(id, (found = {}));
    return found;
  };
  for (const { event } of realtimeMessages(session)) {
    const id = textField(event, "item_id");
    if (id === undefined) continue;
    if (event.type === "input_audio_buffer.speech_started") {
      const at = numberField(event, "audio_start_ms");
      if (at !== undefined) item(id).startMs = at + prefixPaddingMs;
    } else if (event.type === "input_audio_buffer.speech_stopped") {
      const at = numberField(event, "audio_end_ms");
      if (at !== undefined) {
        item(id).endMs = Math.max(at - silenceDurationMs, item(id).startMs ?? 0);
        boundaryMs = at;
      }
    } else if (event.type === "input_audio_buffer.committed") {
      const times = item(id);
      if (!order.includes(id)) order.push(id);
      if (times.endMs === undefined) {
        times.endMs = session.audio.durationMs;
        times.startMs ??= boundaryMs;
        boundaryMs = session.audio.durationMs;
      }
    } else if (event.type === "conversation.item.input_audio_transcription.completed") {
      item(id).text = textField(event, "transcript") ?? "";
    }
  }
  return order.flatMap((id) => {
    const times = items.get(id);
    const text = times?.text?.trim() ?? "";
    if (!times || text.length === 0 || times.startMs === undefined || times.endMs === undefined) return [];
    return [{ text, startMs: Math.min(times.startMs, times.endMs), endMs: times.endMs }];
  });
}

/** The `whisper-1` `verbose_json` answer's shape, as far as the double and the expectations read it. */
export interface VerboseTranscription {
  /** The whole text. */
  readonly text: string;
  /** Seconds of audio. */
  readonly duration?: number;
  /** The language the model detected, as an English name (`english`). */
  readonly language?: string;
  /** Segments with their times in seconds. */
  readonly segments?: ReadonlyArray<{ readonly text: string; readonly start: number; readonly end: number; readonly [field: string]: unknown }>;
  /** Words with their times in seconds. */
  readonly words?: ReadonlyArray<{ readonly word: string; readonly start: number; readonly end: number }>;
}

/** The recorded batch answer of `model` in `responseFormat`, if the session has one. */
export function batchAnswer(session: RecordedOpenAISession, model: string, responseFormat: string): unknown {
  const body = session.batch?.body as OpenAIBatchAnswers | undefined;
  return body?.[model]?.[responseFormat];
}

const toMs = (seconds: number): number => Math.round(seconds * 10_000) / 10;

/**
 * The segments `transcribe()` must return for the whole fixture from the recorded batch answer:
 * with `whisper-1` the `verbose_json` segments (times in ms, words inside each segment when
 * `words` is set); with a `gpt-4o` model one segment with the `json` answer's text spanning the
 * audio. Empty when the session has no such answer or it has no text.
 */
export function expectedOpenAIBatchSegments(session: RecordedOpenAISession, model: string, options: { readonly words?: boolean } = {}): TranscriptSegment[] {
  if (model === "whisper-1") {
    const answer = batchAnswer(session, model, "verbose_json") as VerboseTranscription | undefined;
    const segments = answer?.segments ?? [];
    const wordsOf = wordsBySegment(segments, answer?.words ?? []);
    return segments.flatMap((segment, index) => {
      const text = segment.text.trim();
      if (text.length === 0) return [];
      const words: WordTiming[] = (wordsOf[index] ?? []).map((word) => ({ text: word.word, startMs: toMs(word.start), endMs: toMs(word.end) }));
      return [{ text, startMs: toMs(segment.start), endMs: toMs(segment.end), ...(options.words && words.length > 0 ? { words } : {}) }];
    });
  }
  const answer = batchAnswer(session, model, "json") as { text?: unknown } | undefined;
  const text = typeof answer?.text === "string" ? answer.text.trim() : "";
  return text.length === 0 ? [] : [{ text, startMs: 0, endMs: session.audio.durationMs }];
}
