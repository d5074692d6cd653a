import type { SttCapabilities } from "@sttkit/core";
import type { ConformanceFault, ConformanceTarget, FaultOutcome, WerBounds } from "./target.js";

/**
 * Where the suite leaves what a report needs in each vitest test's metadata (`task.meta`, which
 * vitest's JSON reporter writes out): what the target declared, which scenario the test is, and
 * what it measured. This module imports nothing from vitest, so report code can read it anywhere.
 */
export const CONFORMANCE_META_KEYS = Object.freeze({
  /** The target's declaration ({@link ConformanceDeclaration}), on every test of the suite. */
  target: "sttkit.conformance.target",
  /** The scenario's stable identity ({@link ConformanceScenarioInfo}). */
  scenario: "sttkit.conformance.scenario",
  /** What the scenario measured ({@link ScenarioMeasurements}), when it measured anything. */
  measured: "sttkit.conformance.measured",
} as const);

/** The themes scenarios are grouped by, one file each under `suite/scenarios/`. */
export type ConformanceTheme = "recognition" | "lifecycle" | "fuzzing" | "faults" | "latency" | "load" | "handles" | "setup";

/**
 * A scenario's identity, the same for every adapter: a test's title can name adapter figures (its
 * declared p99, its number of parallel streams), its id and label do not, so reports of several
 * adapters line up row by row.
 */
export interface ConformanceScenarioInfo {
  /** Stable id, e.g. `wer-single-utterance`, `fault-auth-rejected`. */
  readonly id: string;
  /** The theme it belongs to. */
  readonly theme: ConformanceTheme;
  /** A short label without adapter figures, for matrix rows. */
  readonly label: string;
  /** Set when the suite skips it: the target does not declare what it needs (a capability, a fixture kind). */
  readonly notApplicable?: true;
}

/** What a scenario measured, recorded before its assertions so a failing run still shows it. */
export interface ScenarioMeasurements {
  /** Word error rate (0 to 1): corpus WER of the fixtures scored, or the worst single fixture's. */
  readonly wer?: number;
  /** The bound the WER was held to. */
  readonly werBound?: number;
  /** How many fixtures were scored. */
  readonly fixtures?: number;
  /** End of speech to final, 99th percentile (nearest rank) measured from outside the stream, ms. */
  readonly latencyP99Ms?: number;
  /** End of speech to final, median, ms. */
  readonly latencyP50Ms?: number;
  /** How many finals the latency figures are over. */
  readonly latencyFinals?: number;
  /** The p99 the adapter declares (`ttfsP99LatencyMs`). */
  readonly declaredP99Ms?: number;
  /** The p99 the scenario allows on a loaded machine (declared × slack factor + slack ms). */
  readonly allowedP99Ms?: number;
  /** Connect time the stream reported (`Transcript.metrics.connectMs`), ms. */
  readonly connectMs?: number;
  /** First speech start to first interim, as the stream reported it, ms. */
  readonly firstInterimMs?: number;
}

/** What a target declares, as the suite records it for reports: everything but the factory and fixtures. */
export interface ConformanceDeclaration {
  /** The target's name. */
  readonly name: string;
  /** The capabilities it must declare. */
  readonly capabilities: SttCapabilities;
  /** Its WER bounds. */
  readonly werBounds: WerBounds;
  /** The faults its stand-in injects, and the promised outcome of each. */
  readonly faults: Partial<Record<ConformanceFault, FaultOutcome>>;
  /** How many fixtures it runs. */
  readonly fixtures: number;
  /** Streams opened at once in the load scenario. */
  readonly parallelStreams?: number;
  /** Playback speed of streamed audio. */
  readonly speed?: number;
  /** Whether finals are compared one for one with replayed sessions (`expectedFinals`). */
  readonly exactFinals: boolean;
}

/** The declaration of a target, as recorded in every test's metadata. */
export function declarationOf(target: ConformanceTarget): ConformanceDeclaration {
  return {
    name: target.name,
    capabilities: target.capabilities,
    werBounds: target.werBounds,
    faults: target.faults ?? {},
    fixtures: target.fixtures.length,
    ...(target.parallelStreams !== undefined ? { parallelStreams: target.parallelStreams } : {}),
    ...(target.speed !== undefined ? { speed: target.speed } : {}),
    exactFinals: target.expectedFinals !== undefined,
  };
}
