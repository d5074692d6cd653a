import { describe, expect, it } from "vitest";
import { sessionMismatches, spanProblems } from "./checks.js";

const spans = [
  { startMs: 200, endMs: 2800 },
  { startMs: 4400, endMs: 9300 },
];
const final = (text: string, startMs: number, endMs: number) => ({ text, startMs, endMs });

describe("spanProblems", () => {
  it("accepts finals on their speech, split or merged, within the tolerance", () => {
    expect(spanProblems([final("a", 150, 2900), final("b", 4500, 9000)], spans)).toEqual([]);
    expect(spanProblems([final("a", 150, 1500), final("a2", 1600, 2800), final("b", 4500, 9000)], spans)).toEqual([]);
    expect(spanProblems([final("ab", 200, 9300)], spans)).toEqual([]);
  });

  it("flags finals off their speech, utterances without finals, and a time line halved or shifted", () => {
    expect(spanProblems([final("a", 150, 2900)], spans)).toEqual(["utterance #2 (4400-9300 ms) has no final"]);
    expect(spanProblems([final("a", 100, 1400), final("b", 2200, 4650)], spans).join("; ")).toContain("utterance #2 (4400-9300 ms): its finals end already at 4650 ms");
    expect(spanProblems([final("a", 2200, 4800), final("b", 6400, 11_300)], spans).join("; ")).toContain("ends after its speech");
    expect(spanProblems([final("x", 3560, 3640), final("a", 200, 2800), final("b", 4400, 9300)], spans)).toEqual(["final \"x\" (3560-3640 ms) lies where the audio has no speech"]);
  });

  it("ignores empty finals, and asks nothing of a fixture without speech", () => {
    expect(spanProblems([final(" ", 0, 10)], [])).toEqual([]);
  });
});

describe("sessionMismatches", () => {
  const expected = [final("One.", 200, 2800), { ...final("Two.", 4400, 9300), words: [{ text: "two", startMs: 4400, endMs: 9300 }] }];

  it("accepts the session's finals, offsets rounded to 0.1 ms", () => {
    expect(sessionMismatches([final("One.", 200.04, 2800), final("Two.", 4400, 9299.96)], expected)).toEqual([]);
  });

  it("names a missing final, other text, moved offsets and other words", () => {
    expect(sessionMismatches([final("One.", 200, 2800)], expected)[0]).toContain("expected 2 final(s)");
    expect(sessionMismatches([final("One", 200, 2800), final("Two.", 4400, 9300)], expected)[0]).toContain('text "One"');
    expect(sessionMismatches([final("One.", 205, 2800), final("Two.", 4400, 9300)], expected)[0]).toContain("205-2800 ms");
    const words = sessionMismatches([final("One.", 200, 2800), { ...final("Two.", 4400, 9300), words: [{ text: "too", startMs: 4400, endMs: 9300 }] }], expected);
    expect(words[0]).toContain("words too@4400-9300");
  });
});
