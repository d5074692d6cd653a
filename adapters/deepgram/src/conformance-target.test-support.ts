import type { SpeechToText } from "@sttkit/core";
import { loadFixtures, readFixturePcm, type ConformanceFault, type ConformanceTarget } from "@sttkit/conformance";
import { expectedDeepgramFinals, loadDeepgramSession, startDeepgramServer, type DeepgramFaults } from "@sttkit/conformance/deepgram";
import { err, ok } from "neverthrow";
import { createDeepgramSpeechToText } from "./index.js";

const KEY = "conformance-key";

/** Faults after which the service says nothing more: the adapter's finish timeout is what ends the stream. */
const QUIET_FAULTS: ReadonlySet<ConformanceFault> = new Set(["stalled"]);

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

/**
 * The Deepgram adapter's conformance target: the real `@deepgram/sdk` against the local Deepgram
 * server replaying each fixture's recorded session. `wrap` lets a mutant suite break the adapter.
 */
export function deepgramConformanceTarget(wrap: (stt: SpeechToText) => SpeechToText = (stt) => stt): ConformanceTarget {
  return {
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
      channels: [1],
      ttfsP99LatencyMs: 800,
      reconnects: true,
    },
    // A second check only: the sessions' own WER (synthesized from PocketSphinx's recognition until
    // service recordings replace them); the exact comparison below is the real one.
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
      // The adapter reads every message itself: one that does not parse is the service's failure.
      "malformed-message": { error: "provider" },
    },
    // Replayed sessions: the adapter must deliver exactly what the service said, fixture by fixture.
    expectedFinals: (fixture) => {
      const session = loadDeepgramSession(fixture.id);
      return session.isOk() ? expectedDeepgramFinals(session.value) : undefined;
    },
    async create({ fixture, fault }) {
      const session = loadDeepgramSession(fixture.id);
      if (session.isErr()) return err(session.error);
      const recording = readFixturePcm(fixture);
      if (recording.isErr()) return err(recording.error);
      const server = await startDeepgramServer({
        session: session.value,
        expectedKey: KEY,
        recording: recording.value.pcm,
        ...(fault ? { faults: FAULTS[fault] } : {}),
      });
      const stt = createDeepgramSpeechToText(
        {
          baseUrl: server.baseUrl,
          apiKey: KEY,
          // Generous: 100 parallel streams on a busy 2-core machine can take many seconds to be
          // served, and a test must not depend on the machine's speed. Only a service that goes
          // quiet needs the adapter's own finish timeout to fire, so only it gets a short one.
          connectTimeoutMs: 30_000,
          finishTimeoutMs: fault !== undefined && QUIET_FAULTS.has(fault) ? 3000 : 60_000,
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
        stt: wrap(stt.value),
        async dispose() {
          const problems = server.violations;
          await server.close();
          if (problems.length > 0) throw new Error(`protocol violations: ${problems.join("; ")}`);
        },
      });
    },
  };
}
