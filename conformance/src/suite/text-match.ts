import { normaliseWords, wordErrorRate } from "@sttkit/core/wer";

/** The words of a transcript as the WER counts them (case and punctuation normalised). */
export function wordsOf(text: string): string[] {
  return normaliseWords(text);
}

/** The window of `words` starting at or after `from` that best matches `target` (lowest WER). */
export function bestMatchFrom(words: string[], target: string[], from: number): { wer: number; end: number } {
  let best = { wer: Infinity, end: from };
  for (let start = from; start <= Math.max(from, words.length - 1); start++) {
    for (const length of [target.length - 1, target.length, target.length + 1]) {
      if (length <= 0) continue;
      const window = words.slice(start, start + length);
      const { wer } = wordErrorRate(target.join(" "), window.join(" "));
      if (wer < best.wer) best = { wer, end: start + window.length };
    }
  }
  return best;
}
