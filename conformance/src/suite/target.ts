import type { SpeechToText, SttCapabilities, SttError, SttErrorKind, TranscriptSegment } from "@sttkit/core";
import type { Result } from "neverthrow";
import type { ResolvedFixture } from "../manifest/load.js";

/**
 * Faults the suite can ask an adapter's test double of the service to inject, named
 * independently of any provider. An adapter's factory translates each into its own protocol
 * (for Azure, the local replay server's fault plan).
 */
export type ConformanceFault =
  /** Credentials refused when connecting (HTTP 401 on the upgrade). */
  | "auth-rejected"
  /** Credentials valid but not allowed (HTTP 403 / Forbidden). */
  | "forbidden"
  /** Throttled when connecting (HTTP 429). */
  | "rate-limited"
  /** The service is down (HTTP 5xx on every attempt). */
  | "service-unavailable"
  /** The service reports an internal error in the middle of a turn. */
  | "service-error"
  /** The service rejects the request as malformed in the middle of a turn. */
  | "bad-request"
  /** The connection drops in the middle of an utterance, once. */
  | "connection-dropped"
  /** The service stops answering (no further messages, connection kept open). */
  | "stalled"
  /** The service sends a message that does not parse. */
  | "malformed-message";

/** Every {@link ConformanceFault}, in the order the suite runs them. */
export const CONFORMANCE_FAULTS: readonly ConformanceFault[] = [
  "auth-rejected",
  "forbidden",
  "rate-limited",
  "service-unavailable",
  "service-error",
  "bad-request",
  "connection-dropped",
  "stalled",
  "malformed-message",
];

/**
 * What an adapter promises when a fault is injected: a typed error of the given kind, or a
 * transparent recovery (the same finals as without the fault, each exactly once).
 */
export type FaultOutcome = { readonly error: SttErrorKind } | { readonly recover: true };

/**
 * The outcome each fault names for an adapter that maps the service's answers onto the contract's
 * error kinds: 401 `authentication`, 403 `forbidden`, 429 `rate-limit`, 5xx on every attempt
 * `connection`, an internal error `provider`, a rejected request `bad-request`, a silent service
 * `timeout`, and a dropped connection recovered. A target spreads it and adds what its SDK makes of
 * a `malformed-message` (one SDK reports it, another drops it and waits).
 */
export const TYPED_FAULT_OUTCOMES: Readonly<Record<Exclude<ConformanceFault, "malformed-message">, FaultOutcome>> = Object.freeze({
  "auth-rejected": { error: "authentication" },
  forbidden: { error: "forbidden" },
  "rate-limited": { error: "rate-limit" },
  "service-unavailable": { error: "connection" },
  "service-error": { error: "provider" },
  "bad-request": { error: "bad-request" },
  "connection-dropped": { recover: true },
  stalled: { error: "timeout" },
});

/** What the suite asks the adapter factory to build for one scenario. */
export interface ScenarioContext {
  /** The fixture the scenario will stream. */
  readonly fixture: ResolvedFixture;
  /** A fault to inject, for fault scenarios. */
  readonly fault?: ConformanceFault;
  /** How many streams the scenario will open concurrently on the instance (1 unless parallel). */
  readonly concurrentStreams: number;
}

/** One adapter instance built for a scenario, with whatever stands in for its service. */
export interface ConformanceInstance {
  /** The adapter under test. */
  readonly stt: SpeechToText;
  /** Releases what the factory started (local servers, ...). Called after every scenario. */
  dispose?(): Promise<void>;
}

/** Word error rate bounds by fixture kind; unspecified kinds use `clean`. */
export interface WerBounds {
  /** Clean read speech (single and multi utterance). */
  readonly clean: number;
  /** Speech with added noise. */
  readonly noisy?: number;
  /** 8 kHz telephone-band speech. */
  readonly narrowband?: number;
  /** Long, synthetic speech. */
  readonly long?: number;
}

/** Everything {@link runConformanceSuite} needs to check an adapter. */
export interface ConformanceTarget {
  /** Names the suite in the test report. */
  readonly name: string;
  /** Builds a fresh adapter for a scenario (and starts its local service stand-in, if any). */
  create(context: ScenarioContext): Promise<Result<ConformanceInstance, SttError>>;
  /** The fixtures to run (see `loadFixtures()`). */
  readonly fixtures: readonly ResolvedFixture[];
  /**
   * The capabilities the adapter must declare. The suite fails if the adapter declares others,
   * then holds it to them: claimed capabilities must be delivered.
   */
  readonly capabilities: SttCapabilities;
  /** Word error rate bounds the adapter promises on the fixtures. */
  readonly werBounds: WerBounds;
  /** The faults the adapter's service stand-in can inject, and what the adapter promises for each. */
  readonly faults?: Partial<Record<ConformanceFault, FaultOutcome>>;
  /** Streams opened at once in the parallel scenario. Default 100. */
  readonly parallelStreams?: number;
  /**
   * Random call sequences (writes of any size, `end()`, `close()`, concurrent end and close) the
   * fuzzing scenario tries, each on a fresh stream. Default 20.
   */
  readonly randomSequences?: number;
  /**
   * Playback speed for scenarios that stream audio: 1 is real time. Default 8, which keeps the
   * suite fast while still delivering audio in order and in chunks, as live audio arrives.
   */
  readonly speed?: number;
  /** Per-scenario time limit in milliseconds. Default 60 000. */
  readonly scenarioTimeoutMs?: number;
  /**
   * The finals the adapter must deliver for a fixture when its service stand-in replays a recorded
   * session: text and offsets (and words, when the run has them) exactly, one for one. Give it for
   * adapters tested against recorded sessions; WER bounds are then only a second check. Leave it
   * out for live engines.
   */
  expectedFinals?(fixture: ResolvedFixture): readonly TranscriptSegment[] | undefined;
  /**
   * The segments `transcribe()` must return for a fixture when the stand-in replays a recorded
   * session, exactly as for {@link ConformanceTarget.expectedFinals}. Default: `expectedFinals`
   * (an adapter transcribing through its stream). Give it for adapters whose `transcribe()` uses a
   * batch endpoint with its own recorded answers.
   */
  expectedTranscript?(fixture: ResolvedFixture): readonly TranscriptSegment[] | undefined;
  /**
   * Room the latency scenario leaves above the declared `ttfsP99LatencyMs` for a loaded test
   * machine: it fails when the measured p99 exceeds `declared × factor + ms`. Default
   * `{ factor: 2, ms: 1000 }`. Benchmarks measure the figure precisely; this catches an adapter
   * whose finals come far later than it declares.
   */
  readonly latencySlack?: { readonly factor: number; readonly ms: number };
}
