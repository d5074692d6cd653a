import type { Language, TranscriptSegment, WordTiming } from "@sttkit/core";
import { languageOf } from "./results.js";

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

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value.slice(0, MAX_ITEMS) : [];
}
function finite(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}
const ms = (seconds: number): number => Math.round(seconds * 1000);

function readWords(value: unknown): { words: WordTiming[]; lexical: string[]; speakers: number[] } {
  const words: WordTiming[] = [];
  const lexical: string[] = [];
  const speakers: number[] = [];
  for (const item of list(value)) {
    const word = record(item);
    const spoken = word?.["word"];
    const start = finite(word?.["start"]);
    const end = finite(word?.["end"]);
    if (!word || typeof spoken !== "string" || start === undefined || end === undefined) continue;
    const punctuated = word["punctuated_word"];
    const confidence = finite(word["confidence"]);
    const speaker = finite(word["speaker"]);
    if (speaker !== undefined) speakers.push(speaker);
    lexical.push(spoken);
    words.push({
      text: typeof punctuated === "string" ? punctuated : spoken,
      startMs: ms(start),
      endMs: ms(end),
      ...(confidence !== undefined ? { confidence } : {}),
      ...(speaker !== undefined ? { speaker } : {}),
    });
  }
  return { words, lexical, speakers };
}

function segment(
  source: Record<string, unknown>,
  span: { start: number; end: number },
  options: { languages: readonly Language[]; wordTimings: boolean; detected?: string },
): TranscriptSegment | undefined {
  const text = source["transcript"];
  if (typeof text !== "string" || text.trim().length === 0) return undefined;
  const { words, lexical, speakers } = readWords(source["words"]);
  const confidence = finite(source["confidence"]);
  const speaker = finite(source["speaker"]) ?? speakers[0];
  const language = languageOf(options.detected, options.languages);
  return {
    text,
    startMs: ms(span.start),
    endMs: Math.max(ms(span.start), ms(span.end)),
    ...(language ? { language } : {}),
    ...(confidence !== undefined ? { confidence } : {}),
    ...(lexical.length > 0 ? { lexical: lexical.join(" ") } : {}),
    ...(options.wordTimings ? { words } : {}),
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
