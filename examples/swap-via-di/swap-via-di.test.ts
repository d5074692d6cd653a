import { describe, expect, it } from "vitest";
import { run } from "./main.js";

describe("examples/swap-via-di", () => {
  it("runs the same application code on the offline engine, on Azure and on OpenAI, switched by config alone", async () => {
    const offline = (await run({ provider: "offline" }))._unsafeUnwrap();
    const azure = (await run({ provider: "azure" }))._unsafeUnwrap();
    const openai = (await run({ provider: "openai" }))._unsafeUnwrap();
    expect(offline.provider).toBe("offline");
    expect(azure.provider).toBe("azure");
    expect(openai.provider).toBe("openai");
    // The default batch model (gpt-4o-transcribe) reports no timestamps: one segment for the file.
    expect(openai.lines).toEqual(["[openai] 0.00-13.98 s: He was not an illness those young man. Hello study rather cold hearted and rather selfish is to the oldest those. He might even have been made the amiable himself."]);
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
