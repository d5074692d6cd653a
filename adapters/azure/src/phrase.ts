import { parseLanguage, type Language, type TranscriptSegment, type WordTiming } from "@sttkit/core";
import { TICKS_PER_MS } from "@sttkit/core/kit";

/** A hypothesis or final phrase as the SDK reports it, with times in ticks on the recognizer's own audio. */
export interface AzurePhrase {
  readonly text: string;
  readonly offsetTicks: number;
  readonly durationTicks: number;
  /** The language the service detected, when it identified one. */
  readonly language?: string;
  /** The service's JSON result (with offsets already on the recognizer's audio), for detailed output. */
  readonly json?: string;
  /** Who spoke (0, 1, ...), when the stream separates speakers (diarization). */
  readonly speaker?: number;
}

/** How phrase times and languages map onto the stream. */
export interface PhraseContext {
  /** Where the recognizer's audio begins on the stream's time line, in milliseconds. */
  readonly baseMs: number;
  /** The language to report when the service names none. */
  readonly language: Language | undefined;
  readonly detailed: boolean;
  readonly wordTimings: boolean;
}

/** Ticks on a recognizer's audio to milliseconds on the stream's time line, to the 0.1 ms. */
export function ticksToStreamMs(ticks: number, baseMs: number): number {
  return Math.round((baseMs + ticks / TICKS_PER_MS) * 10) / 10;
}

/** The detected language as a core {@link Language}; unknown tags fall back to the context's. */
export function phraseLanguage(phrase: AzurePhrase, fallback: Language | undefined): Language | undefined {
  if (phrase.language === undefined || phrase.language === "") return fallback;
  const parsed = parseLanguage(phrase.language);
  return parsed.isOk() ? parsed.value : fallback;
}

interface DetailedWord {
  readonly Word?: unknown;
  readonly Offset?: unknown;
  readonly Duration?: unknown;
  readonly Confidence?: unknown;
}

interface DetailedBest {
  readonly Confidence?: unknown;
  readonly Lexical?: unknown;
  readonly Words?: unknown;
}

function bestAlternative(json: string | undefined): DetailedBest | undefined {
  if (json === undefined) return undefined;
  try {
    const parsed = JSON.parse(json) as { NBest?: unknown };
    return Array.isArray(parsed.NBest) && typeof parsed.NBest[0] === "object" ? (parsed.NBest[0] as DetailedBest) : undefined;
  } catch {
    // A malformed detail block costs the extras, not the transcript.
    return undefined;
  }
}

function wordTimings(best: DetailedBest, baseMs: number): WordTiming[] | undefined {
  if (!Array.isArray(best.Words)) return undefined;
  const words: WordTiming[] = [];
  for (const word of best.Words as DetailedWord[]) {
    if (typeof word.Word !== "string" || typeof word.Offset !== "number" || typeof word.Duration !== "number") continue;
    const startMs = ticksToStreamMs(word.Offset, baseMs);
    words.push({
      text: word.Word,
      startMs,
      endMs: ticksToStreamMs(word.Offset + word.Duration, baseMs),
      ...(typeof word.Confidence === "number" ? { confidence: word.Confidence } : {}),
    });
  }
  return words;
}

/** Builds the final segment for a recognized phrase, on the stream's time line. */
export function segmentFromPhrase(phrase: AzurePhrase, context: PhraseContext): TranscriptSegment {
  const language = phraseLanguage(phrase, context.language);
  const segment: TranscriptSegment = {
    text: phrase.text,
    startMs: ticksToStreamMs(phrase.offsetTicks, context.baseMs),
    endMs: ticksToStreamMs(phrase.offsetTicks + phrase.durationTicks, context.baseMs),
    ...(language ? { language } : {}),
    ...(phrase.speaker !== undefined ? { speaker: phrase.speaker } : {}),
  };
  if (!context.detailed) return segment;
  const best = bestAlternative(phrase.json);
  if (!best) return segment;
  const speaker = phrase.speaker;
  // The service labels whole phrases: each word carries its phrase's speaker.
  const words = context.wordTimings ? wordTimings(best, context.baseMs)?.map((word) => (speaker !== undefined ? { ...word, speaker } : word)) : undefined;
  return {
    ...segment,
    ...(typeof best.Confidence === "number" ? { confidence: best.Confidence } : {}),
    ...(typeof best.Lexical === "string" ? { lexical: best.Lexical } : {}),
    ...(words ? { words } : {}),
  };
}
