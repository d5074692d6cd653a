import { loadFixtures, runConformanceSuite } from "@sttkit/conformance";
import { createOfflineSpeechToText } from "@sttkit/offline";
import { describe, expect, it } from "vitest";
import { conformanceTarget } from "./conformance-target.js";
import { sentenceCase, SentenceCaseSpeechToText } from "./sentence-case-adapter.js";

// Step 1: the factory. Step 2: the capabilities it promises (both in conformance-target.ts, which
// `npx sttkit conformance --adapter` runs as well). Step 3: the suite does the rest.
runConformanceSuite(conformanceTarget);

describe("the example adapter's own behaviour", () => {
  it("formats finals for display", async () => {
    expect(sentenceCase("he was not an ill disposed young man")).toBe("He was not an ill disposed young man.");
    expect(sentenceCase("already done!")).toBe("Already done!");
    const stt = new SentenceCaseSpeechToText(createOfflineSpeechToText()._unsafeUnwrap());
    const fixture = loadFixtures()._unsafeUnwrap().fixtures.find((f) => f.id === "librivox-0880");
    const transcript = (await stt.transcribe({ path: fixture!.audioPath }))._unsafeUnwrap();
    expect(transcript.segments.every((segment) => /^[A-Z].*\.$/.test(segment.text))).toBe(true);
  }, 30_000);
});
