import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { SttError } from "../errors.js";
import { DEFAULT_AUDIO_FORMAT, type AudioFormat } from "./format.js";
import { encodeWav, readWav, readWavFile } from "./wav.js";

const mono16k: AudioFormat = DEFAULT_AUDIO_FORMAT;

function pcmOfSamples(samples: number[]): Uint8Array {
  const out = new Uint8Array(samples.length * 2);
  const view = new DataView(out.buffer);
  samples.forEach((sample, i) => view.setInt16(i * 2, sample, true));
  return out;
}

/** A WAV header with arbitrary fields, for building the broken files the reader must refuse. */
function wavWith(fields: { encoding?: number; channels?: number; bits?: number; dataSize?: number; pcm?: Uint8Array }): Uint8Array {
  const pcm = fields.pcm ?? pcmOfSamples([1, 2, 3, 4]);
  const bytes = encodeWav(pcm, mono16k);
  const view = new DataView(bytes.buffer);
  if (fields.encoding !== undefined) view.setUint16(20, fields.encoding, true);
  if (fields.channels !== undefined) view.setUint16(22, fields.channels, true);
  if (fields.bits !== undefined) view.setUint16(34, fields.bits, true);
  if (fields.dataSize !== undefined) view.setUint32(40, fields.dataSize, true);
  return bytes;
}

function reasonOf(result: { isErr(): boolean; error?: unknown }): string | undefined {
  if (!result.isErr()) return undefined;
  const error = (result as { error: SttError }).error;
  return error.kind === "invalid-audio" ? error.reason : `wrong kind ${error.kind}`;
}

describe("readWav", () => {
  it("round-trips PCM through encodeWav", () => {
    const pcm = pcmOfSamples([0, 1000, -1000, 32767, -32768]);
    const result = readWav(encodeWav(pcm, mono16k));
    expect(result.isOk()).toBe(true);
    const wav = result._unsafeUnwrap();
    expect(wav.format).toEqual(mono16k);
    expect(Array.from(wav.pcm)).toEqual(Array.from(pcm));
  });

  it("skips unknown chunks before the data chunk", () => {
    const pcm = pcmOfSamples([5, 6]);
    const plain = encodeWav(pcm, mono16k);
    const list = new Uint8Array([0x4c, 0x49, 0x53, 0x54, 3, 0, 0, 0, 1, 2, 3, 0]); // "LIST", odd size + pad byte
    const withList = new Uint8Array(plain.byteLength + list.byteLength);
    withList.set(plain.subarray(0, 36), 0);
    withList.set(list, 36);
    withList.set(plain.subarray(36), 36 + list.byteLength);
    expect(Array.from(readWav(withList)._unsafeUnwrap().pcm)).toEqual(Array.from(pcm));
  });

  it("accepts the 0xFFFFFFFF data size streaming writers leave", () => {
    const pcm = pcmOfSamples([7, 8, 9]);
    expect(readWav(wavWith({ pcm, dataSize: 0xffffffff }))._unsafeUnwrap().pcm.byteLength).toBe(6);
  });

  it.each([
    ["not-riff", new TextEncoder().encode("OggS this is not a wav file at all")],
    ["not-riff", new Uint8Array(0)],
    ["not-wave", (() => { const b = wavWith({}); b.set(new TextEncoder().encode("AVI "), 8); return b; })()],
    ["not-pcm", wavWith({ encoding: 3 })],
    ["not-pcm", wavWith({ encoding: 0x55 })],
    ["unsupported-bit-depth", wavWith({ bits: 8 })],
    ["unsupported-bit-depth", wavWith({ bits: 24 })],
    ["truncated", wavWith({ dataSize: 1000 })],
    ["truncated", encodeWav(pcmOfSamples([1]), mono16k).subarray(0, 30)],
    ["empty", wavWith({ pcm: new Uint8Array(0) })],
    ["missing-data-chunk", encodeWav(pcmOfSamples([1]), mono16k).subarray(0, 36)],
  ])("rejects %s input with a typed error", (reason, bytes) => {
    expect(reasonOf(readWav(bytes))).toBe(reason);
  });

  it("rejects stereo when mono is required, and accepts it otherwise", () => {
    const stereo = encodeWav(pcmOfSamples([1, 2, 3, 4]), { sampleRate: 16_000, channels: 2, bitsPerSample: 16 });
    expect(reasonOf(readWav(stereo, { requireMono: true }))).toBe("unsupported-channels");
    expect(readWav(stereo)._unsafeUnwrap().format.channels).toBe(2);
  });

  it("rejects a data chunk before the format chunk", () => {
    const bytes = new Uint8Array(12 + 8 + 4);
    bytes.set(new TextEncoder().encode("RIFF"), 0);
    bytes.set(new TextEncoder().encode("WAVE"), 8);
    bytes.set(new TextEncoder().encode("data"), 12);
    new DataView(bytes.buffer).setUint32(16, 4, true);
    expect(reasonOf(readWav(bytes))).toBe("missing-format-chunk");
  });

  it("rejects absurd sample rates", () => {
    const bytes = wavWith({});
    new DataView(bytes.buffer).setUint32(24, 1_000_000, true);
    expect(reasonOf(readWav(bytes))).toBe("unsupported-sample-rate");
  });

  it("reads files, and reports unreadable paths as typed errors", async () => {
    const dir = await mkdtemp(join(tmpdir(), "sttkit-wav-"));
    try {
      const path = join(dir, "a.wav");
      await writeFile(path, encodeWav(pcmOfSamples([1, 2]), mono16k));
      expect((await readWavFile(path))._unsafeUnwrap().pcm.byteLength).toBe(4);
      expect(reasonOf(await readWavFile(join(dir, "missing.wav")))).toBe("unreadable-file");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("reads at most maxBytes: a larger file or an endless device is an error, not a read without end", async () => {
    const dir = await mkdtemp(join(tmpdir(), "sttkit-wav-"));
    try {
      const path = join(dir, "a.wav");
      const wav = encodeWav(pcmOfSamples([1, 2, 3, 4]), mono16k);
      await writeFile(path, wav);
      expect((await readWavFile(path, { maxBytes: wav.byteLength }))._unsafeUnwrap().pcm.byteLength).toBe(8);
      const tooLarge = await readWavFile(path, { maxBytes: wav.byteLength - 1 });
      expect(reasonOf(tooLarge)).toBe("unreadable-file");
      expect(tooLarge._unsafeUnwrapErr().message).toContain(`larger than ${wav.byteLength - 1} bytes`);
      const endless = await readWavFile("/dev/zero", { maxBytes: 4 * 1024 * 1024 });
      expect(reasonOf(endless)).toBe("unreadable-file");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
