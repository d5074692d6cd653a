import type { SpeechEvent } from "@sttkit/core";
import { wordErrorRate, corpusWordErrorRate } from "@sttkit/core/wer";
import { expect } from "vitest";
import type { FixtureKind } from "../../manifest/manifest-format.js";
import type { ResolvedFixture } from "../../manifest/load.js";
import { finalsOf, finalTextOf } from "../drive-stream.js";
import { sessionMismatches, spanProblems, timelineProblems } from "../checks.js";
import { bestMatchFrom, wordsOf } from "../text-match.js";
import type { SuiteContext } from "../context.js";
import { scenario } from "../scenario.js";

/** What is heard: declared capabilities, each fixture kind within its WER bound, several utterances in order, silence, word timings, the language option. */
export function registerRecognitionScenarios(context: SuiteContext): void {
  const { target, speed, timeout, fixturesOf, boundFor, withInstance, runFixture, expectCleanRun } = context;
  const { multi } = context.picks;
  const lastWordsFixture = context.picks.speech;

  function werScenario(kind: FixtureKind, title: string): void {
    const fixtures = fixturesOf(kind);
    scenario(
      { id: `wer-${kind}`, theme: "recognition", label: `${title}: WER within bound` },
      `${title}: final text within the WER bound, valid time line and events`,
      { skip: fixtures.length === 0, timeout: timeout * Math.max(1, fixtures.length) },
      async (record) => {
        const pairs: Array<{ reference: string; hypothesis: string }> = [];
        for (const fixture of fixtures) {
          const run = await runFixture(fixture);
          expectCleanRun(run, fixture);
          pairs.push({ reference: fixture.reference, hypothesis: finalTextOf(run) });
        }
        const corpus = corpusWordErrorRate(pairs);
        record({ wer: corpus.wer, werBound: boundFor(kind), fixtures: fixtures.length });
        expect(corpus.wer, `WER ${corpus.wer.toFixed(3)} over ${fixtures.length} fixture(s)`).toBeLessThanOrEqual(boundFor(kind));
      },
    );
  }

  scenario({ id: "capabilities", theme: "recognition", label: "declared capabilities" }, "declares exactly the capabilities it is held to", { timeout }, async () => {
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
  scenario({ id: "narrowband", theme: "recognition", label: "8 kHz audio" }, "8 kHz audio: recognised when 8 kHz is declared or converted to a declared rate, a typed error otherwise", { skip: narrowband.length === 0, timeout: timeout * 2 }, async (record) => {
    let worst: number | undefined;
    for (const fixture of narrowband) {
      const run = await runFixture(fixture);
      const refused = run.openError ?? (run.result?.isErr() ? run.result.error : undefined);
      // An adapter on the kit's stream converts 8 kHz to a rate it declares: then it is held to the same bound.
      if (target.capabilities.sampleRates.includes(fixture.sampleRate) || refused === undefined) {
        expectCleanRun(run, fixture);
        const wer = wordErrorRate(fixture.reference, finalTextOf(run)).wer;
        worst = Math.max(worst ?? 0, wer);
        record({ wer: worst, werBound: boundFor("narrowband"), fixtures: narrowband.length });
        expect(wer).toBeLessThanOrEqual(boundFor("narrowband"));
      } else {
        expect(refused.kind, "an undeclared sample rate the adapter does not convert must be refused with a typed error").toMatch(/unsupported-option|invalid-audio/);
      }
    }
  });

  scenario({ id: "multi-utterance", theme: "recognition", label: "several utterances, in order" }, "several utterances: all delivered in order, none lost or doubled", { skip: multi.length === 0, timeout: timeout * 2 }, async (record) => {
    let worst: number | undefined;
    for (const fixture of multi) {
      const run = await runFixture(fixture);
      expectCleanRun(run, fixture);
      const hypothesis = finalTextOf(run);
      const wer = wordErrorRate(fixture.reference, hypothesis).wer;
      worst = Math.max(worst ?? 0, wer);
      record({ wer: worst, werBound: boundFor("multi-utterance"), fixtures: multi.length });
      expect(wer).toBeLessThanOrEqual(boundFor("multi-utterance"));
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
  });

  const silence = fixturesOf("silence");
  scenario({ id: "silence", theme: "recognition", label: "silence gives no text" }, "silence only: no final text and a clean end", { skip: silence.length === 0, timeout }, async () => {
    for (const fixture of silence) {
      const run = await runFixture(fixture);
      expectCleanRun(run, fixture);
      expect(finalTextOf(run)).toBe("");
    }
  });

  scenario({ id: "transcribe-file", theme: "recognition", label: "transcribe() of a file" }, "transcribe() of a whole recording: segments where the speech is, within the WER bound, onEvent sees them", { skip: !lastWordsFixture, timeout }, async () => {
    const fixture = lastWordsFixture as ResolvedFixture;
    const events: SpeechEvent[] = [];
    const result = await withInstance(fixture, async ({ stt }) => await stt.transcribe({ path: fixture.audioPath }, { onEvent: (event) => events.push(event) }));
    expect(result.isOk(), result.isErr() ? `${result.error.kind}: ${result.error.message}` : "").toBe(true);
    if (result.isErr()) return;
    const transcript = result.value;
    expect(transcript.text, "speech gave an empty transcript").not.toBe("");
    expect(transcript.text).toBe(transcript.segments.map((segment) => segment.text.trim()).filter(Boolean).join(" "));
    expect(timelineProblems(transcript.segments, fixture.durationMs)).toEqual([]);
    expect(spanProblems(transcript.segments, fixture.spans), "segments must lie where the speech is").toEqual([]);
    expect(Math.abs(transcript.audioSeconds * 1000 - fixture.durationMs), "audioSeconds is the recording's duration").toBeLessThanOrEqual(50);
    expect(wordErrorRate(fixture.reference, transcript.text).wer).toBeLessThanOrEqual(boundFor(fixture.kind));
    const finals = events.flatMap((event) => (event.type === "final" ? [event.segment] : []));
    expect(finals, "onEvent must see every segment as a final, in order").toEqual(transcript.segments);
    expect(events.filter((event) => event.type === "usage"), "onEvent must see one usage event").toHaveLength(1);
    if (!target.capabilities.interimResults) expect(events.some((event) => event.type === "interim")).toBe(false);
    const expected = target.expectedTranscript?.(fixture) ?? target.expectedFinals?.(fixture);
    if (expected) expect(sessionMismatches(transcript.segments, expected), "the segments must be the replayed session's, exactly").toEqual([]);
  });

  scenario({ id: "word-timings", theme: "recognition", label: "word timings" }, "word timings, as declared, lie inside their segments", { skip: !lastWordsFixture || !target.capabilities.wordTimings, timeout }, async () => {
    const fixture = lastWordsFixture as ResolvedFixture;
    const run = await runFixture(fixture, { speed, streamOptions: { wordTimings: true } });
    expectCleanRun(run, fixture);
    const withText = finalsOf(run).filter((segment) => segment.text.trim().length > 0);
    expect(withText.length).toBeGreaterThan(0);
    for (const segment of withText) expect(segment.words?.length, `no words on "${segment.text}"`).toBeGreaterThan(0);
  });

  scenario({ id: "language", theme: "recognition", label: "language option, unknown language refused" }, "the language option is honoured, and an unknown language is a typed error", { skip: !lastWordsFixture, timeout }, async () => {
    const fixture = lastWordsFixture as ResolvedFixture;
    const language = fixture.language as never;
    const run = await runFixture(fixture, { speed, streamOptions: { language } });
    expectCleanRun(run, fixture);
    // Asked for a language, every final must say which it was recognised in.
    for (const segment of finalsOf(run)) expect(segment.language, `final "${segment.text}" does not report its language`).toBe(fixture.language);
    await withInstance(fixture, async ({ stt }) => {
      const opened = stt.stream({ language: "xx-XX" as never });
      expect(opened.isErr(), "stream() must refuse an unknown language").toBe(true);
      if (opened.isErr()) expect(["unsupported-language", "invalid-argument"]).toContain(opened.error.kind);
    });
  });
}
