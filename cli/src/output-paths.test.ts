import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { outputPaths } from "./output-paths.js";

let dir = "";
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "sttkit-outputs-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("outputPaths", () => {
  it("one input: standard output, or the --output file; a directory gets the input's name and the format's extension", async () => {
    expect(await outputPaths(["talk.mp3"], "srt", undefined)).toEqual([undefined]);
    expect(await outputPaths(["talk.mp3"], "srt", "out.srt")).toEqual(["out.srt"]);
    expect(await outputPaths(["a/talk.mp3"], "vtt", dir)).toEqual([join(dir, "talk.vtt")]);
    expect(await outputPaths(["-"], "json", "new-dir/")).toEqual([join("new-dir", "stdin.json")]);
  });

  it("several inputs: beside each input without --output (standard input to stdout), else in the directory", async () => {
    expect(await outputPaths(["a/talk.mp3", "b/x.wav", "-"], "text", undefined)).toEqual([join("a", "talk.txt"), join("b", "x.txt"), undefined]);
    expect(await outputPaths(["a/talk.mp3", "-"], "json", dir)).toEqual([join(dir, "talk.json"), join(dir, "stdin.json")]);
  });

  it("refuses a non-directory --output for several inputs, two inputs writing one file, and overwriting an input", async () => {
    expect(await outputPaths(["a.mp3", "b.mp3"], "srt", join(dir, "one.srt"))).toBeInstanceOf(Error);
    expect(await outputPaths(["a/talk.mp3", "b/talk.wav"], "srt", dir)).toBeInstanceOf(Error);
    expect(await outputPaths(["notes.txt", "b.mp3"], "text", undefined)).toBeInstanceOf(Error);
  });
});
