/**
 * The audio a turn keeps: the server needs it to show a test what arrived (`pcmOf`) and to
 * recognise a stream moving to a new recognizer by its audio, but an hour-long stream must not
 * hold an hour of audio. A turn keeps its last `retainAudioMs`; older chunks are let go and
 * counted, so positions stay on the turn's own byte line.
 *
 * @module
 */
import type { ObservedTurn } from "./observed.js";

/** Default for `AzureReplayServerOptions.retainAudioMs`: ten minutes, far more than any fixture. */
export const DEFAULT_RETAINED_AUDIO_MS = 600_000;

/**
 * Appends a copy of `payload` to the turn, then lets go of the oldest chunks while what is kept
 * exceeds `retainBytes` (the newest chunk always stays, however large).
 */
export function keepTurnAudio(turn: ObservedTurn, payload: Uint8Array, retainBytes: number): void {
  turn.pcm.push(payload.slice());
  turn.pcmBytes += payload.byteLength;
  while (turn.pcm.length > 1 && turn.pcmBytes - turn.pcmDroppedBytes > retainBytes) {
    turn.pcmDroppedBytes += (turn.pcm.shift() as Uint8Array).byteLength;
  }
}

/**
 * A copy of the turn's bytes from `from` to `to` (positions on the turn's byte line, counted from
 * its first PCM byte), clipped to the audio still kept.
 */
export function turnAudioRange(turn: ObservedTurn, from: number, to: number): Uint8Array {
  const start = Math.max(from, turn.pcmDroppedBytes);
  const end = Math.min(to, turn.pcmBytes);
  const out = new Uint8Array(Math.max(0, end - start));
  let chunkStart = turn.pcmDroppedBytes;
  for (const chunk of turn.pcm) {
    const chunkEnd = chunkStart + chunk.byteLength;
    if (chunkEnd > start && chunkStart < end) {
      const part = chunk.subarray(Math.max(0, start - chunkStart), Math.min(chunk.byteLength, end - chunkStart));
      out.set(part, Math.max(0, chunkStart - start));
    }
    if (chunkEnd >= end) break;
    chunkStart = chunkEnd;
  }
  return out;
}
