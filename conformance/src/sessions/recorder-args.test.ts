import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { defaultFixturesDirectory, loadFixtures } from "../manifest/load.js";
import { parseRecorderArgs } from "./recorder-args.js";

const AZURE = { command: "record-azure", provider: "azure" } as const;

describe("parseRecorderArgs: the flags every vendor's recorder takes", () => {
  it("defaults to every fixture, the vendor's shipped sessions folder and the vendor's own upstream", () => {
    const args = parseRecorderArgs(AZURE, [])._unsafeUnwrap();
    expect(args.fixtures.map((fixture) => fixture.id)).toEqual(loadFixtures()._unsafeUnwrap().fixtures.map((fixture) => fixture.id));
    expect(args.outDir).toBe(join(defaultFixturesDirectory(), "sessions", "azure"));
    expect(args.upstream).toBeUndefined();
    expect([...args.extra]).toEqual([]);
  });

  it("takes --upstream, --out, the recorder's own flags and fixture ids in any order, keeping manifest order", () => {
    const args = parseRecorderArgs({ command: "record-deepgram", provider: "deepgram", extraValueFlags: ["--speed"] }, [
      "silence-3s", "--out", "/tmp/x", "--speed", "8", "librivox-multi", "--upstream", "https://example.test",
    ])._unsafeUnwrap();
    expect(args.outDir).toBe("/tmp/x");
    expect(args.upstream).toBe("https://example.test");
    expect(args.extra.get("--speed")).toBe("8");
    const order = loadFixtures()._unsafeUnwrap().fixtures.map((fixture) => fixture.id).filter((id) => id === "silence-3s" || id === "librivox-multi");
    expect(args.fixtures.map((fixture) => fixture.id)).toEqual(order);
  });

  it("refuses a flag without its value, another recorder's flag taken as a fixture id, and unknown fixtures", () => {
    expect(parseRecorderArgs(AZURE, ["--out"])._unsafeUnwrapErr()).toBe("record-azure: --out needs a value");
    expect(parseRecorderArgs(AZURE, ["--speed", "8"])._unsafeUnwrapErr()).toMatch(/^record-azure: no fixture --speed, 8; the fixtures are /);
    expect(parseRecorderArgs(AZURE, ["no-such-fixture"])._unsafeUnwrapErr()).toMatch(/no fixture no-such-fixture; the fixtures are .*librivox-multi/);
  });
});
