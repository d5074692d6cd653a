import { metrics, type Attributes, type Counter, type Histogram, type Meter } from "@opentelemetry/api";
import type { StreamMetrics } from "../../events.js";

/**
 * The OpenTelemetry instruments every stream reports to, through `@opentelemetry/api` only: a
 * no-op until the application registers a meter provider (an OpenTelemetry SDK), so the library
 * adds no cost and no dependency beyond the API. Meter `@sttkit/core`; attributes `stt.provider`,
 * and `stt.language` and `stt.model` when known.
 *
 * | instrument | kind | unit | what |
 * | --- | --- | --- | --- |
 * | `stt.final.latency` | histogram | ms | end of a final's speech to its delivery, per final |
 * | `stt.stream.connect.duration` | histogram | ms | opening a stream to the provider accepting it |
 * | `stt.interim.first.latency` | histogram | ms | first speech start to the first interim |
 * | `stt.audio.sent` | counter | s | audio written |
 * | `stt.audio.processed` | counter | s | audio the provider processed |
 * | `stt.stream.reconnects` | counter | {reconnect} | connections re-established |
 * | `stt.audio.replayed` | counter | s | audio sent again after reconnects |
 * | `stt.transcribe.speed` | histogram | 1 | audio seconds per wall second of a `transcribe()` |
 *
 * @category Stream plumbing
 */
export const STT_METRIC_INSTRUMENTS = Object.freeze({
  finalLatency: "stt.final.latency",
  connectDuration: "stt.stream.connect.duration",
  firstInterimLatency: "stt.interim.first.latency",
  audioSent: "stt.audio.sent",
  audioProcessed: "stt.audio.processed",
  reconnects: "stt.stream.reconnects",
  audioReplayed: "stt.audio.replayed",
  transcribeSpeed: "stt.transcribe.speed",
});

interface Instruments {
  readonly meter: Meter;
  readonly finalLatency: Histogram;
  readonly connectDuration: Histogram;
  readonly firstInterimLatency: Histogram;
  readonly audioSent: Counter;
  readonly audioProcessed: Counter;
  readonly reconnects: Counter;
  readonly audioReplayed: Counter;
  readonly transcribeSpeed: Histogram;
}

let cached: Instruments | undefined;

/** The instruments of the meter provider registered now (applications may register one after loading sttkit). */
function instruments(): Instruments {
  const meter = metrics.getMeter("@sttkit/core");
  if (cached?.meter === meter) return cached;
  const names = STT_METRIC_INSTRUMENTS;
  cached = {
    meter,
    finalLatency: meter.createHistogram(names.finalLatency, { unit: "ms", description: "End of a final's speech to its delivery." }),
    connectDuration: meter.createHistogram(names.connectDuration, { unit: "ms", description: "Opening a stream to the provider accepting it." }),
    firstInterimLatency: meter.createHistogram(names.firstInterimLatency, { unit: "ms", description: "First speech start to the first interim transcript." }),
    audioSent: meter.createCounter(names.audioSent, { unit: "s", description: "Audio written to streams." }),
    audioProcessed: meter.createCounter(names.audioProcessed, { unit: "s", description: "Audio the provider processed." }),
    reconnects: meter.createCounter(names.reconnects, { unit: "{reconnect}", description: "Connections re-established during streams." }),
    audioReplayed: meter.createCounter(names.audioReplayed, { unit: "s", description: "Audio sent again after reconnects." }),
    transcribeSpeed: meter.createHistogram(names.transcribeSpeed, { unit: "1", description: "Audio seconds per wall second of a transcribe()." }),
  };
  return cached;
}

/** The attributes of a stream's measurements. */
export interface MetricAttributes {
  /** The provider's name. */
  readonly provider: string;
  /** The language, when one was set. */
  readonly language?: string;
  /** The provider's model, when the adapter names one. */
  readonly model?: string;
}

function attributesOf(attributes: MetricAttributes): Attributes {
  return {
    "stt.provider": attributes.provider,
    ...(attributes.language ? { "stt.language": attributes.language } : {}),
    ...(attributes.model ? { "stt.model": attributes.model } : {}),
  };
}

/** Records one final's latency. An observer's failure never reaches the stream. */
export function recordFinalLatency(latencyMs: number, attributes: MetricAttributes): void {
  try {
    instruments().finalLatency.record(latencyMs, attributesOf(attributes));
  } catch {
    // A broken meter provider must not break recognition.
  }
}

/** Records a finished stream's summary. */
export function recordStreamMetrics(summary: StreamMetrics, attributes: MetricAttributes): void {
  try {
    const at = attributesOf(attributes);
    const meter = instruments();
    if (summary.connectMs !== undefined) meter.connectDuration.record(summary.connectMs, at);
    if (summary.firstInterimMs !== undefined) meter.firstInterimLatency.record(summary.firstInterimMs, at);
    meter.audioSent.add(summary.audioSentMs / 1000, at);
    meter.audioProcessed.add(summary.audioProcessedMs / 1000, at);
    if (summary.reconnects > 0) meter.reconnects.add(summary.reconnects, at);
    if (summary.replayedAudioMs > 0) meter.audioReplayed.add(summary.replayedAudioMs / 1000, at);
  } catch {
    // A broken meter provider must not break recognition.
  }
}

/** Records the speed of one `transcribe()`, in audio seconds per wall second. */
export function recordTranscribeSpeed(audioSecondsPerWallSecond: number, attributes: MetricAttributes): void {
  try {
    instruments().transcribeSpeed.record(audioSecondsPerWallSecond, attributesOf(attributes));
  } catch {
    // A broken meter provider must not break recognition.
  }
}
