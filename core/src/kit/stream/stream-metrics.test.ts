import { afterEach, describe, expect, it, vi } from "vitest";
import { StreamMetricsRecorder, summariseLatencies } from "./stream-metrics.js";

/** Drives `performance.now()` by hand, so latencies are exact and the machine's speed plays no part. */
function clockAt(ms: number): void {
  vi.spyOn(performance, "now").mockReturnValue(ms);
}

const final = (endMs: number, text = "words") => ({ type: "final" as const, segment: { text, startMs: 0, endMs } });

describe("StreamMetricsRecorder", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("measures each final from the moment the audio at its end was written", () => {
    clockAt(0);
    const recorder = new StreamMetricsRecorder();
    for (let chunk = 1; chunk <= 10; chunk++) {
      clockAt(chunk * 100);
      recorder.wrote(100); // audio 0..1000 ms written in real time
    }
    clockAt(1_050);
    expect(recorder.delivered(final(250))).toBe(750); // its end (250 ms) was in the write that returned at 300
    clockAt(1_400);
    expect(recorder.delivered(final(1_000))).toBe(400);
    clockAt(1_500);
    expect(recorder.delivered(final(1_000, " "))).toBeUndefined(); // an empty final measures nothing
    expect(recorder.summary(1_000)).toEqual({
      endOfSpeechToFinalMs: { count: 2, p50: 400, p90: 750, p99: 750, max: 750 },
      reconnects: 0,
      replayedAudioMs: 0,
      audioSentMs: 1_000,
      audioProcessedMs: 1_000,
    });
  });

  it("measures the connection, the first interim after speech starts, and reconnects with their replay", () => {
    clockAt(10);
    const recorder = new StreamMetricsRecorder();
    clockAt(130);
    recorder.connected();
    clockAt(900);
    recorder.connected(); // only the first counts
    recorder.delivered({ type: "speech-started", offsetMs: 0 });
    clockAt(1_120);
    recorder.delivered({ type: "interim", text: "he", startMs: 0, endMs: 200 });
    clockAt(1_500);
    recorder.delivered({ type: "interim", text: "he was", startMs: 0, endMs: 400 });
    recorder.reconnected(1_500);
    recorder.reconnected(250);
    expect(recorder.summary(0)).toMatchObject({ connectMs: 120, firstInterimMs: 220, reconnects: 2, replayedAudioMs: 1_750 });
  });

  it("a final past the last write is measured from the last write; memory stays bounded on long streams", () => {
    clockAt(0);
    const recorder = new StreamMetricsRecorder();
    for (let chunk = 1; chunk <= 40_000; chunk++) recorder.wrote(100);
    clockAt(2_000);
    expect(recorder.delivered(final(10_000_000))).toBe(2_000);
    expect(recorder.summary(0).audioSentMs).toBe(4_000_000);
  });
});

describe("summariseLatencies", () => {
  it("gives nearest-rank percentiles, and nothing for no samples", () => {
    expect(summariseLatencies([])).toBeUndefined();
    const samples = Array.from({ length: 100 }, (_, index) => index + 1);
    expect(summariseLatencies(samples)).toEqual({ count: 100, p50: 50, p90: 90, p99: 99, max: 100 });
  });
});
