import { loadFixtures, loadRecordedSession, readFixturePcm, runConformanceSuite, type ConformanceFault } from "@sttkit/conformance";
import { startDeepgramServer, type DeepgramFaults, type RecordedDeepgramSession } from "@sttkit/conformance/deepgram";
import { err, ok } from "neverthrow";
import { createDeepgramSpeechToText } from "./index.js";

const KEY = "conformance-key";

/** How each provider-neutral fault is staged by the local Deepgram server. */
const FAULTS: Record<ConformanceFault, DeepgramFaults> = {
  "auth-rejected": { refuseUpgrade: 401 },
  forbidden: { refuseUpgrade: 403 },
  "rate-limited": { refuseUpgrade: 429 },
  "service-unavailable": { refuseUpgrade: 503 },
  "service-error": { errorAfterFinals: { finals: 1, description: "Internal server error", code: "INTERNAL_SERVER_ERROR" } },
  "bad-request": { closeAfterFinals: { finals: 1, code: 1008, reason: "DATA-0000: The payload cannot be decoded as audio." } },
  "connection-dropped": { dropAfterFinals: 1, connections: 1 },
  stalled: { stallAfterFinals: 1 },
  "malformed-message": { malformedAfterFinals: 1 },
};

runConformanceSuite({
  name: "deepgram (real @deepgram/sdk against the local Deepgram server)",
  fixtures: loadFixtures()._unsafeUnwrap().fixtures,
  capabilities: {
    streaming: true,
    interimResults: true,
    wordTimings: true,
    languageDetection: true,
    customVocabulary: true,
    diarization: false,
    sampleRates: [8000, 11025, 16000, 22050, 24000, 32000, 44100, 48000],
    ttfsP99LatencyMs: 800,
    reconnects: true,
  },
  // The sessions are synthesized from PocketSphinx's recognition, as the Azure ones are: same bounds.
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
    "malformed-message": { error: "provider" },
  },
  async create({ fixture, fault }) {
    const session = loadRecordedSession(fixture.id, "deepgram");
    if (session.isErr()) return err(session.error);
    const recording = readFixturePcm(fixture);
    if (recording.isErr()) return err(recording.error);
    const server = await startDeepgramServer({
      session: session.value as RecordedDeepgramSession,
      expectedKey: KEY,
      recording: recording.value.pcm,
      ...(fault ? { faults: FAULTS[fault] } : {}),
    });
    const stt = createDeepgramSpeechToText(
      {
        baseUrl: server.baseUrl,
        apiKey: KEY,
        // Generous: 100 parallel streams on 2 cores can take seconds to be served.
        connectTimeoutMs: 10_000,
        // Generous too: on a loaded machine the local server itself can be slow to answer.
        finishTimeoutMs: 5000,
        requestRetries: 0,
        reconnect: { backoffMs: 50 },
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
