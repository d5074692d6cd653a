import type { LatencySummary, SpeechEvent, StreamMetrics } from "../../events.js";

/** Audio-clock ticks kept at most: about 28 minutes of 100 ms writes between two finals. */
const MAX_CLOCK_TICKS = 16_384;

/**
 * The stream's audio clock: for each write, the audio written up to and including it (ms) and
 * when it returned (`performance.now()` ms). Two typed arrays used from `#first` to `#length`, so
 * a write stores two numbers and allocates nothing (a write is ten times a second per stream).
 */
class AudioClock {
  #audioMs = new Float64Array(256);
  #atMs = new Float64Array(256);
  #first = 0;
  #length = 0;

  /** Ticks held. */
  get size(): number {
    return this.#length - this.#first;
  }

  push(audioMs: number, atMs: number): void {
    if (this.#length === this.#audioMs.length) this.#makeRoom();
    this.#audioMs[this.#length] = audioMs;
    this.#atMs[this.#length] = atMs;
    this.#length += 1;
  }

  /**
   * When the write holding audio time `audioMs` returned (the last write's time when none reaches
   * it), forgetting the writes before that one: later finals end later. `undefined` before any write.
   */
  takeTimeOf(audioMs: number): number | undefined {
    if (this.#length === this.#first) return undefined;
    let index = this.#first;
    while (index < this.#length - 1 && (this.#audioMs[index] as number) < audioMs) index += 1;
    this.#first = index;
    return this.#atMs[index];
  }

  /** Keeps the newest `count` ticks. */
  keepNewest(count: number): void {
    this.#first = Math.max(this.#first, this.#length - count);
  }

  /** Moves the held ticks to the front, growing the arrays only when they are more than half full. */
  #makeRoom(): void {
    const held = this.#length - this.#first;
    const capacity = held * 2 > this.#audioMs.length ? this.#audioMs.length * 2 : this.#audioMs.length;
    const audioMs = new Float64Array(capacity);
    const atMs = new Float64Array(capacity);
    audioMs.set(this.#audioMs.subarray(this.#first, this.#length));
    atMs.set(this.#atMs.subarray(this.#first, this.#length));
    this.#audioMs = audioMs;
    this.#atMs = atMs;
    this.#first = 0;
    this.#length = held;
  }
}

/**
 * The nearest-rank percentile of sorted samples.
 *
 * @param sorted - ascending.
 * @param p - from 0 to 100.
 */
function nearestRank(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
}

/**
 * Summarises latency samples.
 *
 * @category Stream plumbing
 */
export function summariseLatencies(samples: readonly number[]): LatencySummary | undefined {
  if (samples.length === 0) return undefined;
  const sorted = [...samples].sort((a, b) => a - b);
  const round = (ms: number): number => Math.round(ms * 10) / 10;
  return {
    count: sorted.length,
    p50: round(nearestRank(sorted, 50)),
    p90: round(nearestRank(sorted, 90)),
    p99: round(nearestRank(sorted, 99)),
    max: round(sorted.at(-1) ?? 0),
  };
}

/**
 * What one stream measures on its own clock (`performance.now()`), fed by the shared stream as
 * audio is written and events are delivered: the same measurement for every adapter.
 *
 * The end of a final's speech is placed on the wall clock through the audio clock: the moment the
 * write holding the audio at the final's `endMs` returned. Ticks older than the last final's end are
 * dropped, and at most 16 384 are kept, so memory stays bounded on hour-long streams.
 */
export class StreamMetricsRecorder {
  readonly #openedAt = performance.now();
  #connectMs: number | undefined;
  #speechStartedAt: number | undefined;
  #firstInterimMs: number | undefined;
  readonly #finalLatencies: number[] = [];
  #reconnects = 0;
  #replayedAudioMs = 0;
  readonly #clock = new AudioClock();
  #audioMs = 0;

  /** The provider accepted the session. */
  connected(): void {
    this.#connectMs ??= performance.now() - this.#openedAt;
  }

  /** The adapter reconnected and replayed `replayedMs` of audio. */
  reconnected(replayedMs: number): void {
    this.#reconnects += 1;
    if (Number.isFinite(replayedMs) && replayedMs > 0) this.#replayedAudioMs += replayedMs;
  }

  /** `ms` of audio were just written. */
  wrote(ms: number): void {
    this.#audioMs += ms;
    this.#clock.push(this.#audioMs, performance.now());
    if (this.#clock.size > MAX_CLOCK_TICKS) this.#clock.keepNewest(MAX_CLOCK_TICKS / 2);
  }

  /**
   * An event is being delivered. For a final with text, returns its end-of-speech-to-final latency
   * in ms (also kept for the summary).
   */
  delivered(event: SpeechEvent): number | undefined {
    const now = performance.now();
    if (event.type === "speech-started") this.#speechStartedAt ??= now;
    if (event.type === "interim" && this.#speechStartedAt !== undefined && this.#firstInterimMs === undefined) {
      this.#firstInterimMs = now - this.#speechStartedAt;
    }
    if (event.type !== "final" || event.segment.text.trim().length === 0) return undefined;
    const endAt = this.#clock.takeTimeOf(event.segment.endMs);
    if (endAt === undefined) return undefined;
    const latency = Math.max(0, now - endAt);
    this.#finalLatencies.push(latency);
    return Math.round(latency * 10) / 10;
  }

  /** The summary, with what the provider processed. */
  summary(audioProcessedMs: number): StreamMetrics {
    const round = (ms: number): number => Math.round(ms * 10) / 10;
    const latencies = summariseLatencies(this.#finalLatencies);
    return {
      ...(this.#connectMs !== undefined ? { connectMs: round(this.#connectMs) } : {}),
      ...(this.#firstInterimMs !== undefined ? { firstInterimMs: round(this.#firstInterimMs) } : {}),
      ...(latencies ? { endOfSpeechToFinalMs: latencies } : {}),
      reconnects: this.#reconnects,
      replayedAudioMs: round(this.#replayedAudioMs),
      audioSentMs: round(this.#audioMs),
      audioProcessedMs: round(audioProcessedMs),
    };
  }
}
