import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Language, type SpeechEvent, type TranscriptSegment } from "@sttkit/core";
import { batchAnswer, expectedOpenAIBatchSegments, OPENAI_MAX_UPLOAD_BYTES, type VerboseTranscription } from "@sttkit/conformance/openai";
import { startLocalOpenAI, TEST_KEY, type LocalOpenAI } from "./local-server.test-support.js";

/** Root mean square of 16 kHz mono PCM over `halfMs` either side of `atMs`. */
function rmsAround(pcm: Uint8Array, atMs: number, halfMs = 10): number {
  const view = new DataView(pcm.buffer, pcm.byteOffset, pcm.byteLength);
  const from = Math.max(0, Math.round((atMs - halfMs) * 16)) * 2;
  const to = Math.min(pcm.byteLength, Math.round((atMs + halfMs) * 16) * 2);
  let sum = 0;
  for (let at = from; at < to; at += 2) sum += view.getInt16(at, true) ** 2;
  return Math.sqrt(sum / Math.max(1, (to - from) / 2));
}

/** Segments equal one for one: text exactly, times within 1 ms. */
function expectSameSegments(got: readonly TranscriptSegment[], want: readonly TranscriptSegment[]): void {
  expect(got.map((segment) => segment.text)).toEqual(want.map((segment) => segment.text));
  got.forEach((segment, index) => {
    const other = want[index] as TranscriptSegment;
    expect(Math.abs(segment.startMs - other.startMs), `start of #${index} "${segment.text}"`).toBeLessThanOrEqual(1);
    expect(Math.abs(segment.endMs - other.endMs), `end of #${index} "${segment.text}"`).toBeLessThanOrEqual(1);
  });
}

describe("transcribe() through the batch endpoint, real SDK against the local server", () => {
  let local: LocalOpenAI;

  beforeAll(async () => {
    local = await startLocalOpenAI("librivox-multi");
  });
  afterAll(async () => {
    await local?.server.close();
  });

  it("whisper-1: segment and word timestamps from verbose_json, the language and phrases in the request", async () => {
    local.server.setFaults(undefined);
    const stt = local.adapter({ batch: { model: "whisper-1" }, language: Language.EN_GB, prompt: "A novel.", phrases: ["Dashwood"] });
    const transcript = (await stt.transcribe({ path: local.fixture.audioPath }, { wordTimings: true, phrases: ["Norland"] }))._unsafeUnwrap();
    expectSameSegments(transcript.segments, expectedOpenAIBatchSegments(local.session, "whisper-1", { words: true }));
    expect(transcript.segments.every((segment) => segment.language === Language.EN_GB && (segment.words?.length ?? 0) > 0)).toBe(true);
    expect(transcript.language).toBe(Language.EN_GB);
    const upload = local.server.uploads.at(-1);
    expect(upload?.fields).toEqual([
      ["model", "whisper-1"],
      ["language", "en"],
      ["prompt", "A novel. Dashwood, Norland"],
      ["response_format", "verbose_json"],
      ["timestamp_granularities[]", "word"],
      ["timestamp_granularities[]", "segment"],
    ]);
    expect(upload?.file).toMatchObject({ name: "audio.wav", contentType: "audio/wav" });
    expect(local.server.violations).toEqual([]);
  });

  it("gpt-4o-transcribe with onEvent: the streamed text deltas are interim events, then the final and the usage", async () => {
    local.server.setFaults(undefined);
    const events: SpeechEvent[] = [];
    const transcript = (await local.adapter().transcribe({ path: local.fixture.audioPath }, { onEvent: (event) => events.push(event) }))._unsafeUnwrap();
    const recorded = (batchAnswer(local.session, "gpt-4o-transcribe", "json") as { text: string }).text;
    expect(transcript.text).toBe(recorded);
    expect(transcript.segments).toEqual([{ text: recorded, startMs: 0, endMs: 13_980 }]);
    const interims = events.filter((event) => event.type === "interim").map((event) => (event.type === "interim" ? event.text : ""));
    expect(interims.length).toBeGreaterThan(5);
    interims.forEach((text, index) => index > 0 && expect(text.startsWith(interims[index - 1] as string)).toBe(true));
    expect(interims.at(-1)).toBe(recorded);
    expect(events.slice(-2).map((event) => event.type)).toEqual(["final", "usage"]);
    expect(local.server.uploads.at(-1)?.fields).toContainEqual(["stream", "true"]);
  });

  it("never asks whisper-1 to stream (the SDK would lose the text), and streams nothing without a listener", async () => {
    local.server.setFaults(undefined);
    const events: SpeechEvent[] = [];
    await local.adapter({ batch: { model: "whisper-1" } }).transcribe({ path: local.fixture.audioPath }, { onEvent: (event) => events.push(event) });
    expect(local.server.uploads.at(-1)?.fields.some(([name]) => name === "stream")).toBe(false);
    expect(events.some((event) => event.type === "interim")).toBe(false);
    await local.adapter().transcribe({ path: local.fixture.audioPath });
    expect(local.server.uploads.at(-1)?.fields.some(([name]) => name === "stream")).toBe(false);
    expect(local.server.violations).toEqual([]);
  });

  it("refuses what the batch endpoint cannot do before uploading anything", async () => {
    local.server.setFaults(undefined);
    const before = local.server.uploads.length;
    const stt = local.adapter();
    expect((await stt.transcribe({ path: local.fixture.audioPath }, { wordTimings: true }))._unsafeUnwrapErr()).toMatchObject({ kind: "unsupported-option", option: "wordTimings" });
    expect((await stt.transcribe({ path: local.fixture.audioPath }, { language: [Language.EN_US, Language.FR_FR] }))._unsafeUnwrapErr()).toMatchObject({ kind: "unsupported-option", option: "language" });
    expect((await stt.transcribe({ path: local.fixture.audioPath }, { language: "zu-ZA" as Language }))._unsafeUnwrapErr()).toMatchObject({ kind: "unsupported-language" });
    expect((await stt.transcribe(new Uint8Array([1, 2, 3])))._unsafeUnwrapErr().kind).toBe("invalid-audio");
    expect(local.server.uploads.length).toBe(before);
  });

  it.each([
    [401, "authentication"],
    [403, "forbidden"],
    [404, "bad-request"],
    [413, "bad-request"],
  ] as const)("HTTP %i is a typed %s error, not retried", async (status, kind) => {
    local.server.setFaults({ batch: { status } });
    const since = local.server.uploads.length;
    const error = (await local.adapter({ batch: { maxRetries: 2 } }).transcribe({ path: local.fixture.audioPath }))._unsafeUnwrapErr();
    expect(error).toMatchObject({ kind, provider: "openai", retryable: false });
    expect(local.server.uploads.length - since).toBe(1);
  });

  it("honours Retry-After on 429: waits as asked, then succeeds", async () => {
    local.server.setFaults({ batch: { status: 429, retryAfter: "1", requests: 1 } });
    const since = local.server.uploads.length;
    const started = performance.now();
    const transcript = await local.adapter({ batch: { maxRetries: 2 } }).transcribe({ path: local.fixture.audioPath });
    expect(transcript.isOk()).toBe(true);
    expect(local.server.uploads.slice(since).map((upload) => upload.status)).toEqual([429, 200]);
    // A lower bound only: the retry came no earlier than the service asked.
    expect(performance.now() - started).toBeGreaterThanOrEqual(990);
  });

  it("does not wait longer than maxRetryAfterMs: the rate-limit error says how long the service asked", async () => {
    local.server.setFaults({ batch: { status: 429, retryAfter: "120" } });
    const since = local.server.uploads.length;
    const error = (await local.adapter({ batch: { maxRetries: 2 } }).transcribe({ path: local.fixture.audioPath }))._unsafeUnwrapErr();
    expect(error).toMatchObject({ kind: "rate-limit", retryable: true, retryAfterMs: 120_000 });
    expect(local.server.uploads.length - since).toBe(1);
  });

  it("retries 429 (retry-after-ms), 5xx and dropped connections up to maxRetries, then gives the typed error", async () => {
    let since = local.server.uploads.length;
    local.server.setFaults({ batch: { status: 429, retryAfterMs: "10" } });
    expect((await local.adapter({ batch: { maxRetries: 2 } }).transcribe({ path: local.fixture.audioPath }))._unsafeUnwrapErr()).toMatchObject({ kind: "rate-limit", retryAfterMs: 10 });
    expect(local.server.uploads.length - since).toBe(3);
    since = local.server.uploads.length;
    local.server.setFaults({ batch: { status: 500, retryAfterMs: "0" } });
    expect((await local.adapter({ batch: { maxRetries: 1 } }).transcribe({ path: local.fixture.audioPath }))._unsafeUnwrapErr()).toMatchObject({ kind: "connection", retryable: true });
    expect(local.server.uploads.length - since).toBe(2);
    local.server.setFaults({ batch: { drop: true, requests: 1 } });
    expect((await local.adapter({ batch: { maxRetries: 1 } }).transcribe({ path: local.fixture.audioPath })).isOk()).toBe(true);
    local.server.setFaults({ batch: { drop: true } });
    expect((await local.adapter({ batch: { maxRetries: 0 } }).transcribe({ path: local.fixture.audioPath }))._unsafeUnwrapErr().kind).toBe("connection");
  });

  it("a stream cut mid-way is retried; without retries it is a connection error", async () => {
    local.server.setFaults({ batch: { cutStreamAfterDeltas: 3, requests: 1 } });
    const since = local.server.uploads.length;
    const events: SpeechEvent[] = [];
    const transcript = await local.adapter({ batch: { maxRetries: 1 } }).transcribe({ path: local.fixture.audioPath }, { onEvent: (event) => events.push(event) });
    expect(transcript._unsafeUnwrap().text).toBe((batchAnswer(local.session, "gpt-4o-transcribe", "json") as { text: string }).text);
    expect(local.server.uploads.length - since).toBe(2);
    local.server.setFaults({ batch: { cutStreamAfterDeltas: 3 } });
    const cut = await local.adapter().transcribe({ path: local.fixture.audioPath }, { onEvent: () => undefined });
    expect(cut._unsafeUnwrapErr().kind).toBe("connection");
  });

  it("a slow service is a timeout after batch.timeoutMs", async () => {
    local.server.setFaults({ batch: { delayMs: 4000 } });
    const error = (await local.adapter({ batch: { timeoutMs: 1000 } }).transcribe({ path: local.fixture.audioPath }))._unsafeUnwrapErr();
    expect(error).toMatchObject({ kind: "timeout", timeoutMs: 1000 });
  });

  it("an abort signal stops the upload and any wait", async () => {
    local.server.setFaults({ batch: { delayMs: 4000 } });
    const controller = new AbortController();
    const pending = local.adapter().transcribe({ path: local.fixture.audioPath }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 200);
    expect((await pending)._unsafeUnwrapErr().kind).toBe("aborted");
    expect((await local.adapter().transcribe({ path: local.fixture.audioPath }, { signal: AbortSignal.abort() }))._unsafeUnwrapErr().kind).toBe("aborted");
  });

  it("never lets the key out: a service echoing it in its error is redacted from message, detail and cause", async () => {
    for (const status of [401, 429, 500]) {
      local.server.setFaults({ batch: { status, echoKey: true } });
      const error = (await local.adapter().transcribe({ path: local.fixture.audioPath }))._unsafeUnwrapErr();
      const everything = `${error.message} ${error.detail ?? ""} ${String(error.cause)} ${JSON.stringify(error)} ${(error.cause as Error | undefined)?.stack ?? ""}`;
      expect(everything).not.toContain(TEST_KEY);
      expect(error.detail).toContain("***");
    }
  });
});

describe("transcribe() of audio over the upload limit: split at pauses, stitched with the right offsets", () => {
  let local: LocalOpenAI;

  beforeAll(async () => {
    local = await startLocalOpenAI("espeak-long-60s");
  });
  afterAll(async () => {
    await local?.server.close();
  });

  /** The recorded whisper-1 segments of the 60 s fixture, repeated `times` times one after the other. */
  function repeatedSegments(times: number): TranscriptSegment[] {
    const once = expectedOpenAIBatchSegments(local.session, "whisper-1");
    return Array.from({ length: times }, (_, k) => once.map((segment) => ({ ...segment, startMs: segment.startMs + k * 60_000, endMs: segment.endMs + k * 60_000 }))).flat();
  }

  /** Where the recorded words lie in the repeated audio, in ms. */
  function repeatedWords(times: number): Array<{ startMs: number; endMs: number }> {
    const words = (batchAnswer(local.session, "whisper-1", "verbose_json") as VerboseTranscription).words ?? [];
    return Array.from({ length: times }, (_, k) => words.map((word) => ({ startMs: word.start * 1000 + k * 60_000, endMs: word.end * 1000 + k * 60_000 }))).flat();
  }

  it("the 60 s fixture repeated past 25 MB: two uploads under the limit, every segment once, on the recording's time line", async () => {
    const times = 14;
    const pcm = new Uint8Array(local.audio.pcm.byteLength * times);
    for (let k = 0; k < times; k++) pcm.set(local.audio.pcm, k * local.audio.pcm.byteLength);
    expect(pcm.byteLength).toBeGreaterThan(OPENAI_MAX_UPLOAD_BYTES);
    local.server.setFaults(undefined);
    const since = local.server.uploads.length;
    const transcript = (await local.adapter({ batch: { model: "whisper-1" } }).transcribe({ pcm, format: local.audio.format }))._unsafeUnwrap();
    const uploads = local.server.uploads.slice(since);
    expect(uploads.map((upload) => upload.status)).toEqual([200, 200]);
    for (const upload of uploads) expect(upload.file?.bytes).toBeLessThanOrEqual(24_000_000);
    expectSameSegments(transcript.segments, repeatedSegments(times));
    expect(transcript.audioSeconds).toBeCloseTo(times * 60, 3);
    // The seam lies in a pause: no recorded word spans it, and the audio there is quiet.
    const seamMs = uploads[0]?.file?.durationMs ?? 0;
    expect(repeatedWords(times).filter((word) => word.startMs < seamMs && word.endMs > seamMs)).toEqual([]);
    expect(rmsAround(pcm, seamMs) / rmsAround(local.audio.pcm, 30_000, 30_000)).toBeLessThan(0.1);
    expect(local.server.violations).toEqual([]);
  }, 120_000);

  it("many seams with bounded parallelism: nothing lost or doubled, offsets exact", async () => {
    local.server.setFaults(undefined);
    const before = local.server.uploads.length;
    const events: SpeechEvent[] = [];
    const stt = local.adapter({ batch: { model: "whisper-1", maxUploadBytes: 300_000, concurrency: 3 } });
    const transcript = (await stt.transcribe({ path: local.fixture.audioPath }, { onEvent: (event) => events.push(event) }))._unsafeUnwrap();
    const uploads = local.server.uploads.slice(before);
    expect(uploads.length).toBeGreaterThanOrEqual(7);
    // A seam may fall in a pause inside a recorded segment (the service then answers two), so the
    // words are compared: each recorded word exactly once, in order, and no segment across a seam.
    const recordedWords = ((batchAnswer(local.session, "whisper-1", "verbose_json") as VerboseTranscription).words ?? []).map((word) => word.word);
    const words = (text: string) => text.toLowerCase().replace(/[.,]/g, "").split(/\s+/).filter(Boolean);
    expect(transcript.segments.flatMap((segment) => words(segment.text))).toEqual(recordedWords.map((word) => word.toLowerCase()));
    // Each seam is in a pause.
    // Uploads run in parallel and arrive in any order: the server found where each starts.
    const seams = uploads.map((upload) => upload.fixtureOffsetMs ?? 0).filter((at) => at > 0).sort((a, b) => a - b);
    // (Uploads of pure silence, in the fixture's last 12 s, cannot be placed; the others are checked.)
    expect(seams.length).toBeGreaterThanOrEqual(4);
    for (const seamMs of seams) {
      // PocketSphinx's word edges are loose at pauses, so the audio itself shows the seam is in one.
      expect(rmsAround(local.audio.pcm, seamMs) / rmsAround(local.audio.pcm, 30_000, 30_000), `seam at ${seamMs} ms is not in a pause`).toBeLessThan(0.1);
      expect(transcript.segments.filter((segment) => segment.startMs < seamMs && segment.endMs > seamMs), `segment across the seam at ${seamMs} ms`).toEqual([]);
    }
    // Where a segment was not cut, it is the recorded one, at the recorded time.
    for (const want of repeatedSegments(1)) {
      const got = transcript.segments.find((segment) => segment.text === want.text);
      if (got) expect([got.startMs, got.endMs]).toEqual([want.startMs, want.endMs]);
    }
    // onEvent saw the finals in order, whichever upload finished first.
    expect(events.filter((event) => event.type === "final").map((event) => (event.type === "final" ? event.segment : undefined))).toEqual(transcript.segments);
  }, 60_000);
});
