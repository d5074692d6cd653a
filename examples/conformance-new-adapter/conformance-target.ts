import { loadFixtures, type ConformanceTarget } from "@sttkit/conformance";
import { createOfflineSpeechToText } from "@sttkit/offline";
import { SentenceCaseSpeechToText } from "./sentence-case-adapter.js";

/**
 * The example adapter's conformance target: the factory and what the adapter promises. Both the
 * test file (`conformance-new-adapter.test.ts`) and the command line run it:
 *
 *     npx sttkit conformance --adapter examples/conformance-new-adapter/conformance-target.ts
 */
export const conformanceTarget: ConformanceTarget = {
  name: "example: sentence-case adapter over the offline engine",
  fixtures: loadFixtures()._unsafeUnwrap().fixtures,
  capabilities: {
    streaming: true,
    interimResults: false,
    wordTimings: true,
    languageDetection: false,
    customVocabulary: false,
    sampleRates: [8000, 16000],
    channels: [1],
    diarization: false,
    ttfsP99LatencyMs: 1100,
    reconnects: false,
  },
  werBounds: { clean: 0.5, noisy: 0.9, narrowband: 0.9, long: 0.8 },
  parallelStreams: 5,
  async create() {
    return createOfflineSpeechToText().map((engine) => ({ stt: new SentenceCaseSpeechToText(engine) }));
  },
};
