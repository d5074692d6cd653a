import { readWavFile } from "@sttkit/core";
import { describe, expect, it } from "vitest";
import { loadFixtures } from "../manifest/load.js";
import type { AudioFixture } from "../manifest/manifest-format.js";
import { audioReferenceOf } from "../sessions/load.js";
import { pocketsphinxEngine, recogniseWithPocketsphinx } from "../synthesis/recognise-fixture.js";
import { placeUpload } from "./batch-answer.js";
import { formBoundary, MAX_FORM_PARTS, parseMultipart } from "./multipart.js";
import { expectedOpenAIBatchSegments, expectedOpenAIFinals, loadOpenAISession } from "./session-format.js";
import { synthesizeOpenAIRealtimeMessages, synthesizeOpenAISession, vadItems } from "./synthesize-sessions.js";

const word = (text: string, startMs: number, endMs: number) => ({ word: text, startMs, endMs, confidence: 0.9 });
const FIXTURE: AudioFixture = {
  id: "sample",
  kind: "multi-utterance",
  audio: "audio/sample.wav",
  language: "en-US",
  sampleRate: 16000,
  durationMs: 6000,
  reference: "one two three four",
  utterances: ["one two", "three four"],
  spans: [],
  origin: "test",
};

describe("the shipped OpenAI sessions", () => {
  const { fixtures, directory } = loadFixtures()._unsafeUnwrap();

  it.each(fixtures.map((fixture) => [fixture.id, fixture] as const))("%s: loads, names its audio, and gives finals for speech", (_id, fixture) => {
    const session = loadOpenAISession(fixture.id)._unsafeUnwrap();
    expect(session.audio).toEqual(audioReferenceOf(fixture, directory));
    expect(session.source.kind).toBe("synthesized");
    const finals = expectedOpenAIFinals(session);
    const segments = expectedOpenAIBatchSegments(session, "whisper-1");
    if (fixture.reference.length === 0) {
      expect(finals).toEqual([]);
      expect(segments).toEqual([]);
    } else {
      expect(finals.length).toBeGreaterThan(0);
      expect(segments.length).toBeGreaterThan(0);
      for (const final of finals) expect(final.endMs).toBeLessThanOrEqual(fixture.durationMs);
    }
  });

  it("are what the synthesizer makes of PocketSphinx's recognition today (code and files agree)", () => {
    const fixture = fixtures.find((candidate) => candidate.id === "librivox-multi");
    if (!fixture) throw new Error("librivox-multi");
    const recognition = recogniseWithPocketsphinx(fixture)._unsafeUnwrap();
    const again = synthesizeOpenAISession(fixture, recognition.utterances, { engine: pocketsphinxEngine(), audio: audioReferenceOf(fixture, directory) });
    expect(JSON.parse(JSON.stringify(again))).toEqual(loadOpenAISession(fixture.id)._unsafeUnwrap());
  }, 60_000);
});

describe("synthesizing Realtime events", () => {
  it("joins utterances the VAD would not split (less silence between them than its closing silence)", () => {
    const items = vadItems([[word("one", 0, 300)], [word("two", 600, 900)], [word("three", 2000, 2400)]], 500);
    expect(items.map((words) => words.map((w) => w.word))).toEqual([["one", "two"], ["three"]]);
  });

  it("closes an item at its silence, commits what the audio ends in, and answers trailing silence with an empty transcript", () => {
    const messages = synthesizeOpenAIRealtimeMessages(FIXTURE, [[word("one", 500, 900), word("two", 900, 1300)], [word("three", 5000, 5400), word("four", 5400, 5800)]]);
    const summary = messages.map(({ atAudioMs, afterEndOfAudio, event }) => `${atAudioMs}${afterEndOfAudio ? "+end" : ""} ${event.type.replace(/^.*\./, "")}`);
    expect(summary).toEqual([
      "600 speech_started",
      "1800 speech_stopped",
      "1800 committed",
      "1800 delta",
      "1800 delta",
      "1800 completed",
      "5100 speech_started",
      "6000+end committed",
      "6000+end delta",
      "6000+end delta",
      "6000+end completed",
    ]);
    const session = { ...synthesizeOpenAISession(FIXTURE, [], { engine: "test", audio: { file: "a", sha256: "", durationMs: 6000 } }), turns: [{ messages }] };
    expect(expectedOpenAIFinals(session)).toEqual([
      { text: "One two.", startMs: 500, endMs: 1300 },
      { text: "Three four.", startMs: 5000, endMs: 6000 },
    ]);
    const silent = synthesizeOpenAIRealtimeMessages(FIXTURE, []);
    expect(silent.map(({ afterEndOfAudio, event }) => [afterEndOfAudio, event.type, event["transcript"]])).toEqual([
      [true, "input_audio_buffer.committed", undefined],
      [true, "conversation.item.input_audio_transcription.completed", ""],
    ]);
  });

  it("never sends an event earlier in the audio than the one before it", () => {
    const messages = synthesizeOpenAIRealtimeMessages(FIXTURE, [[word("a", 0, 100)], [word("b", 700, 800)], [word("c", 1400, 1500)]]);
    messages.forEach((message, index) => index > 0 && expect(message.atAudioMs).toBeGreaterThanOrEqual((messages[index - 1] as { atAudioMs: number }).atAudioMs));
  });
});

describe("placing an upload in the fixture's audio", () => {
  it("finds the whole fixture, a part starting anywhere (also across a repetition), silence, and foreign audio", async () => {
    const fixture = loadFixtures()._unsafeUnwrap().fixtures.find((candidate) => candidate.id === "librivox-0880");
    const audio = (await readWavFile(fixture?.audioPath ?? ""))._unsafeUnwrap();
    expect(placeUpload(audio, audio)).toEqual({ kind: "whole" });
    const fromOneSecond = { format: audio.format, pcm: audio.pcm.subarray(32_000) };
    expect(placeUpload(fromOneSecond, audio)).toMatchObject({ kind: "part", offsetMs: 1000 });
    const twice = new Uint8Array(audio.pcm.byteLength * 2);
    twice.set(audio.pcm, 0);
    twice.set(audio.pcm, audio.pcm.byteLength);
    expect(placeUpload({ format: audio.format, pcm: twice.subarray(64_000, 64_000 + audio.pcm.byteLength) }, audio)).toMatchObject({ kind: "part", offsetMs: 2000 });
    expect(placeUpload({ format: audio.format, pcm: new Uint8Array(32_000) }, audio)).toMatchObject({ kind: "silence", durationMs: 1000 });
    const foreign = audio.pcm.slice(0, 64_000).reverse();
    expect(placeUpload({ format: audio.format, pcm: foreign }, audio).kind).toBe("unknown");
    expect(placeUpload({ format: { ...audio.format, sampleRate: 8000 }, pcm: audio.pcm }, audio).kind).toBe("unknown");
  });
});

describe("reading multipart forms, bounded", () => {
  const form = (...parts: string[]) => Buffer.from(`${parts.map((part) => `--b\r\n${part}\r\n`).join("")}--b--\r\n`);

  it("reads fields and files", () => {
    const parts = parseMultipart(form('Content-Disposition: form-data; name="model"\r\n\r\nwhisper-1', 'Content-Disposition: form-data; name="file"; filename="a.wav"\r\nContent-Type: audio/wav\r\n\r\nRIFF'), "b")._unsafeUnwrap();
    expect(parts.map((part) => [part.name, part.filename, part.contentType, part.data.toString()])).toEqual([
      ["model", undefined, "text/plain", "whisper-1"],
      ["file", "a.wav", "audio/wav", "RIFF"],
    ]);
    expect(formBoundary("multipart/form-data; boundary=----formdata-undici-0123")._unsafeUnwrap()).toBe("----formdata-undici-0123");
  });

  it("refuses what is malformed or unbounded", () => {
    expect(formBoundary("application/json").isErr()).toBe(true);
    expect(formBoundary("multipart/form-data").isErr()).toBe(true);
    expect(parseMultipart(Buffer.from("no boundary here"), "b").isErr()).toBe(true);
    expect(parseMultipart(Buffer.from('--b\r\nContent-Disposition: form-data; name="x"\r\n\r\nnever closed'), "b").isErr()).toBe(true);
    expect(parseMultipart(form("Content-Type: text/plain\r\n\r\nno name"), "b").isErr()).toBe(true);
    expect(parseMultipart(form(`X-Long: ${"a".repeat(9000)}\r\n\r\nx`), "b").isErr()).toBe(true);
    const many = Array.from({ length: MAX_FORM_PARTS + 1 }, (_, i) => `Content-Disposition: form-data; name="f${i}"\r\n\r\nv`);
    expect(parseMultipart(form(...many), "b").isErr()).toBe(true);
  });
});
