/**
 * Word error rate, computed the way NIST `sclite` scores it: a minimum-edit-distance alignment
 * of hypothesis words against reference words, counting substitutions, deletions and insertions.
 *
 * @module
 */

/** The alignment counts and the rate. */
export interface WerResult {
  /** (substitutions + deletions + insertions) / reference words; with no reference words, the insertions count. */
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

/**
 * Splits text into comparable words: lower case; punctuation removed, except apostrophes inside
 * words (`don't`); hyphens and slashes separate words; runs of white space collapse.
 */
export function normaliseWords(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[-‐‑‒–—/]/g, " ")
    .replace(/[’‘`]/g, "'")
    .replace(/[^\p{L}\p{N}'\s]/gu, " ")
    .split(/\s+/)
    .map((word) => word.replace(/^'+|'+$/g, ""))
    .filter((word) => word.length > 0);
}

/**
 * The word error rate of `hypothesis` against `reference`, after {@link normaliseWords}. The
 * alignment uses sclite's default edit weights (substitution 4, insertion 3, deletion 3, match 0),
 * so that the counts, not only the total, match sclite's report: with unit weights, a reordered
 * pair of words would count as two substitutions where sclite counts a deletion, an insertion
 * and a match.
 */
export function wordErrorRate(reference: string, hypothesis: string): WerResult {
  return alignWords(normaliseWords(reference), normaliseWords(hypothesis));
}

/**
 * The word error rate over many utterances, as sclite's summary: errors summed over all pairs,
 * divided by all reference words.
 */
export function corpusWordErrorRate(pairs: ReadonlyArray<{ readonly reference: string; readonly hypothesis: string }>): WerResult {
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

/** sclite's default alignment weights. */
const SUBSTITUTION_COST = 4;
const INSERTION_COST = 3;
const DELETION_COST = 3;

/** Weighted edit-distance alignment over words with a backtrace, counting each kind of edit. */
function alignWords(reference: readonly string[], hypothesis: readonly string[]): WerResult {
  const rows = reference.length + 1;
  const cols = hypothesis.length + 1;
  const cost = new Uint32Array(rows * cols);
  for (let i = 0; i < rows; i++) cost[i * cols] = i * DELETION_COST;
  for (let j = 0; j < cols; j++) cost[j] = j * INSERTION_COST;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const same = reference[i - 1] === hypothesis[j - 1];
      const diagonal = (cost[(i - 1) * cols + j - 1] as number) + (same ? 0 : SUBSTITUTION_COST);
      const deletion = (cost[(i - 1) * cols + j] as number) + DELETION_COST;
      const insertion = (cost[i * cols + j - 1] as number) + INSERTION_COST;
      cost[i * cols + j] = Math.min(diagonal, deletion, insertion);
    }
  }
  let substitutions = 0;
  let deletions = 0;
  let insertions = 0;
  let hits = 0;
  let i = reference.length;
  let j = hypothesis.length;
  while (i > 0 || j > 0) {
    const here = cost[i * cols + j] as number;
    if (i > 0 && j > 0) {
      const same = reference[i - 1] === hypothesis[j - 1];
      if (here === (cost[(i - 1) * cols + j - 1] as number) + (same ? 0 : SUBSTITUTION_COST)) {
        if (same) hits++;
        else substitutions++;
        i--;
        j--;
        continue;
      }
    }
    if (i > 0 && here === (cost[(i - 1) * cols + j] as number) + DELETION_COST) {
      deletions++;
      i--;
      continue;
    }
    insertions++;
    j--;
  }
  return summarise(substitutions, deletions, insertions, hits, reference.length);
}
