import { readWavFile, type WavAudio } from "@sttkit/core";
import { expect } from "vitest";
import type { FixtureKind } from "../manifest/manifest-format.js";
import type { ResolvedFixture } from "../manifest/load.js";
import { doubledFinals, eventProblems, sessionMismatches, spanProblems, timelineProblems } from "./checks.js";
import { driveStream, finalsOf, finalTextOf, type DriveOptions, type StreamRun } from "./drive-stream.js";
import type { ConformanceFault, ConformanceInstance, ConformanceTarget } from "./target.js";

const DEFAULT_SPEED = 8;
const DEFAULT_SCENARIO_TIMEOUT_MS = 60_000;

/** What every scenario file shares: the target, its fixtures and audio, and the common checks. */
export interface SuiteContext {
  /** The adapter under test, as declared. */
  readonly target: ConformanceTarget;
  /** Playback speed of streamed audio (1 = real time). */
  readonly speed: number;
  /** Per-scenario time limit, ms. */
  readonly timeout: number;
  /** Fixtures the scenarios pick from. */
  readonly picks: {
    /** Multi-utterance fixtures. */
    readonly multi: readonly ResolvedFixture[];
    /** The speech fixture used by single-fixture scenarios (a multi-utterance one first). */
    readonly speech: ResolvedFixture | undefined;
    /** The fixture fault scenarios run on. */
    readonly fault: ResolvedFixture | undefined;
  };
  /** Fixtures of one kind. */
  fixturesOf(kind: FixtureKind): ResolvedFixture[];
  /** A fixture's decoded audio (loaded before the scenarios run). */
  audioOf(fixture: ResolvedFixture): WavAudio;
  /** The WER bound the target promises for a kind of fixture. */
  boundFor(kind: FixtureKind): number;
  /** Reads every fixture's audio; called once before the scenarios. */
  loadAudio(): Promise<void>;
  /** Builds an instance for one scenario, uses it, and disposes of it whatever happens. */
  withInstance<T>(fixture: ResolvedFixture, use: (instance: ConformanceInstance) => Promise<T>, extra?: { fault?: ConformanceFault; concurrentStreams?: number }): Promise<T>;
  /** Streams a fixture through a fresh instance. */
  runFixture(fixture: ResolvedFixture, options?: DriveOptions): Promise<StreamRun>;
  /**
   * The checks every successful run must pass: no errors; valid events and time line; finals where
   * the speech is (measured spans); no doubled final; a non-empty transcript for speech; the
   * transcript equal to the finals; and, against a replayed session, exactly the session's finals.
   */
  expectCleanRun(run: StreamRun, fixture: ResolvedFixture): void;
}

/** Builds the shared context of one suite run. */
export function createSuiteContext(target: ConformanceTarget): SuiteContext {
  const speed = target.speed ?? DEFAULT_SPEED;
  const audio = new Map<string, WavAudio>();
  const fixturesOf = (kind: FixtureKind): ResolvedFixture[] => target.fixtures.filter((f) => f.kind === kind);
  const multi = fixturesOf("multi-utterance");
  const speech = [...multi, ...fixturesOf("single-utterance")][0];

  const context: SuiteContext = {
    target,
    speed,
    timeout: target.scenarioTimeoutMs ?? DEFAULT_SCENARIO_TIMEOUT_MS,
    picks: { multi, speech, fault: multi[0] ?? speech },
    fixturesOf,
    audioOf(fixture) {
      const wav = audio.get(fixture.id);
      if (!wav) throw new Error(`fixture ${fixture.id} was not loaded`);
      return wav;
    },
    boundFor(kind) {
      const bounds = target.werBounds;
      if (kind === "noisy") return bounds.noisy ?? bounds.clean;
      if (kind === "narrowband") return bounds.narrowband ?? bounds.clean;
      if (kind === "long") return bounds.long ?? bounds.clean;
      return bounds.clean;
    },
    async loadAudio() {
      for (const fixture of target.fixtures) {
        const wav = await readWavFile(fixture.audioPath);
        if (wav.isErr()) throw new Error(`fixture ${fixture.id}: ${wav.error.message}`);
        audio.set(fixture.id, wav.value);
      }
    },
    async withInstance(fixture, use, extra = {}) {
      const created = await target.create({
        fixture,
        concurrentStreams: extra.concurrentStreams ?? 1,
        ...(extra.fault ? { fault: extra.fault } : {}),
      });
      if (created.isErr()) throw new Error(`create() failed: ${created.error.kind}: ${created.error.message}`);
      try {
        return await use(created.value);
      } finally {
        await created.value.dispose?.();
      }
    },
    runFixture(fixture, options = { speed }) {
      return context.withInstance(fixture, (instance) => driveStream(instance.stt, context.audioOf(fixture), options));
    },
    expectCleanRun(run, fixture) {
      expect(run.openError, "stream() failed").toBeUndefined();
      expect(run.writeErrors, "write() failed").toEqual([]);
      const result = run.result;
      expect(result?.isOk(), `end() failed: ${result?.isErr() ? `${result.error.kind}: ${result.error.message}` : ""}`).toBe(true);
      expect(eventProblems(run, target.capabilities, fixture.reference.length > 0)).toEqual([]);
      expect(timelineProblems(finalsOf(run), fixture.durationMs)).toEqual([]);
      expect(spanProblems(finalsOf(run), fixture.spans), "finals must lie where the speech is").toEqual([]);
      expect(doubledFinals(run)).toEqual([]);
      const transcript = result?.isOk() ? result.value : undefined;
      expect(transcript?.text).toBe(finalTextOf(run));
      if (fixture.reference.length > 0) expect(finalTextOf(run), "speech gave an empty transcript").not.toBe("");
      const expected = target.expectedFinals?.(fixture);
      if (expected) expect(sessionMismatches(finalsOf(run), expected), "the finals must be the replayed session's, exactly").toEqual([]);
    },
  };
  return context;
}
