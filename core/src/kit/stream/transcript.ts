import type { Transcript, TranscriptSegment } from "../../events.js";
import type { Language } from "../../language.js";

/**
 * Joins final segments into a {@link Transcript}. The transcript's language is the one most of
 * the segments report (by duration), falling back to `defaultLanguage`.
 *
 * @category Stream plumbing
 */
export function assembleTranscript(
  segments: readonly TranscriptSegment[],
  audioSeconds: number,
  defaultLanguage?: Language,
): Transcript {
  const text = segments
    .map((segment) => segment.text.trim())
    .filter((segmentText) => segmentText.length > 0)
    .join(" ");
  const language = dominantLanguage(segments) ?? defaultLanguage;
  return { text, segments: [...segments], audioSeconds, ...(language ? { language } : {}) };
}

function dominantLanguage(segments: readonly TranscriptSegment[]): Language | undefined {
  const weight = new Map<Language, number>();
  for (const segment of segments) {
    if (!segment.language) continue;
    const duration = Math.max(1, segment.endMs - segment.startMs);
    weight.set(segment.language, (weight.get(segment.language) ?? 0) + duration);
  }
  let best: Language | undefined;
  let bestWeight = -1;
  for (const [language, total] of weight) {
    if (total > bestWeight) {
      best = language;
      bestWeight = total;
    }
  }
  return best;
}
