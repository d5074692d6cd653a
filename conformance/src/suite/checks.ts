import type { SttCapabilities, TranscriptSegment } from "@sttkit/core";
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
