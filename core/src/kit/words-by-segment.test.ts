import { describe, expect, it } from "vitest";
import { wordsBySegment } from "./words-by-segment.js";

describe("wordsBySegment", () => {
  it("puts each word in exactly one segment, by its middle", () => {
    const segments = [
      { start: 0, end: 1 },
      { start: 1, end: 2 },
    ];
    const words = [
      { start: 0.1, end: 0.5 },
      { start: 0.9, end: 1.1 }, // middle exactly on the edge: the first segment
      { start: 1.5, end: 1.9 },
      { start: 2.5, end: 2.9 }, // after the last segment: the last
    ];
    expect(wordsBySegment(segments, words)).toEqual([[words[0], words[1]], [words[2], words[3]]]);
  });
});
