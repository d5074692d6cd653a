import { bytesPerFrame, type AudioFormat } from "@sttkit/core";

/** Where one utterance lies in a recording, in milliseconds from its start. */
export interface SpeechSpan {
  /** First speech, ms. */
  readonly startMs: number;
  /** End of the last speech (exclusive), ms. */
  readonly endMs: number;
}

/** Analysis frame: 10 ms, the usual hop of speech front ends. */
const FRAME_MS = 10;
/** Speech is louder than the quietest tenth of the recording (its noise floor) by this factor in RMS (12 dB). */
const FLOOR_FACTOR = 4;
/** ... and at least this fraction of the loudest frame's RMS (about -34 dB), so clean silence's tiny floor does not count everything as speech. */
const PEAK_FRACTION = 0.02;
/** Runs of speech frames shorter than this are clicks or breaths, not speech. */
const MIN_SPEECH_MS = 60;

/**
 * Measures where the speech of a recording is, as exactly `count` utterances: an energy detector
 * over 10 ms frames (louder than both 4 × the noise floor and 2 % of the peak), short bursts
 * dropped, then the recording's speech split into `count` spans at its `count - 1` longest pauses.
 * The fixtures are read speech with known pauses between utterances (1.2 s for the joined ones),
 * so their longest pauses are those. Used once to write the spans into the fixture manifest; the
 * suite then checks every final's time against them.
 */
export function measureSpeechSpans(pcm: Uint8Array, format: AudioFormat, count: number): SpeechSpan[] {
  if (count <= 0) return [];
  const frameBytes = Math.round((format.sampleRate * FRAME_MS) / 1000) * bytesPerFrame(format);
  const view = new DataView(pcm.buffer, pcm.byteOffset, pcm.byteLength);
  const rms: number[] = [];
  for (let at = 0; at + frameBytes <= pcm.byteLength; at += frameBytes) {
    let sum = 0;
    for (let byte = at; byte < at + frameBytes; byte += 2) sum += view.getInt16(byte, true) ** 2;
    rms.push(Math.sqrt(sum / (frameBytes / 2)));
  }
  const sorted = [...rms].sort((a, b) => a - b);
  const floor = sorted[Math.floor(sorted.length * 0.1)] ?? 0;
  const peak = sorted.at(-1) ?? 0;
  const threshold = Math.max(floor * FLOOR_FACTOR, peak * PEAK_FRACTION);
  // Runs of speech frames, bursts too short to be speech dropped.
  const runs: Array<{ start: number; end: number }> = [];
  let runStart = -1;
  rms.forEach((value, index) => {
    if (value > threshold && runStart < 0) runStart = index;
    if ((value <= threshold || index === rms.length - 1) && runStart >= 0) {
      const end = value > threshold ? index + 1 : index;
      if ((end - runStart) * FRAME_MS >= MIN_SPEECH_MS) runs.push({ start: runStart, end });
      runStart = -1;
    }
  });
  if (runs.length === 0) return [];
  // Split at the count - 1 longest pauses between runs.
  const gaps = runs.slice(1).map((run, index) => ({ index: index + 1, length: run.start - (runs[index] as { end: number }).end }));
  const cuts = new Set(
    [...gaps]
      .sort((a, b) => b.length - a.length)
      .slice(0, count - 1)
      .map((gap) => gap.index),
  );
  const spans: SpeechSpan[] = [];
  let first = runs[0] as { start: number; end: number };
  runs.forEach((run, index) => {
    if (cuts.has(index)) {
      spans.push({ startMs: first.start * FRAME_MS, endMs: (runs[index - 1] as { end: number }).end * FRAME_MS });
      first = run;
    }
  });
  spans.push({ startMs: first.start * FRAME_MS, endMs: (runs.at(-1) as { end: number }).end * FRAME_MS });
  return spans;
}
