import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ok, type Result } from "neverthrow";
import { describe, expect, it } from "vitest";
import { DEFAULT_AUDIO_FORMAT, type AudioFormat } from "../audio/format.js";
import { encodeWav } from "../audio/wav.js";
import { sttError, type SttError } from "../errors.js";
import type { SpeechEvent } from "../events.js";
import type { RecognitionStream, StreamOptions } from "../speech-to-text.js";
import type { RecognitionSink } from "./stream/driver.js";
import { createRecognitionStream } from "./stream/recognition-stream.js";
import { loadAudioSource, transcribeThroughStream } from "./transcribe.js";

/**
 * A stream factory whose "provider" reports, for every chunk of audio it receives, a final with
 * the running byte count, and saturates every few chunks, so the test can see that transcribe()
 * delivers every byte, in order, honouring backpressure.
 */
function countingProvider(options: { failAfterBytes?: number } = {}) {
  const opened: Array<{ format: AudioFormat; interimResults: boolean | undefined; disposed: boolean }> = [];
  return {
    opened,
    stream(streamOptions?: StreamOptions): Result<RecognitionStream, SttError> {
      const format = streamOptions?.format ?? DEFAULT_AUDIO_FORMAT;
      const record = { format, interimResults: streamOptions?.interimResults, disposed: false };
      opened.push(record);
      let sink!: RecognitionSink;
      let received = 0;
      let chunks = 0;
      return ok(
        createRecognitionStream({
          provider: "counting",
          format,
          driver: {
            start: (s) => {
              sink = s;
            },
            write: (pcm) => {
              received += pcm.byteLength;
              chunks++;
              sink.emit({ type: "final", segment: { text: String(received), startMs: 0, endMs: 0 } });
              if (options.failAfterBytes !== undefined && received >= options.failAfterBytes) {
                sink.fail(sttError({ kind: "connection", message: "dropped" }));
              }
              if (chunks % 3 === 0) {
                setTimeout(() => sink.drain(), 1);
                return false;
              }
              return true;
            },
            finish: () => Promise.resolve(ok(undefined)),
            dispose: () => {
              record.disposed = true;
              return Promise.resolve();
            },
          },
        }),
      );
    },
  };
}

const pcm = new Uint8Array(32_000 * 2).map((_, i) => i & 0xff);

describe("transcribeThroughStream", () => {
  it("sends every byte of a WAV buffer with backpressure and returns the transcript", async () => {
    const provider = countingProvider();
    const seen: SpeechEvent[] = [];
    const transcript = (
      await transcribeThroughStream(provider, encodeWav(pcm, DEFAULT_AUDIO_FORMAT), { onEvent: (e) => seen.push(e), chunkMs: 100 })
    )._unsafeUnwrap();
    expect(transcript.segments.at(-1)?.text).toBe(String(pcm.byteLength));
    expect(transcript.segments).toHaveLength(20);
    expect(transcript.audioSeconds).toBe(2);
    expect(seen.at(-1)).toEqual({ type: "usage", audioSeconds: 2 });
    expect(provider.opened[0]?.disposed).toBe(true);
  });

  it("sends a recording in 1 s chunks by default, and asks for interim results only when onEvent reads them", async () => {
    const quiet = countingProvider();
    const transcript = (await transcribeThroughStream(quiet, encodeWav(pcm, DEFAULT_AUDIO_FORMAT)))._unsafeUnwrap();
    // 2 s of audio: one final per chunk received.
    expect(transcript.segments.map((segment) => segment.text)).toEqual(["32000", "64000"]);
    expect(quiet.opened[0]?.interimResults).toBe(false);

    const watched = countingProvider();
    (await transcribeThroughStream(watched, encodeWav(pcm, DEFAULT_AUDIO_FORMAT), { onEvent: () => undefined }))._unsafeUnwrap();
    expect(watched.opened[0]?.interimResults).toBe(true);

    const explicit = countingProvider();
    (await transcribeThroughStream(explicit, encodeWav(pcm, DEFAULT_AUDIO_FORMAT), { interimResults: true }))._unsafeUnwrap();
    expect(explicit.opened[0]?.interimResults).toBe(true);
  });

  it("streams a file from disk as the provider takes it: every byte, in order, the file released", async () => {
    const dir = await mkdtemp(join(tmpdir(), "sttkit-transcribe-"));
    try {
      const path = join(dir, "a.wav");
      await writeFile(path, encodeWav(pcm, DEFAULT_AUDIO_FORMAT));
      const provider = countingProvider();
      const transcript = (await transcribeThroughStream(provider, { path }))._unsafeUnwrap();
      expect(transcript.segments.at(-1)?.text).toBe(String(pcm.byteLength));
      expect(transcript.metrics?.audioSentMs).toBe(2000);
      expect(provider.opened[0]?.disposed).toBe(true);
      // Not audio (ffmpeg finds no container in /dev/zero), or not a file: a typed error before any stream is opened.
      const zero = countingProvider();
      expect((await transcribeThroughStream(zero, { path: "/dev/zero" }))._unsafeUnwrapErr()).toMatchObject({ kind: "invalid-audio", reason: "undecodable" });
      expect((await transcribeThroughStream(zero, { path: dir }))._unsafeUnwrapErr()).toMatchObject({ kind: "invalid-audio", reason: "unreadable-file" });
      expect(zero.opened).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("opens the stream in the format of the audio", async () => {
    const provider = countingProvider();
    const format = { sampleRate: 8000, channels: 1, bitsPerSample: 16 } as const;
    await transcribeThroughStream(provider, { pcm: pcm.subarray(0, 1600), format });
    expect(provider.opened[0]?.format).toEqual(format);
  });

  it("returns the provider's error and still releases the stream", async () => {
    const provider = countingProvider({ failAfterBytes: 10_000 });
    const error = (await transcribeThroughStream(provider, encodeWav(pcm, DEFAULT_AUDIO_FORMAT)))._unsafeUnwrapErr();
    expect(error.kind).toBe("connection");
    expect(provider.opened[0]?.disposed).toBe(true);
  });

  it("survives a progress callback that throws", async () => {
    const provider = countingProvider();
    const result = await transcribeThroughStream(provider, encodeWav(pcm, DEFAULT_AUDIO_FORMAT), {
      onEvent: () => {
        throw new Error("callback bug");
      },
    });
    expect(result.isOk()).toBe(true);
  });

  it("rejects bad sources with typed errors before opening a stream", async () => {
    const provider = countingProvider();
    expect((await loadAudioSource(new Uint8Array([1, 2, 3])))._unsafeUnwrapErr().kind).toBe("invalid-audio");
    expect((await loadAudioSource({ pcm: new Uint8Array(0), format: DEFAULT_AUDIO_FORMAT }))._unsafeUnwrapErr()).toMatchObject({ reason: "empty" });
    expect((await loadAudioSource({ pcm, format: { sampleRate: 1, channels: 1, bitsPerSample: 16 } }))._unsafeUnwrapErr()).toMatchObject({ reason: "unsupported-sample-rate" });
    expect((await loadAudioSource(42 as never))._unsafeUnwrapErr().kind).toBe("invalid-argument");
    expect((await transcribeThroughStream(provider, { path: "/nonexistent.wav" }))._unsafeUnwrapErr()).toMatchObject({ reason: "unreadable-file" });
    expect(provider.opened).toHaveLength(0);
  });
});
