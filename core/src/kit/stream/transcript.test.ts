import { describe, expect, it } from "vitest";
import type { TranscriptSegment } from "../../events.js";
import { Language } from "../../language.js";
import { assembleTranscript } from "./transcript.js";

function segment(text: string, startMs: number, endMs: number, language?: Language): TranscriptSegment {
  return { text, startMs, endMs, ...(language ? { language } : {}) };
}

describe("assembleTranscript", () => {
  it("joins the trimmed segment texts with single spaces, skipping blank segments, and keeps every segment", () => {
    const segments = [segment("  Hello  ", 0, 500), segment("   ", 500, 600), segment("", 600, 700), segment("world.\n", 700, 900)];
    const transcript = assembleTranscript(segments, 1.5);
    expect(transcript.text).toBe("Hello world.");
    expect(transcript.segments).toEqual(segments);
    expect(transcript.audioSeconds).toBe(1.5);
  });

  it("reports no language when neither a segment nor the caller names one", () => {
    const transcript = assembleTranscript([segment("hi", 0, 100)], 1);
    expect(transcript).not.toHaveProperty("language");
  });

  it("falls back to the default language only when no segment names one", () => {
    expect(assembleTranscript([segment("hi", 0, 100)], 1, Language.EN_US).language).toBe(Language.EN_US);
    expect(assembleTranscript([segment("salut", 0, 100, Language.FR_FR)], 1, Language.EN_US).language).toBe(Language.FR_FR);
  });

  it("picks the language of most of the speech by duration, not by segment count or position", () => {
    const segments = [
      segment("un deux trois", 0, 1_000, Language.FR_FR),
      segment("four", 5_000, 5_300, Language.EN_US),
      segment("five", 5_300, 5_600, Language.EN_US),
    ];
    // French: one segment of 1 000 ms; English: more segments, later, but 600 ms in all.
    expect(assembleTranscript(segments, 6).language).toBe(Language.FR_FR);
    // Durations add up per language: two French segments (600 ms) outweigh one English one (500 ms).
    const summed = [segment("a", 0, 300, Language.FR_FR), segment("b", 300, 800, Language.EN_US), segment("c", 800, 1_100, Language.FR_FR)];
    expect(assembleTranscript(summed, 2).language).toBe(Language.FR_FR);
  });

  it("counts a segment without a duration as one millisecond, so a detected language is never ignored", () => {
    expect(assembleTranscript([segment("oui", 300, 300, Language.FR_FR)], 1, Language.EN_US).language).toBe(Language.FR_FR);
    const instants = [segment("ja", 0, 0, Language.DE_DE), segment("nein", 10, 10, Language.DE_DE), segment("yes", 20, 21, Language.EN_US)];
    expect(assembleTranscript(instants, 1).language).toBe(Language.DE_DE);
  });

  it("ignores segments without a language when weighing languages", () => {
    const segments = [segment("unlabelled", 0, 10_000), segment("bonjour", 10_000, 10_100, Language.FR_FR)];
    expect(assembleTranscript(segments, 11, Language.EN_US).language).toBe(Language.FR_FR);
  });

  it("breaks a tie in favour of the language heard first", () => {
    const segments = [segment("hello", 0, 500, Language.EN_US), segment("bonjour", 500, 1_000, Language.FR_FR)];
    expect(assembleTranscript(segments, 1).language).toBe(Language.EN_US);
  });
});
