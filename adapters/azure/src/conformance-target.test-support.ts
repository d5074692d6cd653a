import type { SpeechToText } from "@sttkit/core";
import {
  instanceOnDouble,
  loadFixtures,
  SYNTHESIZED_SESSION_WER_BOUNDS,
  TYPED_FAULT_OUTCOMES,
  type ConformanceFault,
  type ConformanceTarget,
} from "@sttkit/conformance";
import { expectedAzureFinals, expectedFastTranscript, loadAzureSession, startAzureReplayServer, type AzureFaults, type RecordedAzureSession } from "@sttkit/conformance/azure";

import { err } from "neverthrow";
import { createAzureSpeechToText } from "./index.js";
import type { AzureTranscribeMethod } from "./config.js";

const KEY = "conformance-key";

/** Faults after which the service says nothing more: the adapter's finish timeout is what ends the stream. */
const QUIET_FAULTS: ReadonlySet<ConformanceFault> = new Set(["stalled", "malformed-message"]);

/**
 * How each provider-neutral fault is staged by the local Azure protocol server: on the recognition
 * WebSocket, and the same status on the fast transcription endpoint where REST has one.
 */
const FAULTS: Record<ConformanceFault, AzureFaults> = {
  "auth-rejected": { refuseUpgrade: 401, fastTranscription: { status: 401 } },
  forbidden: { refuseUpgrade: 403, fastTranscription: { status: 403 } },
  "rate-limited": { refuseUpgrade: 429, fastTranscription: { status: 429 } },
  "service-unavailable": { refuseUpgrade: 503, fastTranscription: { status: 503 } },
  "service-error": { statusAfterPhrases: { phrases: 1, status: "Error" }, fastTranscription: { status: 500 } },
  "bad-request": { statusAfterPhrases: { phrases: 1, status: "BadRequest" }, fastTranscription: { status: 400 } },
  "connection-dropped": { dropAfterPhrases: 1, connections: 1 },
  stalled: { stallAfterPhrases: 1 },
  "malformed-message": { malformedAfterPhrases: 1 },
};

/**
 * The Azure adapter's conformance target: the real Speech SDK against the local Azure protocol
 * server replaying each fixture's recorded session, `transcribe()` through the fast transcription
 * endpoint of the same server (the default) or through a stream. `wrap` lets the mutant suite
 * break the adapter.
 */
export function azureConformanceTarget(
  wrap: (stt: SpeechToText) => SpeechToText = (stt) => stt,
  transcribeWith: AzureTranscribeMethod = "fast",
): ConformanceTarget {
  return {
  name: `azure (real Speech SDK against the local Azure protocol server; transcribe() through ${transcribeWith === "fast" ? "fast transcription" : "real-time recognition"})`,
  fixtures: loadFixtures()._unsafeUnwrap().fixtures,
  capabilities: {
    streaming: true,
    interimResults: true,
    wordTimings: true,
    languageDetection: true,
    customVocabulary: true,
    diarization: false,
    sampleRates: [8000, 16000, 22050, 24000, 32000, 44100, 48000],
    channels: [1],
    ttfsP99LatencyMs: 1800,
    reconnects: true,
  },
  // A second check only: the sessions' own WER (synthesized from PocketSphinx's recognition until
  // service recordings replace them); the exact comparison below is the real one.
  werBounds: SYNTHESIZED_SESSION_WER_BOUNDS,
  faults: {
    ...TYPED_FAULT_OUTCOMES,
    // The SDK drops what it cannot parse and waits; the adapter's finish timeout ends the stream.
    "malformed-message": { error: "timeout" },
  },
  // Replayed sessions: the adapter must deliver exactly what the service said, fixture by fixture.
  expectedFinals: (fixture) => loadAzureSession(fixture.id).map(expectedAzureFinals).unwrapOr(undefined),
  // transcribe(): the recorded fast transcription answer, or the replayed stream's finals.
  expectedTranscript: (fixture) =>
    loadAzureSession(fixture.id)
      .map((session) => (transcribeWith === "fast" ? expectedFastTranscript(session) : expectedAzureFinals(session)))
      .unwrapOr(undefined),
  async create({ fixture, fault }) {
    const session = loadAzureSession(fixture.id);
    if (session.isErr()) return err(session.error);
    const server = await startAzureReplayServer({
      session: session.value,
      expectedKey: KEY,
      ...(fault ? { faults: FAULTS[fault] } : {}),
    });
    const stt = createAzureSpeechToText(
      {
        host: server.host,
        apiKey: KEY,
        transcribeWith,
        // Generous: 100 parallel streams on a busy 2-core machine can take many seconds to be
        // served, and a test must not depend on the machine's speed. Only the faults that make
        // the service go quiet need the adapter's own finish timeout to fire, so only they get a short one.
        connectTimeoutMs: 30_000,
        finishTimeoutMs: fault !== undefined && QUIET_FAULTS.has(fault) ? 3000 : 60_000,
        sdkProperties: { "SPEECH-TransmitLengthBeforThrottleMs": "600000" },
      },
      {},
    );
    return instanceOnDouble(server, stt, wrap);
  },
  };
}


