import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isSttError, readWavFile, type SpeechEvent, type SttError } from "@sttkit/core";
import type { Result } from "neverthrow";
import { loadFixtures } from "../../../conformance/src/fixtures/index.js";
import { countOpenHandles, settleHandles, type HandleCounts } from "../../../conformance/src/suite/open-handles.js";
import { createOfflineSpeechToText } from "./index.js";

const anyValue = fc.oneof(fc.anything(), fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, 1e300, -1, 0, "", null, undefined));

function expectTyped<T>(result: Result<T, SttError>): void {
  if (result.isErr()) {
    expect(isSttError(result.error), JSON.stringify(result.error)).toBe(true);
    expect(result.error.message.length).toBeGreaterThan(0);
  }
}

describe("offline adapter entry points under random input", () => {
  it("createOfflineSpeechToText of any config: a typed error or an adapter, never a throw", () => {
    const configs = fc.oneof(
      anyValue,
      fc.record({ language: anyValue, finishTimeoutMs: anyValue, dictionary: anyValue, languageModel: anyValue, acousticModel: anyValue }, { requiredKeys: [] }),
    );
    fc.assert(fc.property(configs, (config) => expectTyped(createOfflineSpeechToText(config as never))), { numRuns: 1_000 });
  });

  it("stream() of any options: a typed error or a stream, never a throw", async () => {
    const stt = createOfflineSpeechToText()._unsafeUnwrap();
    const options = fc.oneof(
      anyValue,
      fc.record(
        {
          format: fc.oneof(fc.record({ sampleRate: fc.oneof(fc.constantFrom(8_000, 16_000, 22_050), anyValue), channels: fc.oneof(fc.constantFrom(1, 2), anyValue), bitsPerSample: fc.oneof(fc.constant(16), anyValue) }), anyValue),
          language: fc.oneof(fc.constantFrom("en-US", "de-DE", ["en-US"]), anyValue),
          phrases: fc.oneof(fc.array(fc.string()), anyValue),
          interimResults: anyValue,
        },
        { requiredKeys: [] },
      ),
    );
    await fc.assert(
      fc.asyncProperty(options, async (given) => {
        const stream = stt.stream(given as never);
        expectTyped(stream);
        if (stream.isOk()) await stream.value.close();
      }),
      { numRuns: 300 },
    );
  });
});

describe("offline adapter under random sequences of calls (real engine)", () => {
  let audio: Uint8Array;
  let handlesBefore: HandleCounts;

  beforeAll(async () => {
    handlesBefore = countOpenHandles();
    const fixture = loadFixtures()._unsafeUnwrap().fixtures.find((candidate) => candidate.id === "librivox-0880");
    if (!fixture) throw new Error("fixture librivox-0880 is missing");
    audio = (await readWavFile(fixture.audioPath))._unsafeUnwrap().pcm;
  });

  afterAll(async () => {
    expect(await settleHandles(handlesBefore), "processes, pipes or timers left open").toEqual({});
  });

  it("odd-sized and huge writes, garbage, end and close in any order: typed results, no throw, no hang, no orphan process", async () => {
    const stt = createOfflineSpeechToText()._unsafeUnwrap();
    const operation = fc.oneof(
      { weight: 6, arbitrary: fc.integer({ min: 0, max: 40_000 }).map((bytes) => ({ op: "write" as const, bytes })) },
      { weight: 1, arbitrary: fc.constantFrom({ op: "write-huge" as const }, { op: "garbage" as const }, { op: "end" as const }, { op: "close" as const }, { op: "end-and-close" as const }) },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(operation, { maxLength: 12 }), async (operations) => {
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
            const start = at % audio.byteLength;
            at += step.bytes;
            const written = stream.write(audio.subarray(start, start + step.bytes));
            expectTyped(written);
            if (written.isOk() && !written.value) pending.push(stream.drained());
          } else if (step.op === "write-huge") {
            const written = stream.write(new Uint8Array(8 * 1024 * 1024));
            expectTyped(written);
            if (written.isOk() && !written.value) pending.push(stream.drained());
          } else if (step.op === "garbage") {
            expect(stream.write("audio" as never)._unsafeUnwrapErr().kind).toBe("invalid-argument");
          } else if (step.op === "end") {
            pending.push(ending());
          } else if (step.op === "close") {
            pending.push(stream.close());
          } else {
            pending.push(ending(), stream.close());
          }
        }
        pending.push(stream.close());
        await Promise.all(pending);
        await reading;
        expect(events.filter((event) => event.type === "usage")).toHaveLength(1);
      }),
      { numRuns: 8 },
    );
  }, 120_000);
});
