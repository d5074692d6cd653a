import { bytesPerFrame, bytesPerSecond, type AudioFormat } from "@sttkit/core";

/** A piece of a recording to upload on its own: bytes `[start, end)` of its PCM, whole frames. */
export interface UploadPiece {
  /** First byte, inclusive. */
  readonly start: number;
  /** Last byte, exclusive. */
  readonly end: number;
}

/** The bytes of a canonical WAV header, which every upload adds to its PCM. */
export const WAV_HEADER_BYTES = 44;
/** Energy is measured in windows of this length to find pauses, ms. */
const WINDOW_MS = 20;
/** Where a cut is looked for: the last part of the longest piece allowed, as a fraction of it. */
const SEARCH_FRACTION = 0.25;

/** Mean square of the samples (all channels) in bytes `[from, to)`. */
function energy(view: DataView, from: number, to: number): number {
  let sum = 0;
  let count = 0;
  for (let at = from; at + 1 < to; at += 2) {
    const sample = view.getInt16(at, true);
    sum += sample * sample;
    count++;
  }
  return count === 0 ? 0 : sum / count;
}

/**
 * Splits a recording into pieces that each fit one upload (`maxBytes` with the WAV header, and at
 * most `maxMs` of audio), cutting at pauses: in the last quarter of the longest piece allowed, the
 * middle of the longest run of the quietest 20 ms windows (within 1.5 × the quietest energy). Every
 * byte lies in exactly one piece, in order, so nothing is lost or doubled at a seam; the pieces'
 * start bytes give their offsets on the recording's time line. A recording that fits is one piece.
 */
export function splitAtPauses(pcm: Uint8Array, format: AudioFormat, maxBytes: number, maxMs: number): UploadPiece[] {
  const frame = bytesPerFrame(format);
  const perSecond = bytesPerSecond(format);
  const limit = Math.max(frame, Math.floor(Math.min(maxBytes - WAV_HEADER_BYTES, (maxMs / 1000) * perSecond) / frame) * frame);
  const window = Math.max(frame, Math.floor((perSecond * WINDOW_MS) / 1000 / frame) * frame);
  const view = new DataView(pcm.buffer, pcm.byteOffset, pcm.byteLength);
  const total = pcm.byteLength - (pcm.byteLength % frame);
  const pieces: UploadPiece[] = [];
  let start = 0;
  while (total - start > limit) {
    const searchFrom = start + Math.floor((limit * (1 - SEARCH_FRACTION)) / window) * window;
    const windows: number[] = [];
    for (let at = searchFrom; at + window <= start + limit; at += window) windows.push(energy(view, at, at + window));
    let cut = start + limit;
    if (windows.length > 0) {
      const quiet = Math.min(...windows) * 1.5 + 1;
      let best = { from: 0, length: 0 };
      let run = { from: 0, length: 0 };
      windows.forEach((value, index) => {
        if (value <= quiet) {
          run = run.length === 0 ? { from: index, length: 1 } : { from: run.from, length: run.length + 1 };
          if (run.length >= best.length) best = run; // ties: the later pause, for the longest piece
        } else run = { from: 0, length: 0 };
      });
      cut = searchFrom + (best.from + Math.floor(best.length / 2)) * window;
    }
    if (cut <= start) cut = start + limit; // a piece always makes progress
    pieces.push({ start, end: cut });
    start = cut;
  }
  pieces.push({ start, end: total });
  return pieces;
}
