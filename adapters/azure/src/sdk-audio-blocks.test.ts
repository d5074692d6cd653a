import { DEFAULT_AUDIO_FORMAT } from "@sttkit/core";
import { describe, expect, it } from "vitest";
import { SdkAudioBlocks } from "./sdk-audio-blocks.js";

const FORMAT_16K = DEFAULT_AUDIO_FORMAT;

function collect(blocks: SdkAudioBlocks, chunks: Uint8Array[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const chunk of chunks) blocks.add(chunk, (block) => out.push(block));
  return out;
}

describe("SdkAudioBlocks", () => {
  it("uses the SDK's block size: a tenth of a second, in whole frames", () => {
    expect(new SdkAudioBlocks(FORMAT_16K).blockBytes).toBe(3_200);
    expect(new SdkAudioBlocks({ ...FORMAT_16K, sampleRate: 22_050 }).blockBytes).toBe(4_410);
    expect(new SdkAudioBlocks({ ...FORMAT_16K, sampleRate: 8_000 }).blockBytes).toBe(1_600);
  });

  it("keeps every byte, in order, whatever the chunk sizes", () => {
    const audio = Uint8Array.from({ length: 10_000 }, (_, index) => index % 251);
    const blocks = new SdkAudioBlocks(FORMAT_16K);
    const sizes = [1, 3_199, 5_000, 2, 1_798];
    const chunks: Uint8Array[] = [];
    let at = 0;
    for (const size of sizes) {
      chunks.push(audio.subarray(at, at + size));
      at += size;
    }
    const whole = collect(blocks, chunks);
    expect(whole.map((block) => block.byteLength)).toEqual([3_200, 3_200, 3_200]);
    const tail = blocks.flush();
    expect(tail?.byteLength).toBe(400);
    expect(Buffer.concat([...whole, tail!])).toEqual(Buffer.from(audio));
    expect(blocks.flush()).toBeUndefined();
  });

  it("gives each block its own buffer of exactly the block's size, unaffected by reuse of the input", () => {
    const blocks = new SdkAudioBlocks(FORMAT_16K);
    const input = new Uint8Array(3_200).fill(7);
    const [block] = collect(blocks, [input]);
    input.fill(0);
    expect(block?.byteOffset).toBe(0);
    expect(block?.buffer.byteLength).toBe(3_200);
    expect(block?.every((byte) => byte === 7)).toBe(true);
  });
});
