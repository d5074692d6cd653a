/**
 * Word error rate, counted the way NIST `sclite` (Debian package `sctk`) counts it: a
 * minimum-edit-distance alignment of hypothesis words against reference words, reporting
 * substitutions, deletions, insertions and hits. The test suite checks the counts against
 * `sclite` itself.
 *
 * @module
 */

/** The alignment counts and the rate. */
export interface WerResult {
  /**
   * (substitutions + deletions + insertions) / reference words. With an empty reference it is
   * the number of insertions (0 when the hypothesis is empty too), so silence scored against
   * "nothing" is 0 and every invented word counts as one full error.
   */
  readonly wer: number;
  /** Reference words replaced by another word. */
  readonly substitutions: number;
  /** Reference words missing from the hypothesis. */
  readonly deletions: number;
  /** Hypothesis words with no reference word. */
  readonly insertions: number;
  /** Reference words recognised correctly. */
  readonly hits: number;
  /** Words in the (normalised) reference. */
  readonly referenceWords: number;
}

/** One utterance to score: what was said and what the recogniser heard. */
export interface WerPair {
  /** What was said. */
  readonly reference: string;
  /** What the recogniser produced. */
  readonly hypothesis: string;
}

/** Characters that join two words and so become a word boundary: hyphens, dashes and slashes. */
const WORD_JOINERS = /[-\u2010-\u2015\u2212/\\]/g;
/** Typographic apostrophes and look-alikes, read as the ASCII apostrophe. */
const APOSTROPHE_VARIANTS = /[\u2018\u2019\u02bc`]/g;
/** Everything that is neither part of a word, white space, nor an apostrophe. */
const PUNCTUATION = /[^\p{L}\p{M}\p{N}'\s]/gu;

/**
 * Splits text into the words that are compared, in this order:
 *
 * 1. Unicode NFC normalisation, then lower case.
 * 2. Hyphens, dashes and slashes become spaces, so `well-known` is two words, as a recogniser
 *    that never writes hyphens would say it.
 * 3. Curly apostrophes become `'`; every other character that is not a letter, combining mark,
 *    digit, white space or apostrophe is deleted (`U.S.` becomes `us`, `3.5` becomes `35`).
 * 4. Split on runs of white space; apostrophes at either end of a word are dropped, so only
 *    intra-word apostrophes survive (`don't` stays, `'fact'` becomes `fact`).
 */
export function normaliseWords(text: string): string[] {
  return text
    .normalize("NFC")
    .toLowerCase()
    .replace(WORD_JOINERS, " ")
    .replace(APOSTROPHE_VARIANTS, "'")
    .replace(PUNCTUATION, "")
    .split(/\s+/)
    .map((word) => word.replace(/^'+|'+$/g, ""))
    .filter((word) => word.length > 0);
}

/**
 * The word error rate of `hypothesis` against `reference`, both first passed through
 * {@link normaliseWords}.
 *
 * The alignment weighs a substitution 4 and an insertion or a deletion 3, as sclite does by
 * default, so that the three counts (not only their sum) agree with sclite's report: with unit
 * weights a swapped pair of words would be two substitutions, where sclite counts a deletion, an
 * insertion and a hit. See {@link WerResult.wer} for an empty reference.
 */
export function wordErrorRate(reference: string, hypothesis: string): WerResult {
  return alignWords(normaliseWords(reference), normaliseWords(hypothesis));
}

/**
 * The word error rate of a whole test set, as sclite's `Sum` line: each pair is aligned on its
 * own, then errors and reference words are summed over all pairs before dividing (long
 * utterances weigh more than short ones, unlike a mean of per-utterance rates).
 */
export function corpusWordErrorRate(pairs: ReadonlyArray<WerPair>): WerResult {
  let substitutions = 0;
  let deletions = 0;
  let insertions = 0;
  let hits = 0;
  let referenceWords = 0;
  for (const { reference, hypothesis } of pairs) {
    const result = wordErrorRate(reference, hypothesis);
    substitutions += result.substitutions;
    deletions += result.deletions;
    insertions += result.insertions;
    hits += result.hits;
    referenceWords += result.referenceWords;
  }
  return summarise(substitutions, deletions, insertions, hits, referenceWords);
}

function summarise(substitutions: number, deletions: number, insertions: number, hits: number, referenceWords: number): WerResult {
  const errors = substitutions + deletions + insertions;
  return { wer: referenceWords === 0 ? errors : errors / referenceWords, substitutions, deletions, insertions, hits, referenceWords };
}

const SUBSTITUTION_COST = 4;
const INSERTION_COST = 3;
const DELETION_COST = 3;

/** Weighted edit-distance alignment over words, then a backtrace counting each kind of edit. */
function alignWords(reference: readonly string[], hypothesis: readonly string[]): WerResult {
  const columns = hypothesis.length + 1;
  // cost[i * columns + j]: cheapest alignment of the first i reference and first j hypothesis words.
  const cost = new Uint32Array((reference.length + 1) * columns);
  const at = (i: number, j: number): number => cost[i * columns + j] as number;
  for (let i = 0; i <= reference.length; i++) cost[i * columns] = i * DELETION_COST;
  for (let j = 0; j <= hypothesis.length; j++) cost[j] = j * INSERTION_COST;
  for (let i = 1; i <= reference.length; i++) {
    for (let j = 1; j <= hypothesis.length; j++) {
      const diagonal = at(i - 1, j - 1) + (reference[i - 1] === hypothesis[j - 1] ? 0 : SUBSTITUTION_COST);
      cost[i * columns + j] = Math.min(diagonal, at(i - 1, j) + DELETION_COST, at(i, j - 1) + INSERTION_COST);
    }
  }
  let substitutions = 0;
  let deletions = 0;
  let insertions = 0;
  let hits = 0;
  let i = reference.length;
  let j = hypothesis.length;
  // Among equally cheap paths the counts can differ (three substitutions cost as much as two
  // deletions and two insertions); taking the diagonal step whenever it is one of the cheapest
  // gives sclite's counts (the randomised cross-check in wer.test.ts catches other choices).
  while (i > 0 || j > 0) {
    const here = at(i, j);
    if (i > 0 && j > 0) {
      const same = reference[i - 1] === hypothesis[j - 1];
      if (here === at(i - 1, j - 1) + (same ? 0 : SUBSTITUTION_COST)) {
        if (same) hits++;
        else substitutions++;
        i--;
        j--;
        continue;
      }
    }
    if (i > 0 && here === at(i - 1, j) + DELETION_COST) {
      deletions++;
      i--;
      continue;
    }
    insertions++;
    j--;
  }
  return summarise(substitutions, deletions, insertions, hits, reference.length);
}
