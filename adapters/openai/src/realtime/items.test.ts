import { describe, expect, it } from "vitest";
import { Language } from "@sttkit/core";
import { TranscriptionItems } from "./items.js";

const VAD = { prefixPaddingMs: 300, silenceDurationMs: 500 };
const finals = (events: ReturnType<TranscriptionItems["completed"]>) => events.flatMap((event) => (event.type === "final" ? [event.segment] : []));

describe("TranscriptionItems", () => {
  it("times each item by its VAD events, corrected for the padding and the closing silence", () => {
    const items = new TranscriptionItems(VAD, Language.EN_US, true);
    expect(items.speechStarted("a", 700)).toEqual([{ type: "speech-started", offsetMs: 1000 }]);
    expect(items.speechStopped("a", 3500)).toEqual([{ type: "speech-ended", offsetMs: 3000 }]);
    expect(items.committed("a", 3600)).toEqual([]);
    expect(items.delta("a", "Hello", 3700)).toEqual([{ type: "interim", text: "Hello", startMs: 1000, endMs: 3000, language: Language.EN_US }]);
    expect(items.completed("a", " Hello there. ", 3800)).toEqual([{ type: "final", segment: { text: "Hello there.", startMs: 1000, endMs: 3000, language: Language.EN_US } }]);
    expect(items.settled).toBe(true);
  });

  it("delivers finals in commit order when transcripts complete out of order", () => {
    const items = new TranscriptionItems(VAD, undefined, true);
    items.speechStarted("a", 0);
    items.speechStopped("a", 2000);
    items.committed("a", 2000);
    items.speechStarted("b", 2500);
    items.speechStopped("b", 4000);
    items.committed("b", 4000);
    expect(items.completed("b", "second", 4100)).toEqual([]);
    expect(items.settled).toBe(false);
    expect(finals(items.completed("a", "first", 4200)).map((segment) => segment.text)).toEqual(["first", "second"]);
    expect(items.settled).toBe(true);
  });

  it("answers the client's commit: the open speech's start, the audio sent as its end", () => {
    const items = new TranscriptionItems(VAD, undefined, true);
    items.speechStarted("a", 1000);
    expect(items.speaking).toBe(true);
    expect(items.uncommittedMs(4000)).toBe(4000);
    items.commitSent(4000);
    expect(items.settled).toBe(false);
    items.committed("a", 4000);
    expect(items.commitPending).toBe(false);
    expect(finals(items.completed("a", "tail", 4000))).toEqual([{ text: "tail", startMs: 1300, endMs: 4000 }]);
  });

  it("drops the open item a commit replaces with a new one (it will never be transcribed)", () => {
    const items = new TranscriptionItems(VAD, undefined, false);
    items.speechStarted("vad-item", 1000);
    items.commitSent(3000);
    items.committed("commit-item", 3000);
    expect(finals(items.completed("commit-item", "words", 3000))).toEqual([{ text: "words", startMs: 1300, endMs: 3000 }]);
    expect(items.settled).toBe(true);
  });

  it("a commit with too little audio settles, and a silent commit gives no final", () => {
    const items = new TranscriptionItems(VAD, undefined, true);
    items.speechStarted("a", 0);
    items.speechStopped("a", 2000);
    items.committed("a", 2000);
    items.completed("a", "done", 2000);
    expect(items.uncommittedMs(2050)).toBe(50);
    items.commitSent(2050);
    expect(items.settled).toBe(false);
    items.commitEmpty();
    expect(items.settled).toBe(true);
    items.commitSent(3000);
    expect(items.committed("silence", 3000)).toEqual([]);
    expect(items.completed("silence", "", 3000)).toEqual([]);
    expect(items.settled).toBe(true);
  });

  it("sends no interim when interim results are off, and none for empty text", () => {
    const items = new TranscriptionItems(VAD, undefined, false);
    items.speechStarted("a", 0);
    expect(items.delta("a", "word", 100)).toEqual([]);
    const on = new TranscriptionItems(VAD, undefined, true);
    on.speechStarted("a", 0);
    expect(on.delta("a", " ", 100)).toEqual([]);
  });

  it("places a transcript for an item it never saw committed, instead of waiting for ever", () => {
    const items = new TranscriptionItems(VAD, undefined, true);
    expect(finals(items.completed("x", "surprise", 1500))).toEqual([{ text: "surprise", startMs: 0, endMs: 1500 }]);
    expect(items.settled).toBe(true);
  });
});
