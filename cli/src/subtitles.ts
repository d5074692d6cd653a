import type { Transcript, TranscriptSegment } from "@sttkit/core";

/** Subtitle formats the CLI writes. */
export type SubtitleFormat = "srt" | "vtt";

/** One subtitle cue: when it shows, and its lines. */
export interface Cue {
  /** Start, ms. */
  readonly startMs: number;
  /** End, ms. */
  readonly endMs: number;
  /** One or two lines of text. */
  readonly lines: readonly string[];
}

/** The usual rules for readable subtitles. */
export const SUBTITLE_RULES = Object.freeze({
  /** Characters per line. */
  maxLineChars: 42,
  /** Lines per cue. */
  maxLines: 2,
  /** The longest a cue stays on screen, ms. */
  maxCueMs: 7_000,
});

interface TimedWord {
  readonly text: string;
  readonly startMs: number;
  readonly endMs: number;
}

/**
 * A segment's words with times: its word timings when it has them, else its text split at spaces
 * with the segment's time shared out by length (an estimate, but one that never leaves the segment).
 */
function wordsOf(segment: TranscriptSegment): TimedWord[] {
  if (segment.words && segment.words.length > 0) {
    // Display text (punctuated, cased) when it has as many words as the timings, else the timed words.
    const display = segment.text.trim().split(/\s+/);
    const useDisplay = display.length === segment.words.length;
    return segment.words.map((word, index) => ({ text: useDisplay ? (display[index] as string) : word.text, startMs: word.startMs, endMs: word.endMs }));
  }
  const tokens = segment.text.trim().split(/\s+/).filter(Boolean);
  const totalChars = tokens.reduce((sum, token) => sum + token.length + 1, 0);
  const span = Math.max(0, segment.endMs - segment.startMs);
  let at = segment.startMs;
  return tokens.map((token) => {
    const length = (span * (token.length + 1)) / totalChars;
    const word = { text: token, startMs: at, endMs: at + length };
    at += length;
    return word;
  });
}

/** Breaks text into at most `maxLines` lines of at most `maxLineChars`, balanced; `undefined` if it does not fit. */
function wrap(words: readonly string[]): string[] | undefined {
  const { maxLineChars, maxLines } = SUBTITLE_RULES;
  const text = words.join(" ");
  if (text.length <= maxLineChars) return [text];
  if (maxLines < 2) return undefined;
  // The split that makes the longer line shortest.
  let best: string[] | undefined;
  for (let cut = 1; cut < words.length; cut++) {
    const lines = [words.slice(0, cut).join(" "), words.slice(cut).join(" ")];
    if (lines.every((line) => line.length <= maxLineChars) && (!best || Math.max(...lines.map((l) => l.length)) < Math.max(...best.map((l) => l.length)))) {
      best = lines;
    }
  }
  return best;
}

/**
 * Cues for a transcript: each final segment's words packed into cues of at most two lines of 42
 * characters shown for at most 7 s, cut at word boundaries (never mid-word, never across segments),
 * in order and never overlapping. A single word longer than a line gets a cue of its own.
 */
export function cuesOf(transcript: Transcript): Cue[] {
  const cues: Cue[] = [];
  for (const segment of transcript.segments) {
    const words = wordsOf(segment);
    let start = 0;
    while (start < words.length) {
      let end = start + 1;
      while (end < words.length) {
        const next = words.slice(start, end + 1);
        const tooLong = (next.at(-1) as TimedWord).endMs - (next[0] as TimedWord).startMs > SUBTITLE_RULES.maxCueMs;
        if (tooLong || !wrap(next.map((word) => word.text))) break;
        end += 1;
      }
      const group = words.slice(start, end);
      const texts = group.map((word) => word.text);
      const first = group[0] as TimedWord;
      const last = group.at(-1) as TimedWord;
      const previous = cues.at(-1);
      const startMs = Math.max(first.startMs, previous?.endMs ?? 0);
      cues.push({ startMs, endMs: Math.max(startMs, Math.min(last.endMs, startMs + SUBTITLE_RULES.maxCueMs)), lines: wrap(texts) ?? [texts.join(" ")] });
      start = end;
    }
  }
  return cues;
}

function timestamp(ms: number, separator: "," | "."): string {
  const total = Math.max(0, Math.round(ms));
  const pad = (value: number, width = 2): string => String(value).padStart(width, "0");
  return `${pad(Math.floor(total / 3_600_000))}:${pad(Math.floor((total % 3_600_000) / 60_000))}:${pad(Math.floor((total % 60_000) / 1000))}${separator}${pad(total % 1000, 3)}`;
}

/** The transcript as SubRip (`.srt`) or WebVTT (`.vtt`) subtitles. */
export function formatSubtitles(transcript: Transcript, format: SubtitleFormat): string {
  const separator = format === "srt" ? "," : ".";
  const body = cuesOf(transcript)
    .map((cue, index) => `${format === "srt" ? `${index + 1}\n` : ""}${timestamp(cue.startMs, separator)} --> ${timestamp(cue.endMs, separator)}\n${cue.lines.join("\n")}\n`)
    .join("\n");
  return format === "vtt" ? `WEBVTT\n\n${body}` : body;
}

/** Reads SubRip or WebVTT text back into cues (for checking what was written). */
export function parseSubtitles(text: string, format: SubtitleFormat): Cue[] {
  const blocks = text.replace(/^WEBVTT\n\n/, "").split(/\n\n+/).filter((block) => block.trim().length > 0);
  const time = (value: string): number => {
    const match = /^(\d+):(\d\d):(\d\d)[,.](\d{3})$/.exec(value.trim());
    if (!match) return Number.NaN;
    const [, h, m, s, ms] = match.map(Number) as [number, number, number, number, number];
    return ((h * 60 + m) * 60 + s) * 1000 + ms;
  };
  return blocks.map((block) => {
    const lines = block.split("\n");
    const timing = format === "srt" ? lines[1] : lines[0];
    const [from = "", to = ""] = (timing ?? "").split(" --> ");
    return { startMs: time(from), endMs: time(to), lines: lines.slice(format === "srt" ? 2 : 1).filter((line) => line.length > 0) };
  });
}
