import { describe, expect, it } from "vitest";
import { run } from "./main.js";

describe("examples/live-stream", () => {
  it("prints interim transcripts before each final, finals in order (Azure, local protocol server)", async () => {
    const { provider, lines } = await run({ provider: "azure", speed: 8 });
    expect(provider).toBe("azure");
    const finals = lines.filter((line) => line.startsWith("["));
    expect(finals).toHaveLength(3);
    expect(lines[0]?.startsWith("…")).toBe(true);
    const starts = finals.map((line) => Number(/^\[([\d.]+)/.exec(line)?.[1]));
    expect([...starts].sort((a, b) => a - b)).toEqual(starts);
  }, 60_000);

  it("prints interim transcripts before each final with OpenAI Realtime (local OpenAI server)", async () => {
    const { provider, lines } = await run({ provider: "openai", speed: 8 });
    expect(provider).toBe("openai");
    const finals = lines.filter((line) => line.startsWith("["));
    expect(finals).toEqual([
      "[0.30 → 2.80] He was not an illness those young man.",
      "[4.42 → 9.29] Hello study rather cold hearted and rather selfish is to the oldest those.",
      "[10.91 → 13.98] He might even have been made the amiable himself.",
    ]);
    expect(lines[0]?.startsWith("…")).toBe(true);
  }, 60_000);

  it("prints finals only with the offline engine, which has no interim results", async () => {
    const { provider, lines } = await run({ provider: "offline", speed: 8 });
    expect(provider).toBe("offline");
    expect(lines).toHaveLength(3);
    expect(lines.every((line) => line.startsWith("["))).toBe(true);
  }, 60_000);
});
