import { describe, expect, it } from "vitest";
import { run } from "./main.js";

describe("examples/swap-via-di", () => {
  it("runs the same application code on the offline engine and on Azure, switched by config alone", async () => {
    const offline = (await run({ provider: "offline" }))._unsafeUnwrap();
    const azure = (await run({ provider: "azure" }))._unsafeUnwrap();
    expect(offline.provider).toBe("offline");
    expect(azure.provider).toBe("azure");
    for (const { lines } of [offline, azure]) {
      expect(lines).toHaveLength(3);
      const starts = lines.map((line) => Number(/\] ([\d.]+)-/.exec(line)?.[1]));
      expect([...starts].sort((a, b) => a - b)).toEqual(starts);
    }
    expect(azure.lines.join("\n")).toContain("He was not an illness those young man.");
  }, 60_000);

  it("swaps Deepgram in with { provider: \"deepgram\" } and no code change", async () => {
    const deepgram = (await run({ provider: "deepgram" }))._unsafeUnwrap();
    expect(deepgram.provider).toBe("deepgram");
    expect(deepgram.lines).toHaveLength(3);
    expect(deepgram.lines.join("\n")).toContain("He was not an illness those young man.");
  }, 60_000);

  it("hands a failure back as the typed error in the Result, not as a thrown Error", async () => {
    const result = await run({ provider: "offline", file: "/no/such/meeting.wav" });
    expect(result._unsafeUnwrapErr()).toMatchObject({ kind: "invalid-audio", reason: "unreadable-file" });
  });
});
