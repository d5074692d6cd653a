import type { SttCapabilities, TranscriptSegment } from "@sttkit/core";
import type { SpeechSpan } from "../manifest/speech-spans.js";
import type { StreamRun } from "./drive-stream.js";
import { finalsOf } from "./drive-stream.js";

/** Slack allowed between reported offsets and the audio's real extent, in milliseconds. */
export const OFFSET_TOLERANCE_MS = 300;

/** Problems with a run's final segments' time line: order, bounds, word timings. */
export function timelineProblems(segments: readonly TranscriptSegment[], audioMs: number): string[] {
  const problems: string[] = [];
  let previousStart = -Infinity;
  let previousEnd = -Infinity;
  segments.forEach((segment, index) => {
    const where = `final #${index} ("${segment.text}")`;
    if (!(Number.isFinite(segment.startMs) && Number.isFinite(segment.endMs))) {
      problems.push(`${where} has non-numeric offsets`);
      return;
    }
    if (segment.startMs < 0) problems.push(`${where} starts before the audio (${segment.startMs} ms)`);
    if (segment.endMs < segment.startMs) problems.push(`${where} ends before it starts`);
    if (segment.endMs > audioMs + OFFSET_TOLERANCE_MS) {
      problems.push(`${where} ends at ${segment.endMs} ms, after the audio's ${Math.round(audioMs)} ms`);
    }
    if (segment.startMs < previousStart) problems.push(`${where} starts before the previous final`);
    if (segment.startMs < previousEnd - OFFSET_TOLERANCE_MS) problems.push(`${where} overlaps the previous final`);
    previousStart = segment.startMs;
    previousEnd = segment.endMs;
    for (const word of segment.words ?? []) {
      if (
        word.startMs < segment.startMs - OFFSET_TOLERANCE_MS ||
        word.endMs > segment.endMs + OFFSET_TOLERANCE_MS ||
        word.endMs < word.startMs
      ) {
        problems.push(`${where}: word "${word.text}" (${word.startMs}-${word.endMs} ms) lies outside its segment`);
      }
    }
  });
  return problems;
}

/** Problems with the order and shape of a run's events, judged against declared capabilities. */
export function eventProblems(run: StreamRun, capabilities: SttCapabilities, expectSpeech: boolean): string[] {
  const problems: string[] = [];
  const types = run.events.map(({ event }) => event.type);
  const usageCount = types.filter((type) => type === "usage").length;
  if (usageCount !== 1) problems.push(`expected exactly one usage event, got ${usageCount}`);
  const lastType = types.at(-1);
  if (lastType !== "usage" && lastType !== "error") problems.push(`the last event is "${String(lastType)}", not usage or error`);
  if (!run.iterationFinished) problems.push("event iteration did not finish after the stream ended");
  const late = run.eventsAfterEnd.filter(({ event }) => event.type !== "usage" && event.type !== "error");
  if (late.length > 0) problems.push(`${late.length} event(s) arrived after end() resolved: ${late.map((t) => t.event.type).join(", ")}`);
  const interims = types.filter((type) => type === "interim").length;
  if (!capabilities.interimResults && interims > 0) {
    problems.push(`${interims} interim event(s) from an adapter that declares no interim results`);
  }
  if (capabilities.interimResults && expectSpeech) {
    let interimSinceFinal = false;
    for (const { event } of run.events) {
      if (event.type === "interim") interimSinceFinal = true;
      if (event.type === "final" && event.segment.text.trim().length > 0) {
        if (!interimSinceFinal) problems.push(`final "${event.segment.text}" came with no interim before it`);
        interimSinceFinal = false;
      }
    }
  }
  if (!capabilities.diarization) {
    const labelled = finalsOf(run).filter((segment) => segment.speaker !== undefined || segment.words?.some((word) => word.speaker !== undefined));
    if (labelled.length > 0) problems.push(`${labelled.length} final(s) carry speakers from an adapter that declares no diarization`);
  }
  const summaries = run.events.filter(({ event }) => event.type === "metrics" && event.scope === "stream").length;
  if (summaries !== 1) problems.push(`expected exactly one metrics summary, got ${summaries}`);
  const usageAt = types.indexOf("usage");
  if (usageAt > 0 && run.events[usageAt - 1]?.event.type !== "metrics") problems.push("the metrics summary must come just before usage");
  const usage = run.events.find(({ event }) => event.type === "usage")?.event;
  if (usage?.type === "usage" && !(usage.audioSeconds >= 0)) problems.push("usage reports a negative audio duration");
  return problems;
}

/** Finals whose text repeats an earlier final covering the same time: a doubled delivery. */
export function doubledFinals(run: StreamRun): string[] {
  const seen: TranscriptSegment[] = [];
  const doubled: string[] = [];
  for (const segment of finalsOf(run)) {
    const twin = seen.find(
      (earlier) =>
        earlier.text === segment.text &&
        segment.startMs < earlier.endMs &&
        earlier.startMs < segment.endMs,
    );
    if (twin) doubled.push(`"${segment.text}" at ${segment.startMs} ms`);
    seen.push(segment);
  }
  return doubled;
}

/**
 * How far a final's start or end may lie from the measured edge of the speech it transcribes, in
 * milliseconds. The spans come from an energy detector and engines place word edges differently
 * (PocketSphinx's differ from the measured spans by up to about 500 ms on the fixtures, at faint
 * word endings), so the slack is wide; a time line halved, scaled or shifted by a second is not.
 */
export const SPAN_TOLERANCE_MS = 750;

/**
 * Problems with where a run's finals lie against the fixture's measured utterance spans: a final
 * with text must overlap speech and must not start before the first utterance it covers or end
 * after the last one (beyond the tolerance); the finals covering an utterance must reach its start
 * and its end; and no utterance may be left without a final.
 */
export function spanProblems(segments: readonly TranscriptSegment[], spans: readonly SpeechSpan[], toleranceMs = SPAN_TOLERANCE_MS): string[] {
  const problems: string[] = [];
  const covering: TranscriptSegment[][] = spans.map(() => []);
  for (const segment of segments) {
    if (segment.text.trim().length === 0) continue;
    const where = `final "${segment.text}" (${segment.startMs}-${segment.endMs} ms)`;
    const overlapped = spans.flatMap((span, index) => (segment.startMs < span.endMs + toleranceMs && span.startMs - toleranceMs < segment.endMs ? [index] : []));
    const first = spans[overlapped[0] ?? -1];
    const last = spans[overlapped.at(-1) ?? -1];
    if (!first || !last) {
      problems.push(`${where} lies where the audio has no speech`);
      continue;
    }
    if (segment.startMs < first.startMs - toleranceMs) problems.push(`${where} starts before its speech, which starts at ${first.startMs} ms`);
    if (segment.endMs > last.endMs + toleranceMs) problems.push(`${where} ends after its speech, which ends at ${last.endMs} ms`);
    for (const index of overlapped) covering[index]?.push(segment);
  }
  spans.forEach((span, index) => {
    const finals = covering[index] ?? [];
    const where = `utterance #${index + 1} (${span.startMs}-${span.endMs} ms)`;
    if (finals.length === 0) {
      problems.push(`${where} has no final`);
      return;
    }
    const start = Math.min(...finals.map((segment) => segment.startMs));
    const end = Math.max(...finals.map((segment) => segment.endMs));
    if (start > span.startMs + toleranceMs) problems.push(`${where}: its finals start only at ${start} ms`);
    if (end < span.endMs - toleranceMs) problems.push(`${where}: its finals end already at ${end} ms`);
  });
  return problems;
}

/** Offsets of a replayed session are exact up to this rounding, in milliseconds (adapters may round to 0.1 ms). */
export const EXACT_OFFSET_TOLERANCE_MS = 1;

/**
 * Differences between a run's finals and the finals a replayed session must produce, one for one:
 * the same count, the same text, the same offsets (and words, when both carry them).
 */
export function sessionMismatches(segments: readonly TranscriptSegment[], expected: readonly TranscriptSegment[]): string[] {
  const problems: string[] = [];
  const withText = segments.filter((segment) => segment.text.trim().length > 0);
  if (withText.length !== expected.length) {
    problems.push(`expected ${expected.length} final(s) from the session, got ${withText.length}: ${JSON.stringify(withText.map((s) => s.text))}`);
  }
  const close = (a: number, b: number): boolean => Math.abs(a - b) <= EXACT_OFFSET_TOLERANCE_MS;
  expected.forEach((want, index) => {
    const got = withText[index];
    if (!got) return;
    const where = `final #${index}`;
    if (got.text !== want.text) problems.push(`${where}: text ${JSON.stringify(got.text)}, the session says ${JSON.stringify(want.text)}`);
    if (!close(got.startMs, want.startMs) || !close(got.endMs, want.endMs)) {
      problems.push(`${where}: ${got.startMs}-${got.endMs} ms, the session says ${want.startMs}-${want.endMs} ms`);
    }
    if (got.words && want.words) {
      const same =
        got.words.length === want.words.length &&
        got.words.every((word, at) => {
          const other = want.words?.[at];
          return other !== undefined && word.text === other.text && close(word.startMs, other.startMs) && close(word.endMs, other.endMs);
        });
      const describe = (list: readonly { text: string; startMs: number; endMs: number }[]) => list.map((word) => `${word.text}@${word.startMs}-${word.endMs}`).join(" ");
      if (!same) problems.push(`${where}: words ${describe(got.words)}, the session says ${describe(want.words)}`);
    }
  });
  return problems;
}
