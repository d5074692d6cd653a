import { setTimeout as sleep } from "node:timers/promises";
import type { Result } from "neverthrow";
import { afterEach, beforeEach, expect } from "vitest";
import { bytesForMs, type AudioFormat, type ErrorEvent, type SpeechEvent, type SpeechToText, type SttError, type Transcript } from "@sttkit/core";
import { TICKS_PER_MS } from "@sttkit/core/kit";
import { countOpenHandles, settleHandles, type HandleCounts } from "../../../conformance/src/suite/open-handles.js";
import type { RecordedAzureMessage, RecordedAzureSession } from "../../../conformance/src/azure/session-format.js";

// A synthetic session the Azure adapter's stream tests share: utterances one second apart, and
// noise as audio (unique everywhere, so the test double can tell where a new recognizer resumes).

/**
 * `count` utterances, one per second of audio; each final is sent 100 ms after its speech ends.
 * `lastPhraseAtEnd` holds the last final until the end of the audio, as the service does for
 * speech still going on when the audio stops.
 */
export function sessionOf(count: number, options: { readonly lastPhraseAtEnd?: boolean } = {}): RecordedAzureSession {
  const messages: RecordedAzureMessage[] = [{ path: "turn.start", atAudioMs: 0, body: { context: { serviceTag: "faults-test" } } }];
  for (let index = 0; index < count; index += 1) {
    const startMs = index * 1_000 + 100;
    const endMs = startMs + 700;
    const text = `Sentence ${index + 1} is here.`;
    const atEnd = options.lastPhraseAtEnd === true && index === count - 1 ? { afterEndOfAudio: true } : {};
    messages.push(
      { path: "speech.startDetected", atAudioMs: startMs + 50, body: { Offset: startMs * TICKS_PER_MS } },
      { path: "speech.hypothesis", atAudioMs: startMs + 400, body: { Text: `sentence ${index + 1}`, Offset: startMs * TICKS_PER_MS, Duration: 300 * TICKS_PER_MS } },
      {
        path: "speech.phrase",
        atAudioMs: endMs + 100,
        ...atEnd,
        body: { RecognitionStatus: "Success", DisplayText: text, Offset: startMs * TICKS_PER_MS, Duration: (endMs - startMs) * TICKS_PER_MS },
      },
      { path: "speech.endDetected", atAudioMs: endMs + 100, ...atEnd, body: { Offset: endMs * TICKS_PER_MS } },
    );
  }
  messages.push({ path: "turn.end", atAudioMs: count * 1_000, afterEndOfAudio: true });
  return {
    format: "sttkit.recorded-session.v2",
    audio: { file: "generated", sha256: "", durationMs: 0 },
    provider: "azure",
    fixture: "adapter-faults-test",
    source: { kind: "synthesized", description: "built by the Azure adapter's fault tests" },
    request: { language: "en-US", format: "simple" },
    turns: [{ messages }],
  };
}

export function expectedSegments(count: number) {
  return Array.from({ length: count }, (_, index) => ({
    text: `Sentence ${index + 1} is here.`,
    startMs: index * 1_000 + 100,
    endMs: index * 1_000 + 800,
  }));
}

/**
 * Noise from a fixed seed: every stretch of it is unique, as real audio is, which the replay
 * server needs to recognise a new recognizer resuming a stream from where the last final ended.
 */
export function noise(byteLength: number, seed: number): Uint8Array {
  const pcm = new Uint8Array(byteLength);
  let state = seed >>> 0 || 1;
  for (let index = 0; index < byteLength; index += 1) {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    pcm[index] = state >>> 24;
  }
  return pcm;
}

const BYTES_PER_MS = 32; // 16 kHz, 16-bit mono

/** What a stream run gave: the result of `end()` and every event, in order. */
export interface Run {
  readonly result: Result<Transcript, SttError>;
  readonly events: SpeechEvent[];
}

/** How {@link runStream} behaves beyond streaming the audio. */
export interface RunOptions {
  /** Makes the application slow to take each event, in ms. */
  readonly readDelayMs?: number;
  /** Called before each 100 ms chunk with the audio sent so far, in ms; the run waits for it. */
  readonly beforeChunk?: (sentMs: number) => Promise<void> | void;
  /** The audio to stream instead of noise (a fixture's), in its format; `audioMs` is then ignored. */
  readonly audio?: { readonly pcm: Uint8Array; readonly format: AudioFormat };
}

/** Streams `audioMs` of noise (or `options.audio`) in 100 ms chunks, ends, closes, and collects every event. */
export async function runStream(stt: SpeechToText, audioMs: number, options: RunOptions | number = {}): Promise<Run> {
  const { readDelayMs = 0, beforeChunk, audio } = typeof options === "number" ? { readDelayMs: options, audio: undefined, beforeChunk: undefined } : options;
  const stream = stt.stream(audio ? { format: audio.format } : {})._unsafeUnwrap();
  const events: SpeechEvent[] = [];
  const reading = (async () => {
    for await (const event of stream) {
      events.push(event);
      if (readDelayMs > 0) await sleep(readDelayMs);
    }
  })();
  const bytesPerMs = audio ? bytesForMs(1, audio.format) : BYTES_PER_MS;
  const pcm = audio?.pcm ?? noise(audioMs * BYTES_PER_MS, audioMs);
  const totalMs = pcm.byteLength / bytesPerMs;
  for (let sent = 0; sent < totalMs; sent += 100) {
    await beforeChunk?.(sent);
    if (stream.write(pcm.subarray(sent * bytesPerMs, (sent + 100) * bytesPerMs)).isErr()) break;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  const result = await stream.end();
  await stream.close();
  await reading;
  return { result, events };
}

/** The finals among `events`: text and times. */
export function segmentsOf(events: readonly SpeechEvent[]) {
  return events.flatMap((event) => (event.type === "final" ? [{ text: event.segment.text, startMs: event.segment.startMs, endMs: event.segment.endMs }] : []));
}

/** The error events among `events`. */
export function errorsOf(events: readonly SpeechEvent[]): ErrorEvent[] {
  return events.filter((event): event is ErrorEvent => event.type === "error");
}

/**
 * After each test, runs `cleanups` (servers, proxies) and checks that nothing the test opened is
 * still open: no socket, timer or server of the adapter's may outlive its stream.
 */
export function checkHandlesAfterEach(cleanups: Array<() => Promise<void>>): void {
  let handlesBefore: HandleCounts = {};
  beforeEach(() => {
    handlesBefore = countOpenHandles();
  });
  afterEach(async () => {
    await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
    expect(await settleHandles(handlesBefore), "handles left open").toEqual({});
  });
}
