import { encodeWav, type SpeechEvent } from "@sttkit/core";
import { wordErrorRate } from "@sttkit/core/wer";
import { expect } from "vitest";
import type { ResolvedFixture } from "../../manifest/load.js";
import { driveStream, finalsOf, finalTextOf } from "../drive-stream.js";
import { SPAN_TOLERANCE_MS } from "../checks.js";
import { wordsOf } from "../text-match.js";
import type { SuiteContext } from "../context.js";
import { scenario } from "../scenario.js";

/** How a stream ends: end() waits for the last final, close() aborts cleanly, late writes and bad input are typed errors, the onEvent option sees what iteration sees. */
export function registerLifecycleScenarios(context: SuiteContext): void {
  const { target, speed, timeout, audioOf, boundFor, withInstance, runFixture, expectCleanRun } = context;
  const lastWordsFixture = context.picks.speech;

  scenario({ id: "end-waits-for-last-final", theme: "lifecycle", label: "end() waits for the last final" }, "end() resolves only after the last final transcript", { skip: !lastWordsFixture, timeout }, async () => {
    const fixture = lastWordsFixture as ResolvedFixture;
    const run = await runFixture(fixture);
    expectCleanRun(run, fixture);
    const lastUtterance = fixture.utterances.at(-1) ?? fixture.reference;
    const lastWords = wordsOf(finalTextOf(run)).slice(-wordsOf(lastUtterance).length);
    expect(wordErrorRate(lastUtterance, lastWords.join(" ")).wer, "the last utterance is missing from the transcript").toBeLessThanOrEqual(boundFor(fixture.kind));
    // The last utterance's speech must have a final that reaches its end (a final cut short, or
    // none, means end() resolved before the engine was done).
    const lastSpan = fixture.spans.at(-1);
    if (lastSpan) expect(Math.max(...finalsOf(run).map((segment) => segment.endMs)), "no final reaches the end of the last utterance").toBeGreaterThanOrEqual(lastSpan.endMs - SPAN_TOLERANCE_MS);
    const transcript = run.result?.isOk() ? run.result.value : undefined;
    expect(transcript?.segments.length).toBe(finalsOf(run).length);
  });

  scenario({ id: "close-mid-stream", theme: "lifecycle", label: "close() mid-stream" }, "close() mid-stream ends cleanly: aborted result, iteration ends, later writes refused", { skip: !lastWordsFixture, timeout }, async () => {
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
  });

  scenario({ id: "write-after-end", theme: "lifecycle", label: "write after end()" }, "writing after end() is a typed error and loses nothing already written", { skip: !lastWordsFixture, timeout }, async () => {
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
      const text = transcript.isOk() ? transcript.value.text : "";
      expect(text, "end() must deliver what was written before it").not.toBe("");
      expect(wordErrorRate(fixture.reference, text).wer).toBeLessThanOrEqual(boundFor(fixture.kind));
      const expected = target.expectedFinals?.(fixture);
      if (expected) expect(text).toBe(expected.map((segment) => segment.text).join(" "));
      await stream.close();
    });
  });

  scenario({ id: "invalid-input", theme: "lifecycle", label: "invalid audio and arguments" }, "invalid audio and bad arguments are typed errors, never throws", { timeout }, async () => {
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
      const nineChannels = stt.stream({ format: { sampleRate: 16_000, channels: 9, bitsPerSample: 16 } });
      expect(nineChannels.isErr() && nineChannels.error.kind).toMatch(/invalid-audio|unsupported-option/);
      const missing = await stt.transcribe({ path: "/nonexistent/audio.wav" });
      expect(missing.isErr() && missing.error.kind).toBe("invalid-audio");
      const stream = stt.stream()._unsafeUnwrap();
      expect(stream.write("not bytes" as never)._unsafeUnwrapErr().kind).toBe("invalid-argument");
      await stream.close();
    });
  });

  scenario({ id: "on-event", theme: "lifecycle", label: "onEvent sees what iteration sees" }, "the onEvent option is honoured: it sees the same finals as iteration, and the usage", { skip: !lastWordsFixture, timeout }, async () => {
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
  });
}
