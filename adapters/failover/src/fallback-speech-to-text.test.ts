import { ok, okAsync, type Result } from "neverthrow";
import { describe, expect, it } from "vitest";
import { bytesForMs, DEFAULT_AUDIO_FORMAT, type SttError, type SpeechEvent, type RecognitionStream, type SpeechToText, type StreamOptions, type SttCapabilities } from "@sttkit/core";
import { sttError, type RecognitionSink, createRecognitionStream } from "@sttkit/core/kit";
import { createSttContainer, resolveSpeechToText, type SttProviderDefinition } from "@sttkit/core/di";
import { err } from "neverthrow";
import { FallbackSpeechToText } from "./fallback-speech-to-text.js";
import { fallbackProvider } from "./provider.js";

const format = DEFAULT_AUDIO_FORMAT;
const CHUNK_MS = 100;
const CHUNK_BYTES = bytesForMs(CHUNK_MS, format);
/** Every 5 chunks (500 ms) of audio the "engine" below finalises one segment. */
const CHUNKS_PER_SEGMENT = 5;

const capabilities: SttCapabilities = {
  streaming: true,
  interimResults: false,
  wordTimings: false,
  languageDetection: false,
  customVocabulary: false,
  diarization: false,
  sampleRates: [16_000],
  channels: [1],
  ttfsP99LatencyMs: 50,
  reconnects: false,
};

/**
 * A deterministic recogniser for tests of the failover logic: audio chunk n is filled with the
 * byte n, and every 500 ms of audio becomes a final whose text lists the chunk numbers heard, on
 * the stream's own time line. So the test can tell exactly which audio each provider received.
 */
class ChunkReader implements SpeechToText {
  readonly capabilities = capabilities;
  readonly received: number[][] = [];
  failAfterChunks: number | undefined;
  failWith: SttError = sttError({ kind: "connection", message: "dropped" });
  refuseStreams = false;
  hangOnFinish = false;

  constructor(readonly provider: string) {}

  stream(options?: StreamOptions): Result<RecognitionStream, SttError> {
    const heard: number[] = [];
    this.received.push(heard);
    let sink!: RecognitionSink;
    let pending: number[] = [];
    let segmentStart = 0;
    let bytes = 0;
    const failAfter = this.failAfterChunks;
    this.failAfterChunks = undefined; // one failure, on the next stream only
    const failWith = this.failWith;
    const refuse = this.refuseStreams;
    const hang = this.hangOnFinish;
    return ok(
      createRecognitionStream({
        provider: this.provider,
        format: options?.format ?? format,
        driver: {
          start: (s) => {
            sink = s;
            if (refuse) queueMicrotask(() => sink.fail(failWith));
          },
          write: (pcm) => {
            for (let at = 0; at < pcm.byteLength; at += CHUNK_BYTES) {
              heard.push(pcm[at] as number);
              pending.push(pcm[at] as number);
              bytes += CHUNK_BYTES;
              if (failAfter !== undefined && heard.length === failAfter) {
                sink.fail(failWith);
                return true;
              }
              if (pending.length === CHUNKS_PER_SEGMENT) {
                const endMs = (bytes / CHUNK_BYTES) * CHUNK_MS;
                sink.emit({ type: "final", segment: { text: pending.join(","), startMs: segmentStart, endMs } });
                pending = [];
                segmentStart = endMs;
              }
            }
            return true;
          },
          finish: () => {
            if (hang) return new Promise(() => undefined);
            if (pending.length > 0) {
              const endMs = (bytes / CHUNK_BYTES) * CHUNK_MS;
              sink.emit({ type: "final", segment: { text: pending.join(","), startMs: segmentStart, endMs } });
            }
            return Promise.resolve(ok(undefined));
          },
          dispose: () => Promise.resolve(),
          // A refused stream processed nothing; otherwise every chunk it read.
          processedAudioMs: () => (refuse ? 0 : (bytes / CHUNK_BYTES) * CHUNK_MS),
        },
      }),
    );
  }

  transcribe() {
    return okAsync({ text: "", segments: [], audioSeconds: 0 });
  }
}

function numberedAudio(chunks: number): Uint8Array[] {
  return Array.from({ length: chunks }, (_, n) => new Uint8Array(CHUNK_BYTES).fill(n));
}

async function run(stt: SpeechToText, chunks: number, pauseEvery = 0) {
  const stream = stt.stream({ format })._unsafeUnwrap();
  const events: SpeechEvent[] = [];
  const consuming = (async () => {
    for await (const event of stream) events.push(event);
  })();
  let n = 0;
  for (const chunk of numberedAudio(chunks)) {
    stream.write(chunk);
    if (pauseEvery > 0 && ++n % pauseEvery === 0) await new Promise((resolve) => setTimeout(resolve, 5));
  }
  const result = await stream.end();
  await consuming;
  return { result, events };
}

const fast = { backoff: { initialMs: 1, maxMs: 5 } };

describe("FallbackSpeechToText", () => {
  it("passes everything through when the primary is healthy", async () => {
    const a = new ChunkReader("a");
    const b = new ChunkReader("b");
    const chain = FallbackSpeechToText.create([a, b], fast)._unsafeUnwrap();
    const { result } = await run(chain, 12);
    expect(result._unsafeUnwrap().segments.map((s) => s.text)).toEqual(["0,1,2,3,4", "5,6,7,8,9", "10,11"]);
    expect(b.received).toHaveLength(0);
  });

  it("switches on a retryable failure, replaying the audio since the last final: nothing lost, nothing doubled", async () => {
    const a = new ChunkReader("a");
    a.failAfterChunks = 8; // after one final (chunks 0-4), mid-way through the second
    const b = new ChunkReader("b");
    const chain = FallbackSpeechToText.create([a, b], fast)._unsafeUnwrap();
    const { result, events } = await run(chain, 17, 3);
    const transcript = result._unsafeUnwrap();
    expect(transcript.segments.map((s) => s.text)).toEqual(["0,1,2,3,4", "5,6,7,8,9", "10,11,12,13,14", "15,16"]);
    // Offsets stay on the outer time line although b started counting from 0 at chunk 5.
    expect(transcript.segments.map((s) => [s.startMs, s.endMs])).toEqual([[0, 500], [500, 1000], [1000, 1500], [1500, 1700]]);
    expect(b.received[0]?.[0]).toBe(5);
    const switched = events.find((e) => e.type === "provider-switched");
    expect(switched).toMatchObject({ from: "a", to: "b", resumeAtMs: 500, reason: { kind: "connection" } });
    expect(events.filter((e) => e.type === "error").every((e) => e.type === "error" && !e.fatal)).toBe(true);
  });

  it("treats an attempt that overruns its time limit as failed and finishes on the next provider", async () => {
    const a = new ChunkReader("a");
    a.hangOnFinish = true;
    const b = new ChunkReader("b");
    const chain = FallbackSpeechToText.create([a, b], { ...fast, attemptTimeoutMs: 50 })._unsafeUnwrap();
    const { result, events } = await run(chain, 7);
    expect(result._unsafeUnwrap().segments.map((s) => s.text)).toEqual(["0,1,2,3,4", "5,6"]);
    expect(events.find((e) => e.type === "provider-switched")).toMatchObject({ reason: { kind: "timeout" }, resumeAtMs: 500 });
  });

  it("fails at once on an error another provider cannot fix", async () => {
    const a = new ChunkReader("a");
    a.failAfterChunks = 2;
    a.failWith = sttError({ kind: "authentication", message: "bad key" });
    const b = new ChunkReader("b");
    const chain = FallbackSpeechToText.create([a, b], fast)._unsafeUnwrap();
    const { result } = await run(chain, 6);
    expect(result._unsafeUnwrapErr().kind).toBe("authentication");
    expect(b.received).toHaveLength(0);
  });

  it("gives up after maxAttempts with the last error", async () => {
    const a = new ChunkReader("a");
    const b = new ChunkReader("b");
    a.refuseStreams = true;
    b.refuseStreams = true;
    const chain = FallbackSpeechToText.create([a, b], { ...fast, maxAttempts: 3 })._unsafeUnwrap();
    const { result, events } = await run(chain, 6);
    expect(result._unsafeUnwrapErr().kind).toBe("connection");
    expect(a.received.length + b.received.length).toBe(3);
    expect(events.filter((e) => e.type === "provider-switched")).toHaveLength(2);
  });

  it("reports as usage the audio its providers processed: none when every one refused, all of it once across a switch", async () => {
    const a = new ChunkReader("a");
    const b = new ChunkReader("b");
    a.refuseStreams = true;
    b.refuseStreams = true;
    const refused = await run(FallbackSpeechToText.create([a, b], { ...fast, maxAttempts: 3 })._unsafeUnwrap(), 6);
    expect(refused.events.filter((e) => e.type === "usage")).toEqual([{ type: "usage", audioSeconds: 0 }]);

    const c = new ChunkReader("c");
    c.failAfterChunks = 8;
    const switched = await run(FallbackSpeechToText.create([c, new ChunkReader("d")], fast)._unsafeUnwrap(), 17, 3);
    expect(switched.result._unsafeUnwrap().audioSeconds).toBeCloseTo(1.7, 6);
  });

  it("passes a failed provider over for new streams until its cooldown ends, then returns to it", async () => {
    const a = new ChunkReader("a");
    a.refuseStreams = true;
    const b = new ChunkReader("b");
    const chain = FallbackSpeechToText.create([a, b], { ...fast, cooldownMs: 60 })._unsafeUnwrap();
    expect((await run(chain, 5)).result.isOk()).toBe(true);
    expect(a.received).toHaveLength(1);
    a.refuseStreams = false;
    await run(chain, 5); // within the cooldown: straight to b
    expect(a.received).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 80));
    await run(chain, 5);
    expect(a.received).toHaveLength(2);
  });

  it("returns mid-stream to the recovered primary at a final boundary", async () => {
    const a = new ChunkReader("a");
    a.failAfterChunks = 3;
    const b = new ChunkReader("b");
    const chain = FallbackSpeechToText.create([a, b], { ...fast, cooldownMs: 0 })._unsafeUnwrap();
    const { result, events } = await run(chain, 15, 1);
    expect(result._unsafeUnwrap().segments.map((s) => s.text)).toEqual(["0,1,2,3,4", "5,6,7,8,9", "10,11,12,13,14"]);
    const switches = events.filter((e) => e.type === "provider-switched").map((e) => e.type === "provider-switched" && `${e.from}->${e.to}`);
    expect(switches[0]).toBe("a->b");
    expect(switches).toContain("b->a");
  });

  it("declares only what every member can do, and refuses an empty chain", () => {
    const a = new ChunkReader("a");
    const chain = FallbackSpeechToText.create([a, Object.assign(new ChunkReader("b"), { capabilities: { ...capabilities, sampleRates: [8000, 16_000], ttfsP99LatencyMs: 900 } })])._unsafeUnwrap();
    expect(chain.capabilities).toMatchObject({ sampleRates: [16_000], ttfsP99LatencyMs: 900, reconnects: true });
    expect(FallbackSpeechToText.create([])._unsafeUnwrapErr().kind).toBe("invalid-argument");
    expect(FallbackSpeechToText.create([a], { maxAttempts: -1 })._unsafeUnwrapErr().kind).toBe("invalid-argument");
  });
});

/** A provider whose settings must name `chunks: true`, to show each member is built from its own section. */
function chunkReaderProvider(name: string, built: ChunkReader[]): SttProviderDefinition {
  return {
    name,
    create: (settings) =>
      (settings as { chunks?: unknown } | undefined)?.chunks === true
        ? ok(built[built.push(new ChunkReader(name)) - 1] as ChunkReader)
        : err(sttError({ kind: "invalid-argument", argument: `${name}.chunks`, message: "chunks must be true" })),
  };
}

describe("fallback provider from config", () => {
  const built: ChunkReader[] = [];
  const members = [chunkReaderProvider("alpha", built), chunkReaderProvider("beta", built)];
  const registry = [...members, fallbackProvider(members)];

  it("builds a chain of the named providers, each from its own section, preferring the first", async () => {
    const container = createSttContainer(
      { provider: "fallback", fallback: { providers: ["beta", "alpha"], maxAttempts: 3 }, alpha: { chunks: true }, beta: { chunks: true } },
      registry,
    )._unsafeUnwrap();
    const stt = resolveSpeechToText(container)._unsafeUnwrap();
    expect(stt.provider).toBe("fallback");
    const stream = stt.stream()._unsafeUnwrap();
    for (let chunk = 0; chunk < CHUNKS_PER_SEGMENT; chunk++) stream.write(new Uint8Array(CHUNK_BYTES).fill(chunk));
    const transcript = (await stream.end())._unsafeUnwrap();
    expect(built.map((reader) => reader.provider)).toEqual(["beta", "alpha"]);
    expect(built[0]?.received).toEqual([[0, 1, 2, 3, 4]]);
    expect(built[1]?.received).toEqual([]);
    expect(transcript.segments).toHaveLength(1);
  });

  it("reports a bad chain as a typed error", () => {
    expect(createSttContainer({ provider: "fallback", fallback: {} }, registry)._unsafeUnwrapErr()).toMatchObject({ argument: "fallback.providers" });
    expect(createSttContainer({ provider: "fallback", fallback: { providers: ["alpha", "zeta"] }, alpha: { chunks: true } }, registry)._unsafeUnwrapErr().message).toContain("zeta");
    expect(createSttContainer({ provider: "fallback", fallback: { providers: ["alpha"] } }, registry)._unsafeUnwrapErr()).toMatchObject({ argument: "alpha.chunks" });
    expect(createSttContainer({ provider: "fallback", fallback: { providers: ["fallback"] } }, registry)._unsafeUnwrapErr()).toMatchObject({ argument: "fallback.providers" });
  });
});

describe("failover settings", () => {
  const members = [new ChunkReader("a"), new ChunkReader("b")];

  it.each([
    [{ maxAttempts: 0 }, "fallback.maxAttempts"],
    [{ maxAttempts: 1.5 }, "fallback.maxAttempts"],
    [{ attemptTimeoutMs: -1 }, "fallback.attemptTimeoutMs"],
    [{ recoverToPrimary: "no" }, "fallback.recoverToPrimary"],
    [{ backoff: { initialMs: "fast" } }, "fallback.backoff.initialMs"],
    [{ backoff: { jitter: true } }, "fallback.backoff.jitter"],
    [{ retries: 3 }, "fallback.retries"],
    [{ __proto__: { polluted: true }, cooldownMs: 1 }, undefined],
  ])("checks %j, naming %s", (options, argument) => {
    const created = FallbackSpeechToText.create(members, options as never);
    if (argument === undefined) expect(created.isOk()).toBe(true);
    else expect(created._unsafeUnwrapErr()).toMatchObject({ kind: "invalid-argument", argument });
  });

  it("accepts every documented setting", () => {
    const created = FallbackSpeechToText.create(members, {
      maxAttempts: 3,
      backoff: { initialMs: 10, multiplier: 1.5, maxMs: 100 },
      attemptTimeoutMs: 1_000,
      cooldownMs: 0,
      recoverToPrimary: false,
      maxReplayMs: 60_000,
    });
    expect(created.isOk()).toBe(true);
  });
});
