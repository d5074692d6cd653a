import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeWav, isSttError, readWavFile, type SpeechEvent, type SpeechToText, type SttError } from "@sttkit/core";
import type { Result } from "neverthrow";
import { loadFixtures, loadRecordedSession } from "../../../conformance/src/fixtures/index.js";
import { startAzureReplayServer } from "../../../conformance/src/azure/server.js";
import type { RecordedAzureSession } from "../../../conformance/src/azure/session-format.js";
import { countOpenHandles, settleHandles, type HandleCounts } from "../../../conformance/src/suite/open-handles.js";
import { createAzureSpeechToText } from "./index.js";

const KEY = "fuzz-key";
const HUGE_BYTES = 4 * 1024 * 1024;

/** Values of every shape a careless caller, or a hand-edited JSON config, could pass. */
const anyValue = fc.oneof(fc.anything(), fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, -1, 0, "", null, undefined));

/** Configs near the valid ones, so the fuzzing reaches past the first check. */
const configs = fc.oneof(
  anyValue,
  fc.record(
    {
      region: fc.oneof(fc.constantFrom("westeurope", "eastus"), anyValue),
      apiKey: fc.oneof(fc.string(), anyValue),
      host: fc.oneof(fc.constantFrom("ws://127.0.0.1:1", "http://x", "not a url", "wss://h/path?q"), anyValue),
      endpoint: anyValue,
      language: fc.oneof(fc.constantFrom("en-US", "de-DE", ["en-US", "fr-FR"]), anyValue),
      sampleRate: fc.oneof(fc.constantFrom(8_000, 16_000, 44_100), anyValue),
      endpointId: anyValue,
      phrases: fc.oneof(fc.array(fc.string()), anyValue),
      profanity: anyValue,
      reconnect: fc.oneof(fc.record({ maxAttempts: anyValue, backoffMs: anyValue, maxReplaySeconds: anyValue }, { requiredKeys: [] }), anyValue),
      connectTimeoutMs: anyValue,
      finishTimeoutMs: anyValue,
      sdkProperties: fc.oneof(fc.dictionary(fc.string(), fc.string()), anyValue),
    },
    { requiredKeys: [] },
  ),
);

const streamOptions = fc.oneof(
  anyValue,
  fc.record(
    {
      format: fc.oneof(fc.record({ sampleRate: fc.oneof(fc.constantFrom(8_000, 16_000, 12_345), anyValue), channels: fc.oneof(fc.constantFrom(1, 2), anyValue), bitsPerSample: fc.oneof(fc.constant(16), anyValue) }), anyValue),
      language: fc.oneof(fc.constantFrom("en-US", "xx-YY", ["en-US", "de-DE"], []), anyValue),
      interimResults: anyValue,
      wordTimings: anyValue,
      phrases: fc.oneof(fc.array(fc.string()), anyValue),
      signal: fc.oneof(fc.constant(AbortSignal.abort()), anyValue),
    },
    { requiredKeys: [] },
  ),
);

function expectTyped<T>(result: Result<T, SttError>): void {
  if (result.isErr()) {
    expect(isSttError(result.error), JSON.stringify(result.error)).toBe(true);
    expect(result.error.message.length).toBeGreaterThan(0);
  }
}

type Operation =
  | { readonly op: "write"; readonly bytes: number }
  | { readonly op: "write-huge" }
  | { readonly op: "write-garbage"; readonly value: unknown }
  | { readonly op: "end" }
  | { readonly op: "close" }
  | { readonly op: "end-and-close" }
  | { readonly op: "pause"; readonly ms: number };

const operation: fc.Arbitrary<Operation> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ op: fc.constant("write" as const), bytes: fc.integer({ min: 0, max: 20_000 }) }) },
  { weight: 1, arbitrary: fc.constant({ op: "write-huge" as const }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("write-garbage" as const), value: anyValue }) },
  { weight: 1, arbitrary: fc.constantFrom<Operation>({ op: "end" }, { op: "close" }, { op: "end-and-close" }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("pause" as const), ms: fc.integer({ min: 0, max: 30 }) }) },
);

describe("Azure adapter entry points under random input", () => {
  it("createAzureSpeechToText of any config and environment: a typed error or an adapter, never a throw", () => {
    fc.assert(
      fc.property(configs, fc.oneof(fc.dictionary(fc.string(), fc.string()), fc.constant({})), (config, env) => {
        expectTyped(createAzureSpeechToText(config as never, env));
      }),
      { numRuns: 1_000 },
    );
  });

  it("stream() of any options: a typed error or a stream, never a throw", async () => {
    const stt = createAzureSpeechToText({ host: "ws://127.0.0.1:9", apiKey: KEY }, {})._unsafeUnwrap();
    await fc.assert(
      fc.asyncProperty(streamOptions, async (options) => {
        const stream = stt.stream(options as never);
        expectTyped(stream);
        if (stream.isOk()) await stream.value.close();
      }),
      { numRuns: 500 },
    );
  });
});

describe("Azure adapter under random sequences of calls (real SDK, local protocol server)", () => {
  let server: Awaited<ReturnType<typeof startAzureReplayServer>>;
  let stt: SpeechToText;
  let audio: Uint8Array;
  let handlesBefore: HandleCounts;

  beforeAll(async () => {
    handlesBefore = countOpenHandles();
    const fixture = loadFixtures()._unsafeUnwrap().fixtures.find((candidate) => candidate.id === "librivox-0880");
    if (!fixture) throw new Error("fixture librivox-0880 is missing");
    audio = (await readWavFile(fixture.audioPath))._unsafeUnwrap().pcm;
    const session = loadRecordedSession("librivox-0880", "azure")._unsafeUnwrap() as RecordedAzureSession;
    server = await startAzureReplayServer({ session, expectedKey: KEY });
    stt = createAzureSpeechToText(
      { host: server.host, apiKey: KEY, connectTimeoutMs: 10_000, finishTimeoutMs: 5_000, sdkProperties: { "SPEECH-TransmitLengthBeforThrottleMs": "600000" } },
      {},
    )._unsafeUnwrap();
  });

  afterAll(async () => {
    await server.close();
    expect(await settleHandles(handlesBefore), "handles left open").toEqual({});
  });

  it("writes of any size, garbage, huge chunks, end and close in any order: typed results, no throw, no hang", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(operation, { maxLength: 25 }), async (operations) => {
        const stream = stt.stream()._unsafeUnwrap();
        const events: SpeechEvent[] = [];
        const reading = (async () => {
          for await (const event of stream) events.push(event);
        })();
        const pending: Array<Promise<unknown>> = [];
        const ending = async () => expectTyped(await stream.end());
        let at = 0;
        for (const step of operations) {
          if (step.op === "write") {
            const chunk = audio.subarray(at % audio.byteLength, (at % audio.byteLength) + step.bytes);
            at += step.bytes;
            const written = stream.write(chunk);
            expectTyped(written);
            if (written.isOk() && !written.value) pending.push(stream.drained());
          } else if (step.op === "write-huge") {
            expectTyped(stream.write(new Uint8Array(HUGE_BYTES)));
          } else if (step.op === "write-garbage") {
            const written = stream.write(step.value as Uint8Array);
            if (!(step.value instanceof Uint8Array)) expect(written._unsafeUnwrapErr().kind).toBe("invalid-argument");
          } else if (step.op === "end") {
            pending.push(ending());
          } else if (step.op === "close") {
            pending.push(stream.close());
          } else if (step.op === "end-and-close") {
            pending.push(ending(), stream.close());
          } else {
            await new Promise((resolve) => setTimeout(resolve, step.ms));
          }
        }
        pending.push(stream.close());
        await Promise.all(pending);
        await reading;
        expect(events.filter((event) => event.type === "usage")).toHaveLength(1);
        expect(stream.write(new Uint8Array(2)).isErr()).toBe(true);
      }),
      { numRuns: 25 },
    );
  }, 120_000);

  it("transcribe() of random bytes, cut WAVs and odd options: a typed error or a transcript", async () => {
    const wav = encodeWav(audio.subarray(0, 32_000), { sampleRate: 16_000, channels: 1, bitsPerSample: 16 });
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.uint8Array({ maxLength: 300 }), fc.nat({ max: wav.byteLength }).map((cut) => wav.subarray(0, cut)), anyValue),
        fc.oneof(fc.constant(undefined), fc.record({ chunkMs: anyValue, language: anyValue }, { requiredKeys: [] })),
        async (source, options) => {
          expectTyped(await stt.transcribe(source as never, options as never));
        },
      ),
      { numRuns: 200 },
    );
  }, 120_000);
});
