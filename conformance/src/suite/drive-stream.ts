import { bytesPerSecond, paceRealtime, type SpeechEvent, type SpeechToText, type StreamOptions, type SttError, type Transcript, type WavAudio } from "@sttkit/core";
import type { Result } from "neverthrow";

/** An event with when it arrived, in milliseconds since the first audio was written. */
export interface TimedEvent {
  /** The event. */
  readonly event: SpeechEvent;
  /** Arrival time since the first write, in milliseconds. */
  readonly atMs: number;
}

/** What happened during one streamed recognition. */
export interface StreamRun {
  /** `stream()`'s own error, when the stream could not be opened. */
  readonly openError?: SttError;
  /** Every event, in arrival order. */
  readonly events: readonly TimedEvent[];
  /** What `end()` (or, after `closeAfterMs`, `result()`) resolved with. */
  readonly result?: Result<Transcript, SttError>;
  /** Errors `write()` returned (a failed stream refuses further audio). */
  readonly writeErrors: readonly SttError[];
  /** Events that arrived after `end()` resolved: must be none but `usage`/`error`. */
  readonly eventsAfterEnd: readonly TimedEvent[];
  /** Whether the event iteration finished by itself after the stream was over. */
  readonly iterationFinished: boolean;
  /**
   * When each chunk was written: how much audio (ms) had been written, and when (ms since the first
   * write). Maps a position in the audio to the moment it reached the adapter.
   */
  readonly audioClock: readonly AudioClockTick[];
}

/** One written chunk on a run's audio clock. */
export interface AudioClockTick {
  /** Audio written so far, including this chunk, in ms. */
  readonly audioMs: number;
  /** When the write returned, in ms since the first write. */
  readonly atMs: number;
}

/** How {@link driveStream} plays the audio. */
export interface DriveOptions {
  /** Playback speed, 1 = real time. */
  readonly speed: number;
  /** Stream options besides the format. */
  readonly streamOptions?: Omit<StreamOptions, "format">;
  /** Close (abort) the stream after this much audio time instead of ending it. */
  readonly closeAfterMs?: number;
  /** Chunk duration, default 100 ms. */
  readonly chunkMs?: number;
}

/**
 * Streams a recording through an adapter as live audio would arrive, while consuming its events
 * concurrently, and returns everything observed. Never throws; always closes the stream.
 */
export async function driveStream(stt: SpeechToText, audio: WavAudio, options: DriveOptions): Promise<StreamRun> {
  const opened = stt.stream({ ...options.streamOptions, format: audio.format });
  if (opened.isErr()) {
    return { openError: opened.error, events: [], writeErrors: [], eventsAfterEnd: [], iterationFinished: true, audioClock: [] };
  }
  const stream = opened.value;
  const events: TimedEvent[] = [];
  const writeErrors: SttError[] = [];
  const audioClock: AudioClockTick[] = [];
  const started = performance.now();
  let endedAt: number | undefined;
  let iterationFinished = false;
  const consuming = (async () => {
    for await (const event of stream) events.push({ event, atMs: performance.now() - started });
    iterationFinished = true;
  })();
  let result: Result<Transcript, SttError> | undefined;
  try {
    let sentMs = 0;
    const chunkMs = options.chunkMs ?? 100;
    for await (const chunk of paceRealtime(audio.pcm, audio.format, { chunkMs, speed: options.speed })) {
      if (options.closeAfterMs !== undefined && sentMs >= options.closeAfterMs) break;
      const written = stream.write(chunk);
      if (written.isErr()) {
        writeErrors.push(written.error);
        break;
      }
      sentMs += (chunk.byteLength / bytesPerSecond(audio.format)) * 1000;
      audioClock.push({ audioMs: sentMs, atMs: performance.now() - started });
      if (!written.value) await stream.drained();
    }
    if (options.closeAfterMs !== undefined) {
      await stream.close();
      result = await stream.result();
    } else {
      result = await stream.end();
    }
    endedAt = performance.now() - started;
  } finally {
    await stream.close();
    await consuming;
  }
  const eventsAfterEnd = endedAt === undefined ? [] : events.filter((timed) => timed.atMs > endedAt + 1);
  return { events, result, writeErrors, eventsAfterEnd, iterationFinished, audioClock };
}

/** The final segments of a run, in arrival order. */
export function finalsOf(run: StreamRun): Array<Extract<SpeechEvent, { type: "final" }>["segment"]> {
  return run.events.flatMap(({ event }) => (event.type === "final" ? [event.segment] : []));
}

/** The text of every non-empty final, joined by spaces. */
export function finalTextOf(run: StreamRun): string {
  return finalsOf(run)
    .map((segment) => segment.text.trim())
    .filter((text) => text.length > 0)
    .join(" ");
}

/**
 * For each final with text, the time from the end of its speech to its delivery, in ms: the
 * final's arrival minus the moment the audio at its reported end had been written (or, for speech
 * running to the end of the audio, the last write). What a voice agent waits after a user stops.
 */
export function finalLatencies(run: StreamRun): number[] {
  const lastWrite = run.audioClock.at(-1);
  return run.events.flatMap(({ event, atMs }) => {
    if (event.type !== "final" || event.segment.text.trim().length === 0 || !lastWrite) return [];
    const written = run.audioClock.find((tick) => tick.audioMs >= event.segment.endMs) ?? lastWrite;
    return [Math.max(0, atMs - written.atMs)];
  });
}
