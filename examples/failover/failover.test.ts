import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { wordErrorRate } from "@sttkit/core/wer";
import { countOpenHandles, settleHandles, type HandleCounts } from "@sttkit/conformance";
import { loadAzureSession, recordedFinalTexts, type RecordedAzureSession } from "@sttkit/conformance/azure";
import type { ProviderSwitchedEvent, SpeechEvent } from "@sttkit/core";
import { readFileSync } from "node:fs";
import { SAMPLE, SAMPLE_FIXTURE } from "../shared.js";
import { run } from "./main.js";

/** What the recorded service said, phrase by phrase: what a run without faults delivers. */
function recordedPhrases(): string[] {
  return recordedFinalTexts(loadAzureSession(SAMPLE_FIXTURE)._unsafeUnwrap());
}

const finals = (events: readonly SpeechEvent[]) => events.flatMap((event) => (event.type === "final" ? [event.segment] : []));
const switches = (events: readonly SpeechEvent[]) => events.filter((event): event is ProviderSwitchedEvent => event.type === "provider-switched");

/** Segments in time order and not overlapping: replayed audio was not transcribed twice. */
function expectOneTimeLine(events: readonly SpeechEvent[]): void {
  const segments = finals(events);
  for (let index = 1; index < segments.length; index++) {
    expect(segments[index]!.startMs).toBeGreaterThanOrEqual(segments[index - 1]!.endMs - 1);
  }
}

describe("examples/failover: Azure region → Azure region → offline, bound by DI config", () => {
  let handlesBefore: HandleCounts;
  beforeAll(() => {
    handlesBefore = countOpenHandles();
  });
  afterAll(async () => {
    expect(await settleHandles(handlesBefore), "handles left open").toEqual({});
  });

  it("a service error mid-stream switches to the backup region: every final exactly once, in order", async () => {
    const phrases = recordedPhrases();
    expect(phrases).toHaveLength(3);
    const { events, transcript } = await run({ primary: { statusAfterPhrases: { phrases: 1, status: "Error" } } });
    expect(finals(events).map((segment) => segment.text)).toEqual(phrases);
    expect(transcript.segments.map((segment) => segment.text)).toEqual(phrases);
    expect(switches(events)).toHaveLength(1);
    expect(switches(events)[0]).toMatchObject({ from: "azure", to: "azure", reason: { kind: "provider" } });
    expect(switches(events)[0]!.resumeAtMs).toBeCloseTo(finals(events)[0]!.endMs, 0);
    expectOneTimeLine(events);
  }, 60_000);

  it("a dropped connection with the adapter's own reconnect off switches too, losing nothing", async () => {
    const { events } = await run({ primary: { closeAfterPhrases: { phrases: 2, code: 4000 } } });
    expect(finals(events).map((segment) => segment.text)).toEqual(recordedPhrases());
    expect(switches(events)).toHaveLength(1);
    expectOneTimeLine(events);
  }, 60_000);

  it("Azure then Deepgram: a service error on Azure switches vendors, every final exactly once", async () => {
    const { events, transcript } = await run({ primary: { statusAfterPhrases: { phrases: 1, status: "Error" } }, deepgram: {} });
    expect(finals(events).map((segment) => segment.text)).toEqual(recordedPhrases());
    expect(transcript.segments.map((segment) => segment.text)).toEqual(recordedPhrases());
    expect(switches(events)).toHaveLength(1);
    expect(switches(events)[0]).toMatchObject({ from: "azure", to: "deepgram", reason: { kind: "provider" } });
    expectOneTimeLine(events);
  }, 60_000);

  it("with both regions refusing connections, the offline engine transcribes all the audio", async () => {
    const { events, transcript } = await run({ primary: { refuseUpgrade: 503 }, backup: { refuseUpgrade: 503 } });
    expect(switches(events).map((event) => event.to)).toEqual(["azure", "offline"]);
    expect(switches(events).every((event) => event.resumeAtMs === 0)).toBe(true);
    const reference = readFileSync(SAMPLE.replace(/\.wav$/, ".txt"), "utf8");
    expect(wordErrorRate(reference, transcript.text).wer).toBeLessThan(0.5);
    expectOneTimeLine(events);
  }, 60_000);

  it("Azure failing mid-stream with the backup down: the offline engine picks up after the last Azure final", async () => {
    const phrases = recordedPhrases();
    const { events } = await run({ primary: { statusAfterPhrases: { phrases: 1, status: "Error" } }, backup: { refuseUpgrade: 503 } });
    const segments = finals(events);
    expect(segments[0]!.text).toBe(phrases[0]);
    // Not doubled: no later final transcribes the first phrase's speech again, whatever its casing
    // and punctuation (the offline engine writes lower case without a period), and none starts
    // before the first one ended.
    for (const segment of segments.slice(1)) {
      expect(wordErrorRate(phrases[0]!, segment.text).wer, `"${segment.text}" repeats "${phrases[0]}"`).toBeGreaterThan(0.5);
      expect(segment.startMs).toBeGreaterThanOrEqual(segments[0]!.endMs - 1);
    }
    // The offline engine heard the two utterances after it: three finals in all.
    expect(segments).toHaveLength(3);
    expect(switches(events).at(-1)).toMatchObject({ to: "offline" });
    expect(switches(events).at(-1)!.resumeAtMs).toBeCloseTo(segments[0]!.endMs, 0);
    expectOneTimeLine(events);
  }, 60_000);
});
