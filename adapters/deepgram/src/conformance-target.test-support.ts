import type { SpeechToText } from "@sttkit/core";
import {
  instanceOnDouble,
  loadFixtures,
  readFixturePcm,
  SYNTHESIZED_SESSION_WER_BOUNDS,
  TYPED_FAULT_OUTCOMES,
  type ConformanceFault,
  type ConformanceTarget,
} from "@sttkit/conformance";
import { expectedDeepgramFinals, loadDeepgramSession, startDeepgramServer, type DeepgramFaults } from "@sttkit/conformance/deepgram";
import { err } from "neverthrow";
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
    // What the adapter must declare with this configuration (no diarize, recovery on), stated here
    // independently of the adapter's own deepgramCapabilities.
    capabilities: {
      streaming: true, interimResults: true, wordTimings: true, languageDetection: true, customVocabulary: true, diarization: false,
      sampleRates: [8000, 11025, 16000, 22050, 24000, 32000, 44100, 48000], channels: [1], ttfsP99LatencyMs: 800, reconnects: true,
    },
    // The synthesized sessions' own WER: a second check after the exact comparison with each session.
    werBounds: SYNTHESIZED_SESSION_WER_BOUNDS,
    faults: {
      ...TYPED_FAULT_OUTCOMES,
      // The adapter reads every message itself: one that does not parse is the service's failure.
      "malformed-message": { error: "provider" },
    },
    // Every is_final Results of the replayed session, text, span and words, one for one.
    expectedFinals: (fixture) => loadDeepgramSession(fixture.id).map(expectedDeepgramFinals).unwrapOr(undefined),
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
      return instanceOnDouble(server, stt, wrap);
    },
  };
}
