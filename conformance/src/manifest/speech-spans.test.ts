import { describe, expect, it } from "vitest";
import { DEFAULT_AUDIO_FORMAT } from "@sttkit/core";
import { loadFixtures, readFixturePcm } from "./load.js";
import { measureSpeechSpans } from "./speech-spans.js";

/** 16 kHz PCM: silence, then a 440 Hz tone for each [startMs, endMs], over `totalMs`. */
function tones(totalMs: number, spans: Array<[number, number]>): Uint8Array {
  const samples = new Int16Array((totalMs * 16_000) / 1000);
  for (const [start, end] of spans) {
    for (let i = (start * 16); i < end * 16; i++) samples[i] = Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / 16_000));
  }
  return new Uint8Array(samples.buffer);
}

describe("measureSpeechSpans", () => {
  it("finds each stretch of sound, split at the longest pauses into the number of utterances asked for", () => {
    const pcm = tones(5000, [[200, 1000], [1100, 1500], [2800, 4000]]);
    expect(measureSpeechSpans(pcm, DEFAULT_AUDIO_FORMAT, 2)).toEqual([
      { startMs: 200, endMs: 1500 },
      { startMs: 2800, endMs: 4000 },
    ]);
    expect(measureSpeechSpans(pcm, DEFAULT_AUDIO_FORMAT, 1)).toEqual([{ startMs: 200, endMs: 4000 }]);
  });

  it("finds nothing in silence, and drops clicks too short to be speech", () => {
    expect(measureSpeechSpans(tones(2000, []), DEFAULT_AUDIO_FORMAT, 1)).toEqual([]);
    expect(measureSpeechSpans(tones(2000, [[500, 520], [900, 1400]]), DEFAULT_AUDIO_FORMAT, 1)).toEqual([{ startMs: 900, endMs: 1400 }]);
  });

  it("reproduces the spans committed in the fixture manifest", () => {
    for (const fixture of loadFixtures()._unsafeUnwrap().fixtures) {
      const wav = readFixturePcm(fixture)._unsafeUnwrap();
      expect(measureSpeechSpans(wav.pcm, wav.format, fixture.utterances.length), fixture.id).toEqual(fixture.spans);
    }
  });
});
