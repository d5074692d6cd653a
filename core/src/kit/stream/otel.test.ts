import { metrics } from "@opentelemetry/api";
import { AggregationTemporality, MeterProvider, MetricReader, type ResourceMetrics } from "@opentelemetry/sdk-metrics";
import { ok } from "neverthrow";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_AUDIO_FORMAT } from "../../audio/format.js";
import type { RecognitionSink } from "./driver.js";
import { STT_METRIC_INSTRUMENTS } from "./otel.js";
import { createRecognitionStream } from "./recognition-stream.js";

/** Collects on demand: the in-memory reader of the OpenTelemetry metrics SDK. */
class CollectingReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  protected override onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
  protected override onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}

function points(collected: ResourceMetrics, name: string): Array<{ attributes: Record<string, unknown>; value: unknown }> {
  return collected.scopeMetrics
    .filter((scope) => scope.scope.name === "@sttkit/core")
    .flatMap((scope) => scope.metrics.filter((metric) => metric.descriptor.name === name))
    .flatMap((metric) => metric.dataPoints.map((point) => ({ attributes: point.attributes, value: point.value })));
}

describe("OpenTelemetry measurements", () => {
  const reader = new CollectingReader();
  const provider = new MeterProvider({ readers: [reader] });
  beforeAll(() => {
    metrics.setGlobalMeterProvider(provider);
  });
  afterAll(async () => {
    await provider.shutdown();
    metrics.disable();
  });

  it("every stream reports its finals' latency and its audio, with provider, language and model", async () => {
    let sink!: RecognitionSink;
    const stream = createRecognitionStream({
      provider: "demo",
      format: DEFAULT_AUDIO_FORMAT,
      language: "en-US" as never,
      model: "demo-1",
      driver: {
        start: (s) => {
          sink = s;
          sink.connected();
        },
        write: () => true,
        finish: () => {
          sink.emit({ type: "final", segment: { text: "hello", startMs: 0, endMs: 500 } });
          return Promise.resolve(ok(undefined));
        },
        dispose: () => Promise.resolve(),
      },
    });
    stream.write(new Uint8Array(32_000)); // 1 s
    (await stream.end())._unsafeUnwrap();
    const { resourceMetrics, errors } = await reader.collect();
    expect(errors).toEqual([]);
    const attributes = { "stt.provider": "demo", "stt.language": "en-US", "stt.model": "demo-1" };
    const latency = points(resourceMetrics, STT_METRIC_INSTRUMENTS.finalLatency);
    expect(latency).toHaveLength(1);
    expect(latency[0]).toMatchObject({ attributes, value: { count: 1 } });
    expect(points(resourceMetrics, STT_METRIC_INSTRUMENTS.audioSent)).toEqual([{ attributes, value: 1 }]);
    expect(points(resourceMetrics, STT_METRIC_INSTRUMENTS.audioProcessed)).toEqual([{ attributes, value: 1 }]);
    expect(points(resourceMetrics, STT_METRIC_INSTRUMENTS.connectDuration)[0]).toMatchObject({ attributes, value: { count: 1 } });
  });
});
