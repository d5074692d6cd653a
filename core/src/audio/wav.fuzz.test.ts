import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isSttError } from "../errors.js";
import { bytesPerFrame, type AudioFormat } from "./format.js";
import { encodeWav, readWav } from "./wav.js";

const formats: fc.Arbitrary<AudioFormat> = fc.record({
  sampleRate: fc.integer({ min: 8_000, max: 48_000 }),
  channels: fc.integer({ min: 1, max: 8 }),
  bitsPerSample: fc.constant(16 as const),
});

/** A valid WAV file: a format and 1 to 200 whole frames of random samples. */
const wavFiles = fc.tuple(formats, fc.integer({ min: 1, max: 200 })).chain(([format, frames]) => {
  const byteLength = frames * bytesPerFrame(format);
  return fc.uint8Array({ minLength: byteLength, maxLength: byteLength }).map((pcm) => ({ format, pcm, file: encodeWav(pcm, format) }));
});

/** What readWav promises for any input: a typed invalid-audio error, or whole frames of a valid format. */
function expectTypedOutcome(bytes: Uint8Array, requireMono = false): void {
  const result = readWav(bytes, { requireMono });
  if (result.isErr()) {
    expect(isSttError(result.error)).toBe(true);
    expect(result.error.kind).toBe("invalid-audio");
    expect(result.error.message.length).toBeGreaterThan(0);
    return;
  }
  const { format, pcm } = result.value;
  expect(pcm.byteLength).toBeGreaterThan(0);
  expect(pcm.byteLength % bytesPerFrame(format)).toBe(0);
  expect(pcm.byteOffset + pcm.byteLength).toBeLessThanOrEqual(bytes.byteOffset + bytes.byteLength);
  if (requireMono) expect(format.channels).toBe(1);
}

describe("readWav under random and damaged input", () => {
  it("random bytes give a typed error or a valid result, never a throw", () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 512 }), fc.boolean(), (bytes, mono) => expectTypedOutcome(bytes, mono)), {
      numRuns: 2_000,
    });
  });

  it("random bytes behind a RIFF/WAVE header (random chunks) give a typed error or a valid result", () => {
    const header = new TextEncoder().encode("RIFF\0\0\0\0WAVE");
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), (body) => {
        const bytes = new Uint8Array(header.byteLength + body.byteLength);
        bytes.set(header, 0);
        bytes.set(body, header.byteLength);
        expectTypedOutcome(bytes);
      }),
      { numRuns: 2_000 },
    );
  });

  it("a valid file reads back exactly what was written", () => {
    fc.assert(
      fc.property(wavFiles, ({ format, pcm, file }) => {
        const read = readWav(file)._unsafeUnwrap();
        expect(read.format).toEqual(format);
        expect(Buffer.from(read.pcm)).toEqual(Buffer.from(pcm));
      }),
      { numRuns: 300 },
    );
  });

  it("a file cut anywhere is a typed error (truncated, or no data) and never reads past its end", () => {
    fc.assert(
      fc.property(wavFiles, fc.nat(), ({ file }, at) => {
        const cut = file.subarray(0, at % file.byteLength);
        const result = readWav(cut);
        expect(result.isErr()).toBe(true);
        expect(result._unsafeUnwrapErr().kind).toBe("invalid-audio");
      }),
      { numRuns: 1_000 },
    );
  });

  it("a valid file with random bytes overwritten gives a typed error or a valid result", () => {
    fc.assert(
      fc.property(wavFiles, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }), ({ file }, edits) => {
        const damaged = file.slice();
        for (const [at, value] of edits) damaged[at % damaged.byteLength] = value;
        expectTypedOutcome(damaged);
        expectTypedOutcome(damaged, true);
      }),
      { numRuns: 2_000 },
    );
  });

  it("a view into a larger buffer is read within the view only", () => {
    fc.assert(
      fc.property(wavFiles, fc.uint8Array({ maxLength: 64 }), fc.uint8Array({ maxLength: 64 }), ({ file, pcm }, before, after) => {
        const backing = new Uint8Array(before.byteLength + file.byteLength + after.byteLength);
        backing.set(before, 0);
        backing.set(file, before.byteLength);
        backing.set(after, before.byteLength + file.byteLength);
        const view = backing.subarray(before.byteLength, before.byteLength + file.byteLength);
        expect(Buffer.from(readWav(view)._unsafeUnwrap().pcm)).toEqual(Buffer.from(pcm));
      }),
      { numRuns: 300 },
    );
  });
});
