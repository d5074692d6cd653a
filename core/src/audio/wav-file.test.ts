import { execFile } from "node:child_process";
import { mkdtemp, mkdir, open, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_AUDIO_FORMAT } from "./format.js";
import { encodeWav } from "./wav.js";
import { openWavFile } from "./wav-file.js";

/** Reads every block, returning the bytes and the largest block seen. */
async function drain(pcm: AsyncIterable<Uint8Array>): Promise<{ bytes: number; largest: number; first: number[] }> {
  let bytes = 0;
  let largest = 0;
  let first: number[] = [];
  for await (const block of pcm) {
    if (bytes === 0) first = Array.from(block.subarray(0, 4));
    bytes += block.byteLength;
    largest = Math.max(largest, block.byteLength);
  }
  return { bytes, largest, first };
}

describe("openWavFile: a file of any size in a fixed amount of memory", () => {
  let dir = "";
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "sttkit-wav-file-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("streams the samples of a WAV file in bounded blocks, whole frames only", async () => {
    const pcm = new Uint8Array(1_000_001).map((_, index) => index % 251);
    await writeFile(join(dir, "a.wav"), encodeWav(pcm, DEFAULT_AUDIO_FORMAT));
    const opened = (await openWavFile(join(dir, "a.wav")))._unsafeUnwrap();
    expect(opened.format).toEqual(DEFAULT_AUDIO_FORMAT);
    expect(opened.dataBytes).toBe(1_000_000);
    const read = await drain(opened.pcm);
    expect(read).toEqual({ bytes: 1_000_000, largest: expect.any(Number), first: [0, 1, 2, 3] });
    // Blocks of 256 KiB (plus at most one carried part frame): 1 MB takes several.
    expect(read.largest).toBeLessThanOrEqual(256 * 1024 + 1);
    expect(read.largest).toBeGreaterThan(64 * 1024);
  });

  it("refuses at once what is not a WAV file, a directory, a missing file", async () => {
    expect((await openWavFile("/dev/zero"))._unsafeUnwrapErr()).toMatchObject({ kind: "invalid-audio", reason: "not-riff" });
    await mkdir(join(dir, "folder"));
    expect((await openWavFile(join(dir, "folder")))._unsafeUnwrapErr()).toMatchObject({ kind: "invalid-audio", reason: "unreadable-file" });
    expect((await openWavFile(join(dir, "folder"))).isErr()).toBe(true);
    expect((await openWavFile(join(dir, "missing.wav")))._unsafeUnwrapErr()).toMatchObject({ reason: "unreadable-file" });
  });

  it("refuses a 3 GB sparse file of zeros without reading it, and a header that claims more than the file holds", async () => {
    const sparse = join(dir, "sparse.wav");
    const handle = await open(sparse, "w");
    await handle.truncate(3 * 1024 ** 3);
    await handle.close();
    expect((await openWavFile(sparse))._unsafeUnwrapErr()).toMatchObject({ reason: "not-riff" });
    const liar = encodeWav(new Uint8Array(3200), DEFAULT_AUDIO_FORMAT);
    new DataView(liar.buffer).setUint32(40, 4_000_000_000, true); // the data chunk claims about 4 GB
    await writeFile(join(dir, "liar.wav"), liar);
    expect((await openWavFile(join(dir, "liar.wav")))._unsafeUnwrapErr()).toMatchObject({ reason: "truncated" });
  });

  it("streams a pipe until it ends, when the writer could not fill in the data size", async () => {
    const streamed = encodeWav(new Uint8Array(64_000), DEFAULT_AUDIO_FORMAT);
    new DataView(streamed.buffer).setUint32(40, 0xffffffff, true);
    await writeFile(join(dir, "streamed.wav"), streamed);
    const fifo = join(dir, "fifo");
    await new Promise<void>((resolve, reject) => execFile("mkfifo", [fifo], (error) => (error ? reject(error) : resolve())));
    const writer = (async () => {
      const handle = await open(fifo, "w");
      await handle.writeFile(streamed);
      await handle.close();
    })();
    const opened = (await openWavFile(fifo))._unsafeUnwrap();
    expect(opened.dataBytes).toBeUndefined();
    expect((await drain(opened.pcm)).bytes).toBe(64_000);
    await writer;
  });
});
