import type { SpeechToText, WavAudio } from "@sttkit/core";
import { readWavFile } from "@sttkit/core";
import { loadFixtures, type ConformanceFault, type ConformanceTarget, type ResolvedFixture } from "@sttkit/conformance";
import { expectedOpenAIBatchSegments, expectedOpenAIFinals, loadOpenAISession, startOpenAIReplayServer, type OpenAIFaults } from "@sttkit/conformance/openai";
import { err, ok } from "neverthrow";
import { createOpenAISpeechToText, type OpenAIConfig, type OpenAITranscriptionModel } from "./index.js";

/** The key the local server expects: never a real one. */
export const CONFORMANCE_KEY = "sk-conformance-0123456789abcdef";

/** Faults after which the service says nothing more: the adapter's finish timeout is what ends the stream. */
const QUIET_FAULTS: ReadonlySet<ConformanceFault> = new Set(["stalled"]);

/** How each provider-neutral fault is staged by the local OpenAI server. */
const FAULTS: Partial<Record<ConformanceFault, OpenAIFaults>> = {
  "auth-rejected": { realtime: { refuseUpgrade: 401 }, batch: { status: 401 } },
  forbidden: { realtime: { refuseUpgrade: 403 }, batch: { status: 403 } },
  "rate-limited": { realtime: { refuseUpgrade: 429 }, batch: { status: 429, retryAfter: "0" } },
  "service-unavailable": { realtime: { refuseUpgrade: 503 }, batch: { status: 503, retryAfter: "0" } },
  "service-error": { realtime: { errorAfterFinals: { finals: 1, error: { type: "server_error", message: "The server had an error while processing your request." } } } },
  "bad-request": { realtime: { errorAfterFinals: { finals: 1, error: { type: "invalid_request_error", code: "invalid_value", message: "Invalid value." } } } },
  "connection-dropped": { realtime: { dropAfterFinals: 1 } },
  stalled: { realtime: { stallAfterFinals: 1 } },
  "malformed-message": { realtime: { malformedAfterFinals: 1 } },
};

const audioCache = new Map<string, WavAudio>();

async function fixtureAudio(fixture: ResolvedFixture): Promise<WavAudio | undefined> {
  const cached = audioCache.get(fixture.id);
  if (cached) return cached;
  const read = await readWavFile(fixture.audioPath);
  if (read.isErr()) return undefined;
  audioCache.set(fixture.id, read.value);
  return read.value;
}

/** Which path the target is about: both run the whole suite, with stream() on Realtime and transcribe() on the batch endpoint. */
export interface OpenAITargetOptions {
  /** The batch model: `gpt-4o-transcribe` (one segment per upload) or `whisper-1` (timed segments, checked exactly). */
  readonly batchModel: OpenAITranscriptionModel;
  /** Breaks the adapter (mutant runs). */
  readonly wrap?: (stt: SpeechToText) => SpeechToText;
  /** Extra adapter settings. */
  readonly config?: OpenAIConfig;
}

/**
 * The OpenAI adapter's conformance target: the real `openai` SDK against the local OpenAI server
 * (TLS on 127.0.0.1, trusted through the adapter's `ca`) replaying each fixture's recorded
 * session: Realtime events for `stream()`, batch answers for `transcribe()`.
 */
export function openaiConformanceTarget(options: OpenAITargetOptions): ConformanceTarget {
  const wrap = options.wrap ?? ((stt: SpeechToText) => stt);
  return {
    name: `openai (real openai SDK against the local OpenAI server; stream() on Realtime, transcribe() on ${options.batchModel})`,
    fixtures: loadFixtures()._unsafeUnwrap().fixtures,
    capabilities: {
      streaming: true,
      interimResults: true,
      wordTimings: false,
      languageDetection: false,
      customVocabulary: true,
      diarization: false,
      sampleRates: [24000],
      channels: [1],
      ttfsP99LatencyMs: 2000,
      reconnects: false,
    },
    // A second check only: the sessions' own WER (synthesized from PocketSphinx's recognition until
    // recordings from the service replace them); the exact comparison with the sessions is the real one.
    werBounds: { clean: 0.5, noisy: 0.8, narrowband: 0.8, long: 0.7 },
    faults: {
      "auth-rejected": { error: "authentication" },
      forbidden: { error: "forbidden" },
      "rate-limited": { error: "rate-limit" },
      "service-unavailable": { error: "connection" },
      "service-error": { error: "provider" },
      "bad-request": { error: "bad-request" },
      // One session per stream: a dropped socket ends it (the service's VAD state and time line are gone).
      "connection-dropped": { error: "connection" },
      stalled: { error: "timeout" },
      "malformed-message": { error: "provider" },
    },
    expectedFinals: (fixture) => {
      const session = loadOpenAISession(fixture.id);
      return session.isOk() ? expectedOpenAIFinals(session.value) : undefined;
    },
    expectedTranscript: (fixture) => {
      const session = loadOpenAISession(fixture.id);
      return session.isOk() ? expectedOpenAIBatchSegments(session.value, options.batchModel) : undefined;
    },
    async create({ fixture, fault }) {
      const session = loadOpenAISession(fixture.id);
      if (session.isErr()) return err(session.error);
      const audio = await fixtureAudio(fixture);
      const server = await startOpenAIReplayServer({
        session: session.value,
        ...(audio ? { audio } : {}),
        expectedKey: CONFORMANCE_KEY,
        ...(fault && FAULTS[fault] ? { faults: FAULTS[fault] } : {}),
      });
      if (server.isErr()) return err(server.error);
      const stt = createOpenAISpeechToText(
        {
          apiKey: CONFORMANCE_KEY,
          baseURL: server.value.baseURL,
          ca: server.value.ca,
          // Generous: 100 parallel streams on a busy 2-core machine can take many seconds to be
          // served, and a test must not depend on the machine's speed. Only a stalled service needs
          // the finish timeout to fire, so only it gets a short one.
          connectTimeoutMs: 30_000,
          finishTimeoutMs: fault !== undefined && QUIET_FAULTS.has(fault) ? 3000 : 60_000,
          ...options.config,
          batch: { model: options.batchModel, maxRetries: 1, ...options.config?.batch },
        },
        {},
      );
      if (stt.isErr()) {
        await server.value.close();
        return err(stt.error);
      }
      return ok({
        stt: wrap(stt.value),
        async dispose() {
          const problems = server.value.violations;
          await server.value.close();
          if (problems.length > 0) throw new Error(`protocol violations: ${problems.join("; ")}`);
        },
      });
    },
  };
}
