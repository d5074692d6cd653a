import { encodeWav, readWavFile, type SpeechEvent, type SttErrorKind, type WavAudio } from "@sttkit/core";
import { corpusWordErrorRate, wordErrorRate } from "@sttkit/core/wer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FixtureKind } from "../fixtures/manifest-format.js";
import type { ResolvedFixture } from "../fixtures/load.js";
import { doubledFinals, eventProblems, timelineProblems } from "./checks.js";
import { driveStream, finalsOf, finalTextOf, type StreamRun } from "./drive-stream.js";
import { countOpenHandles, settleHandles, type HandleCounts } from "./open-handles.js";
import { checkRandomCallSequences, checkStreamWithAnyOptions, checkTranscribeWithAnyInput } from "./random-calls.js";
import {
  CONFORMANCE_FAULTS,
  type ConformanceFault,
  type ConformanceInstance,
  type ConformanceTarget,
  type FaultOutcome,
} from "./target.js";

const DEFAULT_SPEED = 8;
const DEFAULT_PARALLEL_STREAMS = 100;
const DEFAULT_SCENARIO_TIMEOUT_MS = 60_000;
const DEFAULT_RANDOM_SEQUENCES = 20;
const ANY_OPTIONS_RUNS = 200;
const ANY_TRANSCRIBE_INPUT_RUNS = 100;

/**
 * Registers the conformance scenarios for one adapter with vitest. Call it at the top level of a
 * test file:
 *
 * ```ts
 * runConformanceSuite({ name: "my-adapter", create, fixtures, capabilities, werBounds: { clean: 0.3 } });
 * ```
 *
 * Scenarios follow the declared capabilities: an adapter is not failed for lacking a capability
 * it does not claim, and is failed for claiming one it does not deliver.
 */
export function runConformanceSuite(target: ConformanceTarget): void {
  const speed = target.speed ?? DEFAULT_SPEED;
  const timeout = target.scenarioTimeoutMs ?? DEFAULT_SCENARIO_TIMEOUT_MS;
  const audio = new Map<string, WavAudio>();
  let baseline: HandleCounts = {};

  const fixturesOf = (kind: FixtureKind): ResolvedFixture[] => target.fixtures.filter((f) => f.kind === kind);
  const audioOf = (fixture: ResolvedFixture): WavAudio => {
    const wav = audio.get(fixture.id);
    if (!wav) throw new Error(`fixture ${fixture.id} was not loaded`);
    return wav;
  };
  const boundFor = (kind: FixtureKind): number => {
    const bounds = target.werBounds;
    if (kind === "noisy") return bounds.noisy ?? bounds.clean;
    if (kind === "narrowband") return bounds.narrowband ?? bounds.clean;
    if (kind === "long") return bounds.long ?? bounds.clean;
    return bounds.clean;
  };

  async function withInstance<T>(
    fixture: ResolvedFixture,
    use: (instance: ConformanceInstance) => Promise<T>,
    extra: { fault?: ConformanceFault; concurrentStreams?: number } = {},
  ): Promise<T> {
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
  }

  async function runFixture(fixture: ResolvedFixture, options: Parameters<typeof driveStream>[2] = { speed }): Promise<StreamRun> {
    return withInstance(fixture, (instance) => driveStream(instance.stt, audioOf(fixture), options));
  }

  function expectCleanRun(run: StreamRun, fixture: ResolvedFixture): void {
    expect(run.openError, "stream() failed").toBeUndefined();
    expect(run.writeErrors, "write() failed").toEqual([]);
    const result = run.result;
    expect(result?.isOk(), `end() failed: ${result?.isErr() ? `${result.error.kind}: ${result.error.message}` : ""}`).toBe(true);
    expect(eventProblems(run, target.capabilities, fixture.reference.length > 0)).toEqual([]);
    expect(timelineProblems(finalsOf(run), fixture.durationMs)).toEqual([]);
    expect(doubledFinals(run)).toEqual([]);
    const transcript = result?.isOk() ? result.value : undefined;
    expect(transcript?.text).toBe(finalTextOf(run));
  }

  function werScenario(kind: FixtureKind, title: string): void {
    const fixtures = fixturesOf(kind);
    it.skipIf(fixtures.length === 0)(
      `${title}: final text within the WER bound, valid time line and events`,
      async () => {
        const pairs: Array<{ reference: string; hypothesis: string }> = [];
        for (const fixture of fixtures) {
          const run = await runFixture(fixture);
          expectCleanRun(run, fixture);
          pairs.push({ reference: fixture.reference, hypothesis: finalTextOf(run) });
        }
        const corpus = corpusWordErrorRate(pairs);
        expect(corpus.wer, `WER ${corpus.wer.toFixed(3)} over ${fixtures.length} fixture(s)`).toBeLessThanOrEqual(boundFor(kind));
      },
      timeout * Math.max(1, fixtures.length),
    );
  }

  describe(`conformance: ${target.name}`, () => {
    beforeAll(async () => {
      baseline = countOpenHandles();
      for (const fixture of target.fixtures) {
        const wav = await readWavFile(fixture.audioPath);
        if (wav.isErr()) throw new Error(`fixture ${fixture.id}: ${wav.error.message}`);
        audio.set(fixture.id, wav.value);
      }
    });

    it("declares exactly the capabilities it is held to", async () => {
      const fixture = target.fixtures[0];
      expect(fixture, "no fixtures given").toBeDefined();
      await withInstance(fixture as ResolvedFixture, async ({ stt }) => {
        expect(stt.capabilities).toEqual(target.capabilities);
        expect(stt.capabilities.ttfsP99LatencyMs).toBeGreaterThan(0);
        expect(stt.capabilities.sampleRates.length).toBeGreaterThan(0);
        expect(typeof stt.provider).toBe("string");
      });
    });

    werScenario("single-utterance", "single utterance");
    werScenario("noisy", "noisy speech");
    werScenario("long", "long multi-sentence audio");

    const narrowband = fixturesOf("narrowband");
    it.skipIf(narrowband.length === 0)("8 kHz audio: recognised when 8 kHz is declared, a typed error otherwise", async () => {
      for (const fixture of narrowband) {
        if (target.capabilities.sampleRates.includes(fixture.sampleRate)) {
          const run = await runFixture(fixture);
          expectCleanRun(run, fixture);
          expect(wordErrorRate(fixture.reference, finalTextOf(run)).wer).toBeLessThanOrEqual(boundFor("narrowband"));
        } else {
          const run = await runFixture(fixture);
          const error = run.openError ?? (run.result?.isErr() ? run.result.error : undefined);
          expect(error?.kind, "an undeclared sample rate must be refused with a typed error").toMatch(/unsupported-option|invalid-audio/);
        }
      }
    }, timeout * 2);

    const multi = fixturesOf("multi-utterance");
    it.skipIf(multi.length === 0)("several utterances: all delivered in order, none lost or doubled", async () => {
      for (const fixture of multi) {
        const run = await runFixture(fixture);
        expectCleanRun(run, fixture);
        const hypothesis = finalTextOf(run);
        expect(wordErrorRate(fixture.reference, hypothesis).wer).toBeLessThanOrEqual(boundFor("multi-utterance"));
        // A lost utterance shows as missing words, a doubled one as extra words.
        const referenceWords = fixture.reference.split(/\s+/).length;
        const hypothesisWords = hypothesis.split(/\s+/).filter(Boolean).length;
        expect(Math.abs(hypothesisWords - referenceWords) / referenceWords).toBeLessThanOrEqual(0.2);
        // Each utterance, in order, must be found in the hypothesis.
        let cursor = 0;
        const normalised = wordsOf(hypothesis);
        for (const utterance of fixture.utterances) {
          const found = bestMatchFrom(normalised, wordsOf(utterance), cursor);
          expect(found.wer, `utterance "${utterance}" not found in order in "${hypothesis}"`).toBeLessThanOrEqual(Math.max(0.5, boundFor("multi-utterance") * 2));
          cursor = found.end;
        }
      }
    }, timeout * 2);

    const silence = fixturesOf("silence");
    it.skipIf(silence.length === 0)("silence only: no final text and a clean end", async () => {
      for (const fixture of silence) {
        const run = await runFixture(fixture);
        expectCleanRun(run, fixture);
        expect(finalTextOf(run)).toBe("");
      }
    }, timeout);

    const speech = [...multi, ...fixturesOf("single-utterance")];
    const lastWordsFixture = speech[0];
    it.skipIf(!lastWordsFixture)("end() resolves only after the last final transcript", async () => {
      const fixture = lastWordsFixture as ResolvedFixture;
      const run = await runFixture(fixture);
      expectCleanRun(run, fixture);
      const lastUtterance = fixture.utterances.at(-1) ?? fixture.reference;
      const lastWords = wordsOf(finalTextOf(run)).slice(-wordsOf(lastUtterance).length);
      expect(wordErrorRate(lastUtterance, lastWords.join(" ")).wer, "the last utterance is missing from the transcript").toBeLessThanOrEqual(Math.max(0.5, boundFor(fixture.kind) * 2));
      const transcript = run.result?.isOk() ? run.result.value : undefined;
      expect(transcript?.segments.length).toBe(finalsOf(run).length);
    }, timeout);

    it.skipIf(!lastWordsFixture || !target.capabilities.wordTimings)("word timings, as declared, lie inside their segments", async () => {
      const fixture = lastWordsFixture as ResolvedFixture;
      const run = await runFixture(fixture, { speed, streamOptions: { wordTimings: true } });
      expectCleanRun(run, fixture);
      const withText = finalsOf(run).filter((segment) => segment.text.trim().length > 0);
      expect(withText.length).toBeGreaterThan(0);
      for (const segment of withText) expect(segment.words?.length, `no words on "${segment.text}"`).toBeGreaterThan(0);
    }, timeout);

    it.skipIf(!lastWordsFixture)("the language option is honoured, and an unknown language is a typed error", async () => {
      const fixture = lastWordsFixture as ResolvedFixture;
      const language = fixture.language as never;
      const run = await runFixture(fixture, { speed, streamOptions: { language } });
      expectCleanRun(run, fixture);
      for (const segment of finalsOf(run)) {
        if (segment.language !== undefined) expect(segment.language).toBe(fixture.language);
      }
      await withInstance(fixture, async ({ stt }) => {
        const opened = stt.stream({ language: "xx-XX" as never });
        expect(opened.isErr(), "stream() must refuse an unknown language").toBe(true);
        if (opened.isErr()) expect(["unsupported-language", "invalid-argument"]).toContain(opened.error.kind);
      });
    }, timeout);

    it.skipIf(!lastWordsFixture)("close() mid-stream ends cleanly: aborted result, iteration ends, later writes refused", async () => {
      const fixture = lastWordsFixture as ResolvedFixture;
      await withInstance(fixture, async ({ stt }) => {
        const wav = audioOf(fixture);
        const run = await driveStream(stt, wav, { speed, closeAfterMs: Math.min(1500, fixture.durationMs / 2) });
        expect(run.result?.isErr() && run.result.error.kind).toBe("aborted");
        expect(run.iterationFinished).toBe(true);
        expect(run.events.some(({ event }) => event.type === "error" && event.fatal)).toBe(false);
        const stream = stt.stream({ format: wav.format })._unsafeUnwrap();
        await stream.close();
        await stream.close();
        expect(stream.write(wav.pcm.subarray(0, 3200))._unsafeUnwrapErr().kind).toBe("stream-state");
        expect((await stream.end())._unsafeUnwrapErr().kind).toBe("aborted");
      });
    }, timeout);

    it.skipIf(!lastWordsFixture)("writing after end() is a typed error and loses nothing already written", async () => {
      const fixture = lastWordsFixture as ResolvedFixture;
      await withInstance(fixture, async ({ stt }) => {
        const wav = audioOf(fixture);
        const stream = stt.stream({ format: wav.format })._unsafeUnwrap();
        expect(stream.write(wav.pcm).isOk()).toBe(true);
        const ending = stream.end();
        const late = stream.write(wav.pcm.subarray(0, 3200));
        expect(late.isErr() && late.error.kind).toBe("stream-state");
        const transcript = await ending;
        expect(transcript.isOk(), transcript.isErr() ? transcript.error.message : "").toBe(true);
        expect(wordErrorRate(fixture.reference, transcript.isOk() ? transcript.value.text : "").wer).toBeLessThanOrEqual(Math.max(0.5, boundFor(fixture.kind) * 2));
        await stream.close();
      });
    }, timeout);

    it("invalid audio and bad arguments are typed errors, never throws", async () => {
      const fixture = target.fixtures[0] as ResolvedFixture;
      await withInstance(fixture, async ({ stt }) => {
        const notWav = await stt.transcribe(new TextEncoder().encode("definitely not a wav file"));
        expect(notWav.isErr() && notWav.error.kind).toBe("invalid-audio");
        const eightBit = encodeWav(new Uint8Array(1600), { sampleRate: 16_000, channels: 1, bitsPerSample: 16 });
        new DataView(eightBit.buffer).setUint16(34, 8, true);
        const eightBitResult = await stt.transcribe(eightBit);
        expect(eightBitResult.isErr() && eightBitResult.error.kind).toBe("invalid-audio");
        const badRate = stt.stream({ format: { sampleRate: 1234, channels: 1, bitsPerSample: 16 } });
        expect(badRate.isErr() && badRate.error.kind).toMatch(/invalid-audio|unsupported-option/);
        const stereo = stt.stream({ format: { sampleRate: 16_000, channels: 2, bitsPerSample: 16 } });
        expect(stereo.isErr() && stereo.error.kind).toMatch(/invalid-audio|unsupported-option/);
        const missing = await stt.transcribe({ path: "/nonexistent/audio.wav" });
        expect(missing.isErr() && missing.error.kind).toBe("invalid-audio");
        const stream = stt.stream()._unsafeUnwrap();
        expect(stream.write("not bytes" as never)._unsafeUnwrapErr().kind).toBe("invalid-argument");
        await stream.close();
      });
    }, timeout);

    it.skipIf(!lastWordsFixture)("the onEvent option is honoured: it sees the same finals as iteration, and the usage", async () => {
      const fixture = lastWordsFixture as ResolvedFixture;
      const observed: Array<{ event: SpeechEvent }> = [];
      const run = await withInstance(fixture, ({ stt }) =>
        driveStream(stt, audioOf(fixture), { speed, streamOptions: { onEvent: (event) => observed.push({ event }) } }),
      );
      expectCleanRun(run, fixture);
      const iteratedFinals = run.events.filter((timed) => timed.event.type === "final");
      const observedFinals = observed.filter((timed) => timed.event.type === "final");
      expect(observedFinals.map((timed) => timed.event), "onEvent and iteration disagree on the finals").toEqual(iteratedFinals.map((timed) => timed.event));
      expect(observed.filter((timed) => timed.event.type === "usage"), "onEvent must see the usage event").toHaveLength(1);
    }, timeout);

    it("stream() with options of any type: a typed error or a stream, never a throw", async () => {
      const fixture = lastWordsFixture ?? target.fixtures[0];
      if (!fixture) return;
      await withInstance(fixture, ({ stt }) => checkStreamWithAnyOptions(stt, ANY_OPTIONS_RUNS));
    }, timeout);

    it.skipIf(!lastWordsFixture)("random sequences of writes, end() and close(): typed results, no throw, no hang", async () => {
      const fixture = lastWordsFixture as ResolvedFixture;
      await withInstance(fixture, ({ stt }) => checkRandomCallSequences(stt, audioOf(fixture), target.randomSequences ?? DEFAULT_RANDOM_SEQUENCES));
    }, timeout * 2);

    it.skipIf(!lastWordsFixture)("transcribe() of random bytes, cut WAVs and odd options: a typed error or a transcript", async () => {
      const fixture = lastWordsFixture as ResolvedFixture;
      await withInstance(fixture, ({ stt }) => checkTranscribeWithAnyInput(stt, audioOf(fixture), ANY_TRANSCRIBE_INPUT_RUNS));
    }, timeout * 2);

    const faultFixture = multi[0] ?? lastWordsFixture;
    const declaredFaults = CONFORMANCE_FAULTS.filter((fault) => target.faults?.[fault] !== undefined);
    describe.skipIf(declaredFaults.length === 0 || !faultFixture)("injected faults", () => {
      let reference: StreamRun | undefined;
      for (const fault of declaredFaults) {
        const outcome = target.faults?.[fault] as FaultOutcome;
        const title = "error" in outcome ? `${fault}: fails with a typed "${outcome.error}" error` : `${fault}: recovers, every final exactly once`;
        it(title, async () => {
          const fixture = faultFixture as ResolvedFixture;
          reference ??= await runFixture(fixture);
          const run = await withInstance(fixture, ({ stt }) => driveStream(stt, audioOf(fixture), { speed }), { fault });
          expect(run.iterationFinished).toBe(true);
          if ("error" in outcome) {
            const error = run.openError ?? (run.result?.isErr() ? run.result.error : undefined);
            expect(error?.kind, `expected a ${outcome.error} error, got ${error ? error.kind : "success"}`).toBe(outcome.error as SttErrorKind);
            if (!run.openError) {
              const last = run.events.at(-1)?.event;
              expect(last?.type === "error" && last.fatal && last.error.kind).toBe(outcome.error);
            }
          } else {
            expectCleanRun(run, fixture);
            expect(finalsOf(run).map((s) => s.text)).toEqual(finalsOf(reference).map((s) => s.text));
          }
        }, timeout * 2);
      }
    });

    const parallel = target.parallelStreams ?? DEFAULT_PARALLEL_STREAMS;
    it.skipIf(!lastWordsFixture)(`${parallel} streams in parallel all complete`, async () => {
      const fixture = lastWordsFixture as ResolvedFixture;
      await withInstance(
        fixture,
        async ({ stt }) => {
          const runs = await Promise.all(
            Array.from({ length: parallel }, () => driveStream(stt, audioOf(fixture), { speed })),
          );
          const failures = runs.filter((run) => run.openError || run.result?.isErr());
          expect(failures.map((run) => run.openError?.message ?? (run.result?.isErr() ? run.result.error.message : ""))).toEqual([]);
          const texts = new Set(runs.map(finalTextOf));
          expect(texts.size, "parallel streams of the same audio disagree").toBe(1);
        },
        { concurrentStreams: parallel },
      );
    }, timeout * 4);

    afterAll(async () => {
      const leaked = await settleHandles(baseline);
      expect(leaked, "open handles left behind by the adapter").toEqual({});
    });
  });
}

function wordsOf(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}'\s-]/gu, " ")
    .split(/[\s-]+/)
    .filter(Boolean);
}

/** The window of `words` starting at or after `from` that best matches `target` (lowest WER). */
function bestMatchFrom(words: string[], target: string[], from: number): { wer: number; end: number } {
  let best = { wer: Infinity, end: from };
  for (let start = from; start <= Math.max(from, words.length - 1); start++) {
    for (const length of [target.length - 1, target.length, target.length + 1]) {
      if (length <= 0) continue;
      const window = words.slice(start, start + length);
      const { wer } = wordErrorRate(target.join(" "), window.join(" "));
      if (wer < best.wer) best = { wer, end: start + window.length };
    }
  }
  return best;
}
