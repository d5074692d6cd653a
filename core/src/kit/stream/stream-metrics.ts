import type { LatencySummary, SpeechEvent, StreamMetrics } from "../../events.js";

/** Audio-clock ticks kept at most: about 28 minutes of 100 ms writes between two finals. */
const MAX_CLOCK_TICKS = 16_384;

/** One write on the stream's audio clock. */
interface ClockTick {
  /** Audio written up to and including this write, in ms. */
  readonly audioMs: number;
  /** When, in `performance.now()` ms. */
  readonly atMs: number;
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
  #clock: ClockTick[] = [];
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
    this.#clock.push({ audioMs: this.#audioMs, atMs: performance.now() });
    if (this.#clock.length > MAX_CLOCK_TICKS) this.#clock = this.#clock.slice(-MAX_CLOCK_TICKS / 2);
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
    const endMs = event.segment.endMs;
    const tick = this.#clock.find((candidate) => candidate.audioMs >= endMs) ?? this.#clock.at(-1);
    if (!tick) return undefined;
    const latency = Math.max(0, now - tick.atMs);
    this.#finalLatencies.push(latency);
    // Later finals end later: the ticks before this one's end are no longer needed.
    const keepFrom = this.#clock.indexOf(tick);
    if (keepFrom > 0) this.#clock = this.#clock.slice(keepFrom);
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
