import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { chunkPcm } from "./audio/chunking.js";
import { pcmFormat, validateAudioFormat, type AudioFormat } from "./audio/format.js";
import { loadSttConfig } from "./di/load-config.js";
import { isSttError, type SttError } from "./errors.js";
import { parseLanguage } from "./language.js";
import { loadAudioSource } from "./kit/transcribe.js";
import type { Result } from "neverthrow";

/** Values of every shape a careless caller (or a JSON config) could pass. */
const anyValue = fc.oneof(
  fc.anything(),
  fc.double(),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, -1, 0, 2 ** 53, "", null, undefined),
);

function expectTyped<T>(result: Result<T, SttError>): void {
  if (result.isErr()) {
    expect(isSttError(result.error)).toBe(true);
    expect(result.error.message.length).toBeGreaterThan(0);
  }
}

describe("public entry points under random input: a typed error or a clean result, never a throw", () => {
  it("validateAudioFormat and pcmFormat accept only sane formats", () => {
    fc.assert(
      fc.property(anyValue, anyValue, anyValue, (sampleRate, channels, bitsPerSample) => {
        const result = validateAudioFormat({ sampleRate, channels, bitsPerSample } as unknown as AudioFormat);
        expectTyped(result);
        if (result.isOk()) {
          expect(Number.isInteger(result.value.sampleRate) && Number.isInteger(result.value.channels)).toBe(true);
        }
        expectTyped(pcmFormat(sampleRate as number, channels as number));
      }),
      { numRuns: 1_000 },
    );
  });

  it("validateAudioFormat of something that is not a format at all", () => {
    fc.assert(fc.property(anyValue, (value) => expectTyped(validateAudioFormat(value as AudioFormat))), { numRuns: 500 });
  });

  it("parseLanguage of any value", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: "grapheme" }), anyValue), (tag) => {
        const result = parseLanguage(tag as string);
        expectTyped(result);
        if (result.isErr()) expect(result.error.kind).toBe("unsupported-language");
      }),
      { numRuns: 2_000 },
    );
  });

  it("loadAudioSource of any value", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(anyValue, fc.uint8Array({ maxLength: 256 }), fc.record({ pcm: fc.uint8Array({ maxLength: 64 }), format: anyValue }), fc.record({ path: anyValue })),
        async (source) => {
          const result = await loadAudioSource(source as never);
          expectTyped(result);
          if (result.isErr()) expect(["invalid-audio", "invalid-argument"]).toContain(result.error.kind);
        },
      ),
      { numRuns: 1_000 },
    );
  });

  it("chunkPcm loses and reorders nothing, whatever the chunk length", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 10_000 }), fc.oneof(fc.double(), fc.integer({ min: -10, max: 2_000 })), (pcm, chunkMs) => {
        const format = { sampleRate: 16_000, channels: 1, bitsPerSample: 16 } as const;
        const chunks = [...chunkPcm(pcm, format, chunkMs)];
        expect(Buffer.concat(chunks)).toEqual(Buffer.from(pcm));
        expect(chunks.every((chunk) => chunk.byteLength > 0)).toBe(true);
      }),
      { numRuns: 1_000 },
    );
  });

  it("loadSttConfig of any defaults, overrides and environment", async () => {
    const layer = fc.oneof(fc.dictionary(fc.string(), anyValue), fc.record({ provider: anyValue }));
    await fc.assert(
      fc.asyncProperty(layer, layer, fc.dictionary(fc.string(), fc.option(fc.string(), { nil: undefined })), async (defaults, overrides, env) => {
        const { STT_CONFIG: _ignored, ...safeEnv } = env;
        const result = await loadSttConfig({ defaults: defaults as never, overrides: overrides as never, env: safeEnv });
        expectTyped(result);
        if (result.isOk()) expect(typeof result.value.provider).toBe("string");
      }),
      { numRuns: 500 },
    );
  });
});
