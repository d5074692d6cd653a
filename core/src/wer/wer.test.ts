import { describe, expect, it } from "vitest";
import { corpusWordErrorRate, normaliseWords, wordErrorRate } from "./wer.js";
describe("normaliseWords", () => {
  it("lower-cases, deletes punctuation, keeps intra-word apostrophes and splits at hyphens", () => {
    expect(normaliseWords("Hello, World! It's a well-known 'fact'.")).toEqual(["hello", "world", "it's", "a", "well", "known", "fact"]);
    expect(normaliseWords("The U.S. rate: 3.5%")).toEqual(["the", "us", "rate", "35"]);
    expect(normaliseWords("and/or—maybe \t  not\n")).toEqual(["and", "or", "maybe", "not"]);
    expect(normaliseWords("Don’t the dogs' bowls")).toEqual(["don't", "the", "dogs", "bowls"]);
    expect(normaliseWords("Cafe\u0301 ÉTÉ")).toEqual(["café", "été"]);
    expect(normaliseWords(" ... -- ")).toEqual([]);
  });
});

describe("wordErrorRate", () => {
  it("ignores case and punctuation differences", () => {
    expect(wordErrorRate("Hello world.", "hello WORLD")).toMatchObject({ wer: 0, hits: 2 });
  });

  it("counts substitutions, deletions and insertions", () => {
    expect(wordErrorRate("a b c d", "a x c d")).toEqual({ substitutions: 1, deletions: 0, insertions: 0, hits: 3, referenceWords: 4, wer: 0.25 });
    expect(wordErrorRate("a b c d", "a c d")).toMatchObject({ deletions: 1, substitutions: 0, insertions: 0, wer: 0.25 });
    expect(wordErrorRate("a b", "a b c d")).toMatchObject({ insertions: 2, hits: 2, wer: 1 });
    expect(wordErrorRate("a b c", "")).toMatchObject({ deletions: 3, hits: 0, wer: 1 });
  });

  it("scores a swapped pair as a deletion and an insertion around a hit, as sclite does", () => {
    expect(wordErrorRate("a b", "b a")).toMatchObject({ substitutions: 0, deletions: 1, insertions: 1, hits: 1 });
  });

  it("defines an empty reference: 0 for an empty hypothesis, else the number of insertions", () => {
    expect(wordErrorRate("", "")).toMatchObject({ wer: 0, referenceWords: 0 });
    expect(wordErrorRate("...", "uh um")).toMatchObject({ insertions: 2, wer: 2, referenceWords: 0 });
  });

  it("sums errors over a corpus rather than averaging per-utterance rates", () => {
    const corpus = corpusWordErrorRate([
      { reference: "a b c d e f g h", hypothesis: "a b c d e f g h" },
      { reference: "e f", hypothesis: "e" },
    ]);
    // The mean of the two rates would be 0.25.
    expect(corpus).toMatchObject({ deletions: 1, hits: 9, referenceWords: 10, wer: 0.1 });
    expect(corpusWordErrorRate([])).toMatchObject({ wer: 0, referenceWords: 0 });
  });
});
