/**
 * How the local OpenAI server answers an upload to the batch endpoint from a recorded session:
 * the recorded answer when the upload is the fixture's audio; for a part of it (a cut file), or a
 * longer recording made of it (the fixture repeated, split by the client at pauses), an answer
 * derived from the recorded `whisper-1` words that lie in the uploaded audio, placed where they lie
 * in the upload.
 *
 * @module
 */
import { wordsBySegment } from "@sttkit/core/kit";
import { bytesPerFrame, bytesPerSecond, sameFormat, type AudioFormat, type WavAudio } from "@sttkit/core";
import { batchAnswer, type RecordedOpenAISession, type VerboseTranscription } from "./session-format.js";

/** Where an upload's audio lies in the fixture's. */
export type UploadPlacement =
  | { readonly kind: "whole" }
  | { readonly kind: "part"; readonly offsetMs: number; readonly durationMs: number; readonly fixtureMs: number }
  | { readonly kind: "silence"; readonly durationMs: number }
  | { readonly kind: "unknown"; readonly reason: string };

/** Loudest sample (absolute) a frame may have and still count as digital silence. */
const SILENCE_PEAK = 64;
/** Bytes of audio compared to find where an upload starts in the fixture (about a second at 16 kHz). */
const PROBE_BYTES = 32_000;

function peakOf(pcm: Uint8Array, from: number, to: number): number {
  const view = new DataView(pcm.buffer, pcm.byteOffset, pcm.byteLength);
  let peak = 0;
  for (let at = from; at + 1 < to; at += 2) peak = Math.max(peak, Math.abs(view.getInt16(at, true)));
  return peak;
}

/**
 * Finds `upload` in `fixture`, reading the fixture as if repeated without end: the whole fixture,
 * a part of it starting anywhere (cyclically), or silence. The first non-silent second of the upload
 * is looked up in the fixture, then the whole upload is compared byte for byte.
 */
export function placeUpload(upload: WavAudio, fixture: WavAudio): UploadPlacement {
  if (!sameFormat(upload.format, fixture.format)) return { kind: "unknown", reason: "the upload's format differs from the fixture's" };
  const perMs = bytesPerSecond(fixture.format) / 1000;
  const durationMs = upload.pcm.byteLength / perMs;
  const fixturePcm = Buffer.from(fixture.pcm.buffer, fixture.pcm.byteOffset, fixture.pcm.byteLength);
  const uploadPcm = Buffer.from(upload.pcm.buffer, upload.pcm.byteOffset, upload.pcm.byteLength);
  if (uploadPcm.equals(fixturePcm)) return { kind: "whole" };
  const frame = Math.max(bytesPerFrame(fixture.format), Math.round(perMs * 10) - (Math.round(perMs * 10) % bytesPerFrame(fixture.format)));
  let start = -1;
  for (let at = 0; at < uploadPcm.byteLength; at += frame) {
    if (peakOf(uploadPcm, at, Math.min(at + frame, uploadPcm.byteLength)) > SILENCE_PEAK) {
      start = at;
      break;
    }
  }
  if (start < 0) return { kind: "silence", durationMs };
  const probe = uploadPcm.subarray(start, Math.min(uploadPcm.byteLength, start + PROBE_BYTES));
  if (fixturePcm.byteLength === 0 || probe.byteLength > fixturePcm.byteLength) return { kind: "unknown", reason: "the upload is not the fixture's audio" };
  const cyclic = Buffer.concat([fixturePcm, fixturePcm.subarray(0, probe.byteLength)]);
  const found = cyclic.indexOf(probe);
  if (found < 0 || found % bytesPerFrame(fixture.format) !== 0) return { kind: "unknown", reason: "the upload is not the fixture's audio" };
  const offset = (((found - start) % fixturePcm.byteLength) + fixturePcm.byteLength) % fixturePcm.byteLength;
  for (let at = 0; at < uploadPcm.byteLength; ) {
    const inFixture = (offset + at) % fixturePcm.byteLength;
    const length = Math.min(uploadPcm.byteLength - at, fixturePcm.byteLength - inFixture);
    if (!uploadPcm.subarray(at, at + length).equals(fixturePcm.subarray(inFixture, inFixture + length))) {
      return { kind: "unknown", reason: "the upload is not the fixture's audio (it differs after its first second)" };
    }
    at += length;
  }
  return { kind: "part", offsetMs: offset / perMs, durationMs, fixtureMs: fixturePcm.byteLength / perMs };
}

/** Options of the answer, as the client asked in its form. */
export interface AnswerRequest {
  /** The model. */
  readonly model: string;
  /** `json`, `verbose_json` or `text`. */
  readonly responseFormat: string;
  /** `timestamp_granularities[]`, as sent (empty: the service's default, segments). */
  readonly granularities: readonly string[];
}

/** An answer: the body to send, or why the session cannot answer. */
export type BatchAnswer = { readonly body: unknown } | { readonly problem: string };

const round2 = (seconds: number): number => Math.round(seconds * 100) / 100;

/** Keeps what the granularities ask for: words only with `word`, segments unless only `word` was asked. */
function withGranularities(answer: VerboseTranscription, granularities: readonly string[]): Record<string, unknown> {
  const { segments, words, ...rest } = answer as VerboseTranscription & Record<string, unknown>;
  const wantSegments = granularities.length === 0 || granularities.includes("segment");
  return { ...rest, ...(wantSegments && segments ? { segments } : {}), ...(granularities.includes("word") && words ? { words } : {}) };
}

function finish(verbose: VerboseTranscription, request: AnswerRequest, session: RecordedOpenAISession, whole: boolean): BatchAnswer {
  if (request.responseFormat === "verbose_json") return { body: withGranularities(verbose, request.granularities) };
  if (request.responseFormat === "text") return { body: verbose.text };
  const recorded = batchAnswer(session, request.model, "json") as { usage?: unknown } | undefined;
  if (whole && recorded) return { body: recorded };
  return { body: { text: verbose.text, ...(recorded?.usage !== undefined ? { usage: recorded.usage } : {}) } };
}

/**
 * The recorded `whisper-1` words that lie in the uploaded audio (a word belongs to the upload that
 * holds its middle, so a word is never in two uploads nor in none), with their times moved to the
 * upload's time line, grouped back into their recorded segments.
 */
function derive(recorded: VerboseTranscription, fixtureMs: number, offsetMs: number, durationMs: number): VerboseTranscription {
  const segments = recorded.segments ?? [];
  const wordsOfSegments = wordsBySegment(segments, recorded.words ?? []);
  const outSegments: Array<Record<string, unknown> & { start: number; end: number; text: string }> = [];
  const outWords: Array<{ word: string; start: number; end: number }> = [];
  for (let period = 0; period * fixtureMs - offsetMs < durationMs; period++) {
    const shiftMs = period * fixtureMs - offsetMs;
    segments.forEach((segment, index) => {
      const all = wordsOfSegments[index] ?? [];
      const inside = all.filter((word) => {
        const middleMs = ((word.start + word.end) / 2) * 1000 + shiftMs;
        return middleMs >= 0 && middleMs < durationMs;
      });
      if (inside.length === 0) return;
      const moved = inside.map((word) => ({
        word: word.word,
        start: round2(Math.max(0, word.start * 1000 + shiftMs) / 1000),
        end: round2(Math.min(durationMs, word.end * 1000 + shiftMs) / 1000),
      }));
      outWords.push(...moved);
      const complete = inside.length === all.length;
      outSegments.push({
        ...segment,
        id: outSegments.length,
        start: complete ? round2(Math.max(0, segment.start * 1000 + shiftMs) / 1000) : (moved[0] as { start: number }).start,
        end: complete ? round2(Math.min(durationMs, segment.end * 1000 + shiftMs) / 1000) : (moved.at(-1) as { end: number }).end,
        text: complete ? segment.text : ` ${moved.map((word) => word.word).join(" ")}`,
      });
    });
  }
  return {
    ...recorded,
    duration: round2(durationMs / 1000),
    text: outSegments.map((segment) => segment.text.trim()).join(" "),
    segments: outSegments,
    words: outWords,
  };
}

/**
 * The answer for an upload placed in the fixture: the recorded answer of the model and format for
 * the whole fixture; for a part, silence or a repetition, the answer derived from the recorded
 * `whisper-1` words (see the module). A session without the answers it needs gives a problem.
 */
export function answerUpload(session: RecordedOpenAISession, placement: UploadPlacement, request: AnswerRequest): BatchAnswer {
  const verbose = batchAnswer(session, "whisper-1", "verbose_json") as VerboseTranscription | undefined;
  if (placement.kind === "unknown") return { problem: placement.reason };
  if (placement.kind === "whole") {
    if (request.model === "whisper-1" && verbose) return finish(verbose, request, session, true);
    const recorded = batchAnswer(session, request.model, request.responseFormat === "text" ? "json" : request.responseFormat) as { text?: unknown } | undefined;
    if (!recorded) return { problem: `the session has no ${request.model} ${request.responseFormat} answer` };
    return { body: request.responseFormat === "text" ? recorded.text : recorded };
  }
  if (!verbose) return { problem: "the session has no whisper-1 verbose_json answer to derive the answer for part of its audio from" };
  if (placement.kind === "silence") {
    return finish({ ...verbose, duration: round2(placement.durationMs / 1000), text: "", segments: [], words: [] }, request, session, false);
  }
  return finish(derive(verbose, placement.fixtureMs, placement.offsetMs, placement.durationMs), request, session, false);
}

/** The text a streamed answer (`stream=true`) sends, from a non-streamed body. */
export function answerText(body: unknown): string {
  if (typeof body === "string") return body;
  const text = (body as { text?: unknown } | undefined)?.text;
  return typeof text === "string" ? text : "";
}

/** The audio format's name as the tests print it. */
export function describeFormat(format: AudioFormat): string {
  return `${format.sampleRate} Hz, ${format.channels} channel(s), ${format.bitsPerSample} bit`;
}
