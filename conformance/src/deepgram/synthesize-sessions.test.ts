import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadFixtures, type ResolvedFixture } from "../manifest/load.js";
import type { AudioFixture } from "../manifest/manifest-format.js";
import { audioReferenceOf } from "../sessions/load.js";
import { pocketsphinxEngine, recogniseWithPocketsphinx } from "../synthesis/recognise-fixture.js";
import { deepgramFinalTexts, expectedDeepgramFinals, loadDeepgramSession } from "./session-format.js";
import { synthesizeDeepgramSession } from "./synthesize-sessions.js";

const fixtures = loadFixtures()._unsafeUnwrap().fixtures;
const word = (text: string, startMs: number, endMs: number) => ({ word: text, startMs, endMs, confidence: 0.9 });

/** A made-up six seconds of the multi-utterance fixture (16 kHz, en-US). */
const FIXTURE: AudioFixture = { ...(fixtures.find((fixture) => fixture.id === "librivox-multi") as ResolvedFixture), id: "sample", durationMs: 6_000 };
const AUDIO = { file: "audio/sample.wav", sha256: "0".repeat(64), durationMs: 6_000 };

describe("synthesizeDeepgramSession", () => {
  const session = synthesizeDeepgramSession(FIXTURE, [[word("he", 200, 400), word("was", 400, 700)], [word("i", 5_600, 5_900)]], { engine: "test", audio: AUDIO });
  const messages = session.turns[0]?.messages ?? [];

  it("writes the shared envelope with the audio reference and the pre-recorded answer as batch", () => {
    expect(session).toMatchObject({ format: "sttkit.recorded-session.v2", provider: "deepgram", fixture: "sample", audio: AUDIO, batch: { status: 200 } });
    expect(session.source.kind).toBe("synthesized");
    expect(session.request.query).toMatchObject({ model: "nova-3", language: "en-US", sample_rate: "16000", interim_results: "true" });
  });

  it("writes each utterance as SpeechStarted, growing interims, a speech_final final and UtteranceEnd, then the Finalize answer and Metadata", () => {
    expect(messages.map((m) => `${m.type}${m["is_final"] ? (m["from_finalize"] ? ":finalize" : ":final") : ""}`)).toEqual([
      "SpeechStarted", "Results", "Results", "Results:final", "UtteranceEnd",
      "SpeechStarted", "Results", "Results:finalize", "Metadata",
    ]);
    const finals = messages.filter((m) => m["is_final"] === true);
    expect(finals.map((m) => [m["start"], m["duration"], m["speech_final"]])).toEqual([[0, 1, true], [1, 5, false]]);
    // The last utterance runs to within the endpointing delay of the end: only Finalize closes it.
    expect(finals[1]?.afterEndOfAudio).toBe(true);
  });

  it("gives the finals an adapter must deliver: the punctuated text on the span of its words", () => {
    expect(deepgramFinalTexts(session)).toEqual(["He was.", "I."]);
    expect(expectedDeepgramFinals(session)).toEqual([
      { text: "He was.", startMs: 200, endMs: 700, words: [{ text: "He", startMs: 200, endMs: 400 }, { text: "was.", startMs: 400, endMs: 700 }] },
      { text: "I.", startMs: 5_600, endMs: 5_900, words: [{ text: "I.", startMs: 5_600, endMs: 5_900 }] },
    ]);
  });
});

describe("the committed Deepgram sessions", () => {
  it("every fixture has a replayable session for its own audio, finals matching the batch utterances", () => {
    for (const fixture of fixtures) {
      const session = loadDeepgramSession(fixture.id)._unsafeUnwrap();
      expect(session.source.kind, fixture.id).toBe("synthesized");
      expect(session.audio, fixture.id).toEqual(audioReferenceOf(fixture));
      const utterances = ((session.batch?.body as { results: { utterances: Array<{ transcript: string }> } }).results.utterances ?? []).map((u) => u.transcript);
      expect(deepgramFinalTexts(session), fixture.id).toEqual(utterances);
    }
  });

  it("match what PocketSphinx recognises in the audio now (when it is installed)", (context) => {
    // Regenerating must reproduce the committed file: it is what the synthesizer writes, not an edited copy.
    if (!existsSync("/usr/bin/pocketsphinx_continuous")) context.skip();
    const fixture = fixtures.find((candidate) => candidate.id === "librivox-0880") as ResolvedFixture;
    const recognition = recogniseWithPocketsphinx(fixture)._unsafeUnwrap();
    const committed = loadDeepgramSession(fixture.id)._unsafeUnwrap();
    if (committed.source.kind === "service") context.skip();
    expect(synthesizeDeepgramSession(fixture, recognition.utterances, { engine: pocketsphinxEngine(), audio: audioReferenceOf(fixture) })).toEqual(committed);
  });
});
