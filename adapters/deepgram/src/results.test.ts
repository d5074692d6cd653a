import { Language } from "@sttkit/core";
import { describe, expect, it } from "vitest";
import { readMessage, resultWords, type DeepgramResults } from "./messages.js";
import { interimFromResults, segmentFromResults } from "./results.js";

const wire = {
  type: "Results",
  start: 1.5,
  duration: 2.0,
  is_final: true,
  speech_final: true,
  from_finalize: false,
  channel: {
    alternatives: [
      {
        transcript: "Hola, how are you?",
        confidence: 0.93,
        languages: ["es", "en"],
        words: [
          { word: "hola", punctuated_word: "Hola,", start: 1.6, end: 1.9, confidence: 0.9, speaker: 1, language: "es" },
          { word: "how", punctuated_word: "how", start: 2.0, end: 2.2, confidence: 0.95, speaker: 0, language: "en" },
          { word: "are", punctuated_word: "are", start: 2.2, end: 2.4, confidence: 0.97, speaker: 0, language: "en" },
          { word: "you", punctuated_word: "you?", start: 2.4, end: 2.7, confidence: 0.99, speaker: 0, language: "en" },
        ],
      },
    ],
  },
};

describe("Deepgram Results on the stream's time line", () => {
  const results = readMessage(wire) as DeepgramResults;

  it("reads is_final, speech_final, from_finalize and the words", () => {
    expect(results).toMatchObject({ type: "Results", isFinal: true, speechFinal: true, fromFinalize: false, transcript: "Hola, how are you?" });
    expect(resultWords(results)).toHaveLength(4);
    expect(results.wordSpan).toEqual({ start: 1.6, end: 2.7 });
  });

  it("a final becomes a segment: punctuated words with start, end, confidence and speaker, moved by the connection's base", () => {
    const segment = segmentFromResults(results, { baseMs: 10_000, languages: [Language.EN_US, Language.ES_ES], wordTimings: true });
    expect(segment).toMatchObject({ text: "Hola, how are you?", startMs: 11_600, endMs: 12_700, confidence: 0.93, lexical: "hola how are you", speaker: 0 });
    // With language=multi, the detected language is reported as the one asked for.
    expect(segment.language).toBe(Language.ES_ES);
    expect(segment.words?.[0]).toEqual({ text: "Hola,", startMs: 11_600, endMs: 11_900, confidence: 0.9, speaker: 1 });
  });

  it("words are left out unless asked for; one language is reported as asked", () => {
    const segment = segmentFromResults(results, { baseMs: 0, languages: [Language.EN_GB], wordTimings: false });
    expect(segment.words).toBeUndefined();
    expect(segment.language).toBe(Language.EN_GB);
  });

  it("an interim covers its words", () => {
    expect(interimFromResults({ ...results, isFinal: false }, { baseMs: 0, languages: [Language.EN_US], wordTimings: false })).toEqual({
      type: "interim",
      text: "Hola, how are you?",
      startMs: 1_600,
      endMs: 2_700,
      language: Language.EN_US,
    });
  });

  it("other messages are read, and what cannot be read is flagged, never thrown", () => {
    expect(readMessage({ type: "SpeechStarted", channel: [0, 1], timestamp: 0.5 })).toEqual({ type: "SpeechStarted", timestamp: 0.5 });
    expect(readMessage({ type: "UtteranceEnd", channel: [0, 1], last_word_end: 2.7 })).toEqual({ type: "UtteranceEnd", lastWordEnd: 2.7 });
    expect(readMessage({ type: "Metadata", duration: 3, request_id: "r" })).toEqual({ type: "Metadata", duration: 3, requestId: "r" });
    expect(readMessage("{not json").type).toBe("Unreadable");
    expect(readMessage({ type: "Results", start: "x" }).type).toBe("Unreadable");
    expect(readMessage({ type: "Error", description: "bad", variant: "X" })).toEqual({ type: "Error", description: "bad", code: "X" });
    expect(readMessage({ type: "Something" })).toEqual({ type: "Other", name: "Something" });
  });
});
