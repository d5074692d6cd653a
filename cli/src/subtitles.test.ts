import type { Transcript } from "@sttkit/core";
import { describe, expect, it } from "vitest";
import { cuesOf, formatSubtitles, parseSubtitles, SUBTITLE_RULES, type Cue, type SubtitleFormat } from "./subtitles.js";

const word = (text: string, startMs: number, endMs: number) => ({ text, startMs, endMs });

/** A transcript with one long timed segment (a word every 400 ms) and a short untimed one. */
const transcript: Transcript = {
  text: "",
  audioSeconds: 40,
  segments: [
    {
      text: Array.from({ length: 50 }, (_, i) => `word${i}`).join(" "),
      startMs: 0,
      endMs: 20_000,
      words: Array.from({ length: 50 }, (_, i) => word(`word${i}`, i * 400, i * 400 + 300)),
    },
    { text: "He was not an ill disposed young man.", startMs: 20_100, endMs: 23_000 },
  ],
};

function expectReadable(cues: readonly Cue[], source: Transcript): void {
  let previousEnd = 0;
  for (const cue of cues) {
    expect(cue.lines.length).toBeGreaterThan(0);
    expect(cue.lines.length).toBeLessThanOrEqual(SUBTITLE_RULES.maxLines);
    for (const line of cue.lines) expect(line.length).toBeLessThanOrEqual(SUBTITLE_RULES.maxLineChars);
    expect(cue.endMs - cue.startMs).toBeLessThanOrEqual(SUBTITLE_RULES.maxCueMs);
    expect(cue.endMs).toBeGreaterThanOrEqual(cue.startMs);
    expect(cue.startMs, "cues must not overlap").toBeGreaterThanOrEqual(previousEnd);
    previousEnd = cue.endMs;
  }
  // Every word, in order, once: cues split at word boundaries only.
  const words = cues.flatMap((cue) => cue.lines.join(" ").split(" "));
  expect(words.join(" ")).toBe(source.segments.map((segment) => segment.text).join(" "));
}

describe("subtitles", () => {
  it("packs words into readable cues: two lines of 42 characters, 7 s at most, no overlap, nothing lost", () => {
    const cues = cuesOf(transcript);
    expectReadable(cues, transcript);
    expect(cues.at(-1)).toEqual({ startMs: 20_100, endMs: 23_000, lines: ["He was not an ill disposed young man."] });
  });

  it.each(["srt", "vtt"] as const)("writes %s that parses back to the same cues", (format: SubtitleFormat) => {
    const text = formatSubtitles(transcript, format);
    if (format === "vtt") expect(text.startsWith("WEBVTT\n\n")).toBe(true);
    else expect(text.startsWith("1\n00:00:00,000 --> ")).toBe(true);
    const parsed = parseSubtitles(text, format);
    expect(parsed).toEqual(cuesOf(transcript).map((cue) => ({ ...cue, startMs: Math.round(cue.startMs), endMs: Math.round(cue.endMs) })));
    expectReadable(parsed, transcript);
  });

  it("gives an over-long word a cue of its own, and an empty transcript no cues", () => {
    const long = "x".repeat(60);
    const cues = cuesOf({ text: long, audioSeconds: 1, segments: [{ text: `a ${long} b`, startMs: 0, endMs: 3_000 }] });
    expect(cues.map((cue) => cue.lines.join(" "))).toEqual(["a", long, "b"]);
    expect(formatSubtitles({ text: "", audioSeconds: 0, segments: [] }, "srt")).toBe("");
  });
});
