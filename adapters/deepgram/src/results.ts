import { languageBase, parseLanguage, type InterimTranscriptEvent, type Language, type TranscriptSegment, type WordTiming } from "@sttkit/core";
import { resultWords, type DeepgramResults, type DeepgramWord } from "./messages.js";

/** How to place a connection's results on the stream: its time base and what the stream asked for. */
export interface ResultContext {
  /** Where the connection's audio starts on the stream's time line, in ms. */
  readonly baseMs: number;
  /** The languages the stream asked for (several: `multi`, the detected one is reported). */
  readonly languages: readonly Language[];
  /** Whether finals carry their words. */
  readonly wordTimings: boolean;
}

/** Seconds on a connection's audio to milliseconds on the stream's time line. */
export function streamMs(seconds: number, baseMs: number): number {
  return Math.round(baseMs + seconds * 1000);
}

/** Where a result's audio window ends on the stream's time line: everything before it is transcribed. */
export function windowEndMs(results: DeepgramResults, baseMs: number): number {
  return streamMs(results.start + results.duration, baseMs);
}

/**
 * The core language of a Deepgram code: one the stream asked for with the same base language
 * (`en` is the `en-GB` asked for), else the code itself when it is a full locale.
 */
export function languageOf(code: string | undefined, languages: readonly Language[]): Language | undefined {
  if (languages.length === 1) return languages[0];
  if (code === undefined) return undefined;
  const asked = languages.find((language) => language.toLowerCase() === code.toLowerCase() || languageBase(language) === code.toLowerCase());
  if (asked) return asked;
  const parsed = parseLanguage(code);
  return parsed.isOk() ? parsed.value : undefined;
}

/** A word on the stream's time line (`baseMs` 0: on the file's). */
export function wordTiming(word: DeepgramWord, baseMs: number): WordTiming {
  return {
    text: word.punctuatedWord ?? word.word,
    startMs: streamMs(word.start, baseMs),
    endMs: streamMs(word.end, baseMs),
    ...(word.confidence !== undefined ? { confidence: word.confidence } : {}),
    ...(word.speaker !== undefined ? { speaker: word.speaker } : {}),
  };
}

/** The speaker of most words, when diarization labelled them. */
export function mainSpeaker(words: readonly DeepgramWord[]): number | undefined {
  const counts = new Map<number, number>();
  for (const word of words) if (word.speaker !== undefined) counts.set(word.speaker, (counts.get(word.speaker) ?? 0) + 1);
  let best: number | undefined;
  for (const [speaker, count] of counts) if (best === undefined || count > (counts.get(best) ?? 0)) best = speaker;
  return best;
}

/** The span a result covers: its words when it has some, else its audio window. */
function span(results: DeepgramResults, baseMs: number): { startMs: number; endMs: number } {
  const words = results.wordSpan;
  if (words) return { startMs: streamMs(words.start, baseMs), endMs: streamMs(words.end, baseMs) };
  return { startMs: streamMs(results.start, baseMs), endMs: windowEndMs(results, baseMs) };
}

/** A final `Results` message as a transcript segment on the stream's time line. */
export function segmentFromResults(results: DeepgramResults, context: ResultContext): TranscriptSegment {
  const words = resultWords(results);
  const language = languageOf(results.languages[0] ?? words.find((w) => w.language)?.language, context.languages);
  const speaker = mainSpeaker(words);
  return {
    text: results.transcript,
    ...span(results, context.baseMs),
    ...(language ? { language } : {}),
    ...(results.confidence !== undefined ? { confidence: results.confidence } : {}),
    ...(words.length > 0 ? { lexical: words.map((w) => w.word).join(" ") } : {}),
    ...(context.wordTimings ? { words: words.map((w) => wordTiming(w, context.baseMs)) } : {}),
    ...(speaker !== undefined ? { speaker } : {}),
  };
}

/** An interim `Results` message as an interim event on the stream's time line. */
export function interimFromResults(results: DeepgramResults, context: ResultContext): InterimTranscriptEvent {
  const language = languageOf(results.languages[0], context.languages);
  return { type: "interim", text: results.transcript, ...span(results, context.baseMs), ...(language ? { language } : {}) };
}
