/**
 * The listen WebSocket's server messages, read defensively: the SDK hands over whatever JSON the
 * server sent (or the raw text when it does not parse), so every field is checked here and the
 * rest of the adapter works with these types only.
 *
 * @module
 */
import { isRecord } from "@sttkit/core/kit";

/** One recognised word. Times in seconds on the connection's own audio. */
export interface DeepgramWord {
  readonly word: string;
  readonly punctuatedWord?: string;
  readonly start: number;
  readonly end: number;
  readonly confidence?: number;
  readonly speaker?: number;
  readonly language?: string;
}

/** A `Results` message: a transcript of the audio from `start` for `duration` seconds. */
export interface DeepgramResults {
  readonly type: "Results";
  readonly start: number;
  readonly duration: number;
  /** The transcript of this span will not change: a final segment. */
  readonly isFinal: boolean;
  /** Endpointing found the end of an utterance here. */
  readonly speechFinal: boolean;
  /** Sent in answer to a `Finalize` message. */
  readonly fromFinalize: boolean;
  readonly transcript: string;
  readonly confidence?: number;
  /** The words as sent; read them with {@link resultWords} (only finals need them, so interims skip the work). */
  readonly rawWords: readonly unknown[];
  /** Start of the first word and end of the last, in seconds, when the result has words. */
  readonly wordSpan?: { readonly start: number; readonly end: number };
  /** Languages detected (with `language=multi`), most used first. */
  readonly languages: readonly string[];
}

/** The server's other messages, and what a message that could not be read becomes. */
export type DeepgramMessage =
  | DeepgramResults
  | { readonly type: "SpeechStarted"; readonly timestamp: number }
  | { readonly type: "UtteranceEnd"; readonly lastWordEnd: number }
  | { readonly type: "Metadata"; readonly duration?: number; readonly requestId?: string }
  | { readonly type: "Error"; readonly code?: string; readonly description: string }
  | { readonly type: "Unreadable"; readonly detail: string }
  | { readonly type: "Other"; readonly name: string };

/** The most words read from one message; the transcript of one span never comes near it. */
const MAX_WORDS = 10_000;
/** The most characters of server text kept (transcripts, error descriptions). */
const MAX_TEXT = 100_000;

/** A plain object, or `undefined`. */
export function record(value: unknown): Record<string, unknown> | undefined {
  return isRecord(value) ? value : undefined;
}

/** A finite number, or `undefined`. */
export function finite(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === "string" ? value.slice(0, MAX_TEXT) : undefined;
}

/** One word as Deepgram sends it (streaming and pre-recorded alike), or `undefined` when malformed. */
export function readWord(value: unknown): DeepgramWord | undefined {
  const word = record(value);
  const spoken = text(word?.["word"]);
  const start = finite(word?.["start"]);
  const end = finite(word?.["end"]);
  if (!word || spoken === undefined || start === undefined || end === undefined) return undefined;
  const punctuated = text(word["punctuated_word"]);
  const confidence = finite(word["confidence"]);
  const speaker = finite(word["speaker"]);
  const language = text(word["language"]);
  return {
    word: spoken,
    start,
    end,
    ...(punctuated !== undefined ? { punctuatedWord: punctuated } : {}),
    ...(confidence !== undefined ? { confidence } : {}),
    ...(speaker !== undefined && Number.isInteger(speaker) && speaker >= 0 ? { speaker } : {}),
    ...(language !== undefined ? { language } : {}),
  };
}

function readResults(message: Record<string, unknown>): DeepgramMessage {
  const start = finite(message["start"]);
  const duration = finite(message["duration"]);
  const alternative = record((record(message["channel"])?.["alternatives"] as unknown[] | undefined)?.[0]);
  const transcript = text(alternative?.["transcript"]);
  if (start === undefined || duration === undefined || transcript === undefined || !alternative) {
    return { type: "Unreadable", detail: "a Results message without start, duration or a transcript" };
  }
  const rawWords = Array.isArray(alternative["words"]) ? (alternative["words"] as unknown[]) : [];
  const start0 = finite(record(rawWords[0])?.["start"]);
  const endN = finite(record(rawWords[rawWords.length - 1])?.["end"]);
  const languages = Array.isArray(alternative["languages"]) ? (alternative["languages"] as unknown[]).filter((l): l is string => typeof l === "string").slice(0, 16) : [];
  const confidence = finite(alternative["confidence"]);
  return {
    type: "Results",
    start,
    duration,
    isFinal: message["is_final"] === true,
    speechFinal: message["speech_final"] === true,
    fromFinalize: message["from_finalize"] === true,
    transcript,
    rawWords,
    ...(start0 !== undefined && endN !== undefined ? { wordSpan: { start: start0, end: Math.max(start0, endN) } } : {}),
    languages,
    ...(confidence !== undefined ? { confidence } : {}),
  };
}

const wordCache = new WeakMap<DeepgramResults, readonly DeepgramWord[]>();

/** The words of a result, read and checked once (at most {@link MAX_WORDS}); malformed words are left out. */
export function resultWords(results: DeepgramResults): readonly DeepgramWord[] {
  let words = wordCache.get(results);
  if (!words) {
    words = results.rawWords
      .slice(0, MAX_WORDS)
      .map(readWord)
      .filter((word): word is DeepgramWord => word !== undefined);
    wordCache.set(results, words);
  }
  return words;
}

/** Reads one message as the SDK delivers it (parsed JSON, or the raw text when it did not parse). */
export function readMessage(data: unknown): DeepgramMessage {
  if (typeof data === "string") return { type: "Unreadable", detail: `a text frame that is not JSON (${data.length} characters)` };
  const message = record(data);
  if (!message) return { type: "Unreadable", detail: "a message that is not a JSON object" };
  switch (message["type"]) {
    case "Results":
      return readResults(message);
    case "SpeechStarted": {
      const timestamp = finite(message["timestamp"]);
      return timestamp === undefined ? { type: "Unreadable", detail: "a SpeechStarted message without a timestamp" } : { type: "SpeechStarted", timestamp };
    }
    case "UtteranceEnd": {
      const lastWordEnd = finite(message["last_word_end"]);
      return lastWordEnd === undefined ? { type: "Unreadable", detail: "an UtteranceEnd message without last_word_end" } : { type: "UtteranceEnd", lastWordEnd };
    }
    case "Metadata": {
      const duration = finite(message["duration"]);
      const requestId = text(message["request_id"]);
      return { type: "Metadata", ...(duration !== undefined ? { duration } : {}), ...(requestId !== undefined ? { requestId: requestId.slice(0, 128) } : {}) };
    }
    case "Error": {
      const code = text(message["err_code"]) ?? text(message["variant"]);
      const description = text(message["description"]) ?? text(message["err_msg"]) ?? text(message["message"]) ?? "no description";
      return { type: "Error", description: description.slice(0, 1_000), ...(code ? { code: code.slice(0, 64) } : {}) };
    }
    default:
      return { type: "Other", name: typeof message["type"] === "string" ? message["type"].slice(0, 64) : "untyped" };
  }
}
