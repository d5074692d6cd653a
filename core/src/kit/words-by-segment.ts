/**
 * The words of each segment, for services that report a transcript's segments and its words in
 * two separate lists (OpenAI's `verbose_json`): a word belongs to the first segment that holds its
 * middle (word and segment edges are rounded separately, so edges alone could put a word in two
 * segments or none); a word between segments goes to the one before it; a word after the last
 * segment goes to the last. Times in any one unit.
 *
 * @category Transcripts
 */
export function wordsBySegment<W extends { readonly start: number; readonly end: number }>(
  segments: ReadonlyArray<{ readonly start: number; readonly end: number }>,
  words: readonly W[],
): W[][] {
  const out: W[][] = segments.map(() => []);
  for (const word of words) {
    const middle = (word.start + word.end) / 2;
    let index = segments.findIndex((segment) => middle <= segment.end);
    if (index < 0) index = segments.length - 1;
    else if (index > 0 && middle < (segments[index] as { start: number }).start) index -= 1;
    out[index]?.push(word);
  }
  return out;
}
