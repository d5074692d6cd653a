import type { Transcript, TranscriptSegment } from "@sttkit/core";
import type { WerResult } from "@sttkit/core/wer";

/** `mm:ss.mmm` (or `h:mm:ss.mmm` past an hour) for a time in milliseconds. */
export function clock(ms: number): string {
  const total = Math.max(0, Math.round(ms));
  const hours = Math.floor(total / 3_600_000);
  const minutes = Math.floor((total % 3_600_000) / 60_000);
  const seconds = Math.floor((total % 60_000) / 1000);
  const millis = total % 1000;
  const mmss = `${String(minutes).padStart(2, "0")}:${String(seconds).padStart(2, "0")}.${String(millis).padStart(3, "0")}`;
  return hours > 0 ? `${hours}:${mmss}` : mmss;
}

/** One line per final segment: `[00:01.230 → 00:04.560] text`. */
export function segmentLine(segment: TranscriptSegment): string {
  return `[${clock(segment.startMs)} → ${clock(segment.endMs)}] ${segment.text}`;
}

/** The word error rate as a line for people. */
export function werLine(result: WerResult): string {
  return `WER ${(result.wer * 100).toFixed(1)}% (${result.substitutions} substitutions, ${result.deletions} deletions, ${result.insertions} insertions, ${result.referenceWords} reference words)`;
}

/** The transcript (and WER, if computed) as pretty JSON. */
export function transcriptJson(transcript: Transcript, provider: string, wer?: WerResult): string {
  return JSON.stringify({ provider, ...transcript, ...(wer ? { wer } : {}) }, null, 2);
}
