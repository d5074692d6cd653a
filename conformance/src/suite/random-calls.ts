import fc from "fast-check";
import { encodeWav, isSttError, type SpeechEvent, type SpeechToText, type SttError, type WavAudio } from "@sttkit/core";
import type { Result } from "neverthrow";
import { expect } from "vitest";

/** Values of every shape a careless caller, or options parsed from JSON, could pass. */
export const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.anything(),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, 1e300, -1, 0, "", null, undefined),
);

/** Stream options near the valid ones, with fields of any type, so checks past the first are reached. */
const streamOptions: fc.Arbitrary<unknown> = fc.oneof(
  anyValue,
  fc.record(
    {
      format: fc.oneof(
        fc.record({
          sampleRate: fc.oneof(fc.constantFrom(8_000, 16_000, 12_345), anyValue),
          channels: fc.oneof(fc.constantFrom(1, 2), anyValue),
          bitsPerSample: fc.oneof(fc.constant(16), anyValue),
        }),
        anyValue,
      ),
      language: fc.oneof(fc.constantFrom("en-US", "xx-YY", ["en-US", "de-DE"], []), anyValue),
      interimResults: anyValue,
      wordTimings: anyValue,
      phrases: fc.oneof(fc.array(fc.string()), anyValue),
      signal: fc.oneof(fc.constant(AbortSignal.abort()), anyValue),
    },
    { requiredKeys: [] },
  ),
);

/** Asserts the contract for any result: an `Ok`, or an `Err` holding a well-formed {@link SttError}. */
export function expectTypedResult<T>(result: Result<T, SttError>): void {
  if (result.isErr()) {
    expect(isSttError(result.error), `not an SttError: ${JSON.stringify(result.error)}`).toBe(true);
    expect(result.error.message.length).toBeGreaterThan(0);
  }
}

/** `stream()` with options of any shape: a typed error or a stream (closed again), never a throw. */
export async function checkStreamWithAnyOptions(stt: SpeechToText, runs: number): Promise<void> {
  await fc.assert(
    fc.asyncProperty(streamOptions, async (options) => {
      const stream = stt.stream(options as never);
      expectTypedResult(stream);
      if (stream.isOk()) await stream.value.close();
    }),
    { numRuns: runs },
  );
}

type Call =
  | { readonly call: "write"; readonly bytes: number }
  | { readonly call: "write-huge" }
  | { readonly call: "write-garbage"; readonly value: unknown }
  | { readonly call: "end" }
  | { readonly call: "close" }
  | { readonly call: "end-and-close" }
  | { readonly call: "pause"; readonly ms: number };

const HUGE_CHUNK_BYTES = 4 * 1024 * 1024;

const calls: fc.Arbitrary<Call> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ call: fc.constant("write" as const), bytes: fc.integer({ min: 0, max: 20_000 }) }) },
  { weight: 1, arbitrary: fc.constant({ call: "write-huge" as const }) },
  { weight: 1, arbitrary: fc.record({ call: fc.constant("write-garbage" as const), value: anyValue }) },
  { weight: 1, arbitrary: fc.constantFrom<Call>({ call: "end" }, { call: "close" }, { call: "end-and-close" }) },
  { weight: 2, arbitrary: fc.record({ call: fc.constant("pause" as const), ms: fc.integer({ min: 0, max: 30 }) }) },
);

/**
 * Random sequences of writes (any size, odd ones, huge ones, values that are not bytes), `end()`,
 * `close()` and concurrent end-and-close on one stream of `stt`, finished by `close()`: every call
 * answers with a typed result, nothing throws or hangs, the event iteration ends with exactly one
 * `usage` event, and the stream refuses writes afterwards.
 */
export async function checkRandomCallSequences(stt: SpeechToText, audio: WavAudio, runs: number): Promise<void> {
  await fc.assert(
    fc.asyncProperty(fc.array(calls, { maxLength: 25 }), async (sequence) => {
      const opened = stt.stream({ format: audio.format });
      expectTypedResult(opened);
      if (opened.isErr()) return;
      const stream = opened.value;
      const events: SpeechEvent[] = [];
      const reading = (async () => {
        for await (const event of stream) events.push(event);
      })();
      const pending: Array<Promise<unknown>> = [];
      const ending = async (): Promise<void> => expectTypedResult(await stream.end());
      let at = 0;
      for (const step of sequence) {
        if (step.call === "write" || step.call === "write-huge") {
          const start = at % audio.pcm.byteLength;
          const chunk = step.call === "write" ? audio.pcm.subarray(start, start + step.bytes) : new Uint8Array(HUGE_CHUNK_BYTES);
          at += chunk.byteLength;
          const written = stream.write(chunk);
          expectTypedResult(written);
          if (written.isOk() && !written.value) pending.push(stream.drained());
        } else if (step.call === "write-garbage") {
          const written = stream.write(step.value as Uint8Array);
          if (!(step.value instanceof Uint8Array)) expect(written.isErr() && written.error.kind).toBe("invalid-argument");
        } else if (step.call === "end") {
          pending.push(ending());
        } else if (step.call === "close") {
          pending.push(stream.close());
        } else if (step.call === "end-and-close") {
          pending.push(ending(), stream.close(), ending());
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
    { numRuns: runs },
  );
}

/**
 * `transcribe()` of random bytes, of a valid WAV cut anywhere, and of values that are not audio,
 * with options of any type: a typed error or a transcript, never a throw.
 */
export async function checkTranscribeWithAnyInput(stt: SpeechToText, audio: WavAudio, runs: number): Promise<void> {
  const second = audio.pcm.subarray(0, Math.min(audio.pcm.byteLength, audio.format.sampleRate * audio.format.channels * 2));
  const wav = encodeWav(second, audio.format);
  await fc.assert(
    fc.asyncProperty(
      fc.oneof(fc.uint8Array({ maxLength: 300 }), fc.nat({ max: wav.byteLength }).map((cut) => wav.subarray(0, cut)), anyValue),
      fc.oneof(fc.constant(undefined), fc.record({ chunkMs: anyValue, language: anyValue, onEvent: anyValue }, { requiredKeys: [] })),
      async (source, options) => {
        expectTypedResult(await stt.transcribe(source as never, options as never));
      },
    ),
    { numRuns: runs },
  );
}
