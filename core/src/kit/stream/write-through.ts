import type { RecognitionStream } from "../../speech-to-text.js";
import type { RecognitionSink } from "./driver.js";

/**
 * For drivers that wrap another adapter's stream: writes `pcm` to it and passes its backpressure
 * on. Returns the driver's answer to `write()`: `false` while the wrapped stream is behind (and
 * calls `sink.drain()` once it catches up), `true` otherwise, also when the wrapped stream refused
 * the audio: it has failed, and its failure reaches the driver through its events.
 *
 * @category Stream plumbing
 */
export function writeThrough(inner: RecognitionStream, pcm: Uint8Array, sink: RecognitionSink): boolean {
  const written = inner.write(pcm);
  if (written.isErr() || written.value) return true;
  void inner.drained().then(() => sink.drain());
  return false;
}
