import { parseLanguage, type Language, type TranscriptSegment, type WordTiming } from "@sttkit/core";

/**
 * What the fast transcription API answered, as the adapter uses it: the phrases as segments on
 * the file's time line, and the audio's duration.
 */
export interface FastTranscriptionReading {
  readonly segments: readonly TranscriptSegment[];
  /** `durationMilliseconds`, when the answer has it. */
  readonly durationMs?: number;
}

/** An answer with more phrases (or words in one phrase) than this is cut: far beyond 2 hours of speech. */
const MAX_ITEMS = 200_000;

type Fields = Record<string, unknown>;

function record(value: unknown): Fields | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Fields) : undefined;
}

function list(value: unknown): Fields[] {
  if (!Array.isArray(value)) return [];
  return value.slice(0, MAX_ITEMS).flatMap((item: unknown): Fields[] => {
    const fields = record(item);
    return fields ? [fields] : [];
  });
}

function finite(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

function span(fields: Fields): { startMs: number; endMs: number } | undefined {
  const offset = finite(fields["offsetMilliseconds"]);
  const duration = finite(fields["durationMilliseconds"]);
  if (offset === undefined || offset < 0) return undefined;
  return { startMs: offset, endMs: offset + Math.max(0, duration ?? 0) };
}

/**
 * Speakers numbered from 0 in the order they first speak: the service numbers them from 1 "without
 * particular order", the contract from 0, stable within one file.
 */
class SpeakerNumbers {
  readonly #numbers = new Map<number, number>();

  of(value: unknown): number | undefined {
    const speaker = finite(value);
    if (speaker === undefined) return undefined;
    let number = this.#numbers.get(speaker);
    if (number === undefined) {
      number = this.#numbers.size;
      this.#numbers.set(speaker, number);
    }
    return number;
  }
}

function language(value: unknown, fallback: Language | undefined): Language | undefined {
  if (typeof value !== "string" || value === "") return fallback;
  const parsed = parseLanguage(value);
  return parsed.isOk() ? parsed.value : fallback;
}

function words(phrase: Fields, speaker: number | undefined): WordTiming[] {
  return list(phrase["words"]).flatMap((word) => {
    const text = word["text"];
    const at = span(word);
    if (typeof text !== "string" || text.length === 0 || !at) return [];
    return [{ text, ...at, ...(speaker !== undefined ? { speaker } : {}) }];
  });
}

/**
 * Reads a fast transcription answer defensively: each phrase (`offsetMilliseconds`,
 * `durationMilliseconds`, `text`, `confidence`, `locale`, `speaker`, `channel`, `words`) becomes a segment,
 * in time order. Words are kept when they were asked for. `undefined` when the body is not an answer.
 */
export function readFastTranscription(
  body: unknown,
  options: { readonly fallbackLanguage: Language | undefined; readonly wordTimings: boolean },
): FastTranscriptionReading | undefined {
  const root = record(body);
  if (!root || !Array.isArray(root["phrases"])) return undefined;
  const speakers = new SpeakerNumbers();
  // In time order before numbering speakers, so that the first to speak is speaker 0.
  const timed = list(root["phrases"]).flatMap((phrase) => {
    const text = phrase["text"];
    const at = span(phrase);
    return typeof text === "string" && text.trim().length > 0 && at ? [{ phrase, text, at }] : [];
  });
  timed.sort((a, b) => a.at.startMs - b.at.startMs);
  const segments = timed.map(({ phrase, text, at }): TranscriptSegment => {
    const speaker = speakers.of(phrase["speaker"]);
    const confidence = finite(phrase["confidence"]);
    const channel = finite(phrase["channel"]);
    const locale = language(phrase["locale"], options.fallbackLanguage);
    const phraseWords = options.wordTimings ? words(phrase, speaker) : [];
    return {
      text,
      ...at,
      ...(locale ? { language: locale } : {}),
      ...(confidence !== undefined ? { confidence } : {}),
      ...(options.wordTimings ? { words: phraseWords } : {}),
      ...(speaker !== undefined ? { speaker } : {}),
      ...(channel !== undefined ? { channel } : {}),
    };
  });
  const durationMs = finite(root["durationMilliseconds"]);
  return { segments, ...(durationMs !== undefined ? { durationMs } : {}) };
}
