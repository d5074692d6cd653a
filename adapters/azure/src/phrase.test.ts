import { describe, expect, it } from "vitest";
import { Language } from "@sttkit/core";
import { segmentFromPhrase, ticksToStreamMs } from "./phrase.js";

const detailedJson = JSON.stringify({
  RecognitionStatus: "Success",
  Offset: 5_000_000,
  Duration: 12_000_000,
  NBest: [
    {
      Confidence: 0.93,
      Lexical: "hello world",
      Display: "Hello world.",
      Words: [
        { Word: "hello", Offset: 5_000_000, Duration: 4_000_000, Confidence: 0.9 },
        { Word: "world", Offset: 9_500_000, Duration: 7_500_000 },
      ],
    },
  ],
});

const phrase = { text: "Hello world.", offsetTicks: 5_000_000, durationTicks: 12_000_000, json: detailedJson };

describe("ticksToStreamMs", () => {
  it("converts 100 ns ticks to milliseconds after the attempt's base", () => {
    expect(ticksToStreamMs(0, 0)).toBe(0);
    expect(ticksToStreamMs(12_345_678, 0)).toBe(1234.6);
    expect(ticksToStreamMs(10_000, 2_500)).toBe(2501);
  });
});

describe("segmentFromPhrase", () => {
  it("places a simple phrase on the stream's time line with the requested language", () => {
    const segment = segmentFromPhrase(phrase, { baseMs: 1_000, language: Language.EN_US, detailed: false, wordTimings: false });
    expect(segment).toEqual({ text: "Hello world.", startMs: 1_500, endMs: 2_700, language: "en-US" });
  });

  it("adds confidence, lexical form and, when asked, word timings from detailed output", () => {
    const segment = segmentFromPhrase(phrase, { baseMs: 0, language: undefined, detailed: true, wordTimings: true });
    expect(segment.confidence).toBe(0.93);
    expect(segment.lexical).toBe("hello world");
    expect(segment.words).toEqual([
      { text: "hello", startMs: 500, endMs: 900, confidence: 0.9 },
      { text: "world", startMs: 950, endMs: 1_700 },
    ]);
    const withoutWords = segmentFromPhrase(phrase, { baseMs: 0, language: undefined, detailed: true, wordTimings: false });
    expect(withoutWords.words).toBeUndefined();
  });

  it("reports the detected language, and falls back when the tag is unknown", () => {
    const german = segmentFromPhrase({ ...phrase, language: "de-DE" }, { baseMs: 0, language: undefined, detailed: false, wordTimings: false });
    expect(german.language).toBe("de-DE");
    const unknown = segmentFromPhrase({ ...phrase, language: "zz-ZZ" }, { baseMs: 0, language: Language.EN_US, detailed: false, wordTimings: false });
    expect(unknown.language).toBe("en-US");
  });

  it("keeps the transcript when the detail block is malformed", () => {
    const segment = segmentFromPhrase({ ...phrase, json: "{" }, { baseMs: 0, language: undefined, detailed: true, wordTimings: true });
    expect(segment.text).toBe("Hello world.");
    expect(segment.confidence).toBeUndefined();
  });
});
