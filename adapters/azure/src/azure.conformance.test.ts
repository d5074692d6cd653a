import {
  loadFixtures,
  loadRecordedSession,
  runConformanceSuite,
  startAzureReplayServer,
  type AzureFaults,
  type ConformanceFault,
  type RecordedAzureSession,
} from "@sttkit/conformance";

import { err, ok } from "neverthrow";
import { createAzureSpeechToText } from "./index.js";

const KEY = "conformance-key";

/** How each provider-neutral fault is staged by the local Azure protocol server. */
const FAULTS: Record<ConformanceFault, AzureFaults> = {
  "auth-rejected": { refuseUpgrade: 401 },
  forbidden: { refuseUpgrade: 403 },
  "rate-limited": { refuseUpgrade: 429 },
  "service-unavailable": { refuseUpgrade: 503 },
  "service-error": { statusAfterPhrases: { phrases: 1, status: "Error" } },
  "bad-request": { statusAfterPhrases: { phrases: 1, status: "BadRequest" } },
  "connection-dropped": { dropAfterPhrases: 1, connections: 1 },
  stalled: { stallAfterPhrases: 1 },
  "malformed-message": { malformedAfterPhrases: 1 },
};

runConformanceSuite({
  name: "azure (real Speech SDK against the local Azure protocol server)",
  fixtures: loadFixtures()._unsafeUnwrap().fixtures,
  capabilities: {
    streaming: true,
    interimResults: true,
    wordTimings: true,
    languageDetection: true,
    customVocabulary: true,
    sampleRates: [8000, 16000, 22050, 24000, 32000, 44100, 48000],
    ttfsP99LatencyMs: 1800,
    reconnects: true,
  },
  // The adapter must deliver what the service said intact; the bounds are those of the recorded
  // sessions themselves (synthesized from PocketSphinx's recognition until service recordings replace them).
  werBounds: { clean: 0.5, noisy: 0.8, narrowband: 0.8, long: 0.7 },
  faults: {
    "auth-rejected": { error: "authentication" },
    forbidden: { error: "forbidden" },
    "rate-limited": { error: "rate-limit" },
    "service-unavailable": { error: "connection" },
    "service-error": { error: "provider" },
    "bad-request": { error: "bad-request" },
    "connection-dropped": { recover: true },
    stalled: { error: "timeout" },
  },
  async create({ fixture, fault, concurrentStreams }) {
    const session = loadRecordedSession(fixture.id, "azure");
    if (session.isErr()) return err(session.error);
    const server = await startAzureReplayServer({
      session: session.value as RecordedAzureSession,
      expectedKey: KEY,
      ...(fault ? { faults: FAULTS[fault] } : {}),
    });
    const stt = createAzureSpeechToText(
      {
        host: server.host,
        apiKey: KEY,
        // Generous: 100 parallel streams on 2 cores can take seconds to be served.
        connectTimeoutMs: 10_000,
        // Short for the stall and malformed-message faults, which end on it. With 100 streams and
        // the server in one process, a loaded 2-core machine (CI runs the suite on three Node
        // versions) can leave a stream's last phrase 3-5 s behind its end of audio: only a hang
        // should fail that scenario, not load.
        finishTimeoutMs: concurrentStreams > 1 ? 20_000 : 3000,
        sdkProperties: { "SPEECH-TransmitLengthBeforThrottleMs": "600000" },
      },
      {},
    );
    if (stt.isErr()) {
      await server.close();
      return err(stt.error);
    }
    return ok({
      stt: stt.value,
      async dispose() {
        const problems = server.violations;
        await server.close();
        if (problems.length > 0) throw new Error(`protocol violations: ${problems.join("; ")}`);
      },
    });
  },
});

