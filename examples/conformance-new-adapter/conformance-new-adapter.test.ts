import { loadFixtures, runConformanceSuite } from "@sttkit/conformance";
import { createOfflineSpeechToText } from "@sttkit/offline";
import { describe, expect, it } from "vitest";
import { sentenceCase, SentenceCaseSpeechToText } from "./sentence-case-adapter.js";

// Step 1: the factory. Step 2: the capabilities it promises. Step 3: the suite does the rest.
runConformanceSuite({
  name: "example: sentence-case adapter over the offline engine",
  fixtures: loadFixtures()._unsafeUnwrap().fixtures,
  capabilities: {
    streaming: true,
    interimResults: false,
    wordTimings: true,
    languageDetection: false,
    customVocabulary: false,
    diarization: false,
    sampleRates: [8000, 16000],
    channels: [1],
    ttfsP99LatencyMs: 1100,
    reconnects: false,
  },
  werBounds: { clean: 0.5, noisy: 0.9, narrowband: 0.9, long: 0.8 },
  parallelStreams: 5,
  async create() {
    return createOfflineSpeechToText().map((engine) => ({ stt: new SentenceCaseSpeechToText(engine) }));
  },
});

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
