import type { Language, TranscriptSegment } from "@sttkit/core";
import { finite, readWord, record } from "./messages.js";
import { languageOf, mainSpeaker, wordTiming } from "./results.js";

/**
 * The pre-recorded endpoint's answer, read defensively: `results.utterances` (asked for with
 * `utterances=true`) become the segments; without them, the first channel's transcript is one
 * segment. Times are seconds from the start of the file.
 */
export interface PrerecordedReading {
  readonly segments: readonly TranscriptSegment[];
  /** `metadata.duration`, when present. */
  readonly durationSeconds?: number;
}

const MAX_ITEMS = 100_000;

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value.slice(0, MAX_ITEMS) : [];
}

const ms = (seconds: number): number => Math.round(seconds * 1000);

function segment(
  source: Record<string, unknown>,
  span: { start: number; end: number },
  options: { languages: readonly Language[]; wordTimings: boolean; detected?: string },
): TranscriptSegment | undefined {
  const text = source["transcript"];
  if (typeof text !== "string" || text.trim().length === 0) return undefined;
  const words = list(source["words"]).flatMap((item) => readWord(item) ?? []);
  const confidence = finite(source["confidence"]);
  const speaker = finite(source["speaker"]) ?? mainSpeaker(words);
  const language = languageOf(options.detected, options.languages);
  return {
    text,
    startMs: ms(span.start),
    endMs: Math.max(ms(span.start), ms(span.end)),
    ...(language ? { language } : {}),
    ...(confidence !== undefined ? { confidence } : {}),
    ...(words.length > 0 ? { lexical: words.map((word) => word.word).join(" ") } : {}),
    ...(options.wordTimings ? { words: words.map((word) => wordTiming(word, 0)) } : {}),
    ...(speaker !== undefined ? { speaker } : {}),
  };
}

/** Reads a pre-recorded response body; `undefined` when it is not one. */
export function readPrerecordedResponse(body: unknown, options: { languages: readonly Language[]; wordTimings: boolean }): PrerecordedReading | undefined {
  const root = record(body);
  const results = record(root?.["results"]);
  if (!results) return undefined;
  const durationSeconds = finite(record(root?.["metadata"])?.["duration"]);
  const channel = record(list(results["channels"])[0]);
  const detected = typeof channel?.["detected_language"] === "string" ? channel["detected_language"] : undefined;
  const settings = { ...options, ...(detected ? { detected } : {}) };
  const utterances = list(results["utterances"]).map(record).filter((u): u is Record<string, unknown> => u !== undefined);
  let segments: TranscriptSegment[];
  if (utterances.length > 0) {
    segments = utterances.flatMap((utterance) => {
      const start = finite(utterance["start"]);
      const end = finite(utterance["end"]);
      const read = start === undefined || end === undefined ? undefined : segment(utterance, { start, end }, settings);
      return read ? [read] : [];
    });
  } else {
    const alternative = record(list(channel?.["alternatives"])[0]);
    if (!alternative && !channel) return undefined;
    const words = list(alternative?.["words"]).map(record);
    const start = finite(words[0]?.["start"]) ?? 0;
    const end = finite(words.at(-1)?.["end"]) ?? durationSeconds ?? 0;
    const read = alternative ? segment(alternative, { start, end }, settings) : undefined;
    segments = read ? [read] : [];
  }
  return { segments, ...(durationSeconds !== undefined ? { durationSeconds } : {}) };
}
