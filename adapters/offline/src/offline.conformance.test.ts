import { loadFixtures, runConformanceSuite } from "@sttkit/conformance";
import { createOfflineSpeechToText, OFFLINE_SAMPLE_RATES, OFFLINE_TTFS_P99_MS } from "./index.js";

runConformanceSuite({
  name: "offline (PocketSphinx, real engine and model)",
  fixtures: loadFixtures()._unsafeUnwrap().fixtures,
  capabilities: {
    streaming: true,
    interimResults: false,
    wordTimings: true,
    languageDetection: false,
    customVocabulary: false,
    diarization: false,
    sampleRates: OFFLINE_SAMPLE_RATES,
    channels: [1],
    ttfsP99LatencyMs: OFFLINE_TTFS_P99_MS,
    reconnects: false,
  },
  // PocketSphinx's general English model on read LibriVox speech, measured: see the README.
  werBounds: { clean: 0.5, noisy: 0.9, narrowband: 0.9, long: 0.8 },
  // Each stream is a decoder process, CPU-bound: 10 at once already keep both cores busy.
  parallelStreams: 10,
  async create() {
    return createOfflineSpeechToText().map((stt) => ({ stt }));
  },
});

