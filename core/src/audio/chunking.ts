import { setTimeout as sleep } from "node:timers/promises";
import { bytesForMs, bytesPerFrame, type AudioFormat } from "./format.js";

/**
 * Splits PCM into chunks of `chunkMs` milliseconds (whole sample frames; the last chunk may be
 * shorter). The chunks are views into `pcm`, not copies. A `chunkMs` that is not a finite
 * number gives the whole buffer as one chunk; nothing is ever dropped.
 *
 * @category Audio
 */
export function* chunkPcm(pcm: Uint8Array, format: AudioFormat, chunkMs = 100): Generator<Uint8Array> {
  const wanted = bytesForMs(chunkMs, format);
  const size = Number.isFinite(wanted) ? Math.max(bytesPerFrame(format), wanted) : Math.max(1, pcm.byteLength);
  for (let at = 0; at < pcm.byteLength; at += size) {
    yield pcm.subarray(at, Math.min(at + size, pcm.byteLength));
  }
}

/**
 * How {@link paceRealtime} spaces chunks in time.
 *
 * @category Audio
 */
export interface PacingOptions {
  /** Duration of each chunk in milliseconds. Default 100. */
  readonly chunkMs?: number;
  /** Playback speed: 1 is real time, 2 twice as fast. `Infinity` sends with no waiting. Default 1. */
  readonly speed?: number;
  /** Stops pacing early; the iterator then simply ends. */
  readonly signal?: AbortSignal;
}

/**
 * Yields PCM chunks no faster than they would play, as a microphone or a telephone call would
 * deliver them. Timing is anchored to the start, so delays do not accumulate drift.
 *
 * @category Audio
 */
export async function* paceRealtime(
  pcm: Uint8Array,
  format: AudioFormat,
  options: PacingOptions = {},
): AsyncGenerator<Uint8Array> {
  const chunkMs = options.chunkMs ?? 100;
  const speed = options.speed ?? 1;
  const started = performance.now();
  let sentMs = 0;
  for (const chunk of chunkPcm(pcm, format, chunkMs)) {
    if (options.signal?.aborted) return;
    const dueAt = started + sentMs / speed;
    const wait = dueAt - performance.now();
    if (wait > 0 && Number.isFinite(speed)) {
      try {
        await sleep(wait, undefined, options.signal ? { signal: options.signal } : undefined);
      } catch {
        return;
      }
    }
    yield chunk;
    sentMs += (chunk.byteLength / bytesPerFrame(format) / format.sampleRate) * 1000;
  }
}
