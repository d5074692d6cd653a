/**
 * Deliberately broken adapters: each wraps a working adapter and breaks one promise the
 * conformance suite makes to adapter authors. The suite must fail every one of them, in the
 * scenario named here; a test holds it to that, so a green run of the suite means something.
 *
 * @module
 */
import { err, ok, type Result, type ResultAsync } from "neverthrow";
import type { AudioSource, RecognitionStream, SpeechEvent, SpeechToText, SttCapabilities, SttError, Transcript, TranscribeOptions, TranscriptSegment } from "@sttkit/core";
import {
  callerHooks,
  checkStreamSupport,
  createRecognitionStream,
  transcribeThroughStream,
  withoutCallerHooks,
  writeThrough,
  type DriverEvent,
  type RecognitionDriver,
  type RecognitionSink,
} from "@sttkit/core/kit";

/** The ways a mutant adapter is broken. */
export type MutantName =
  | "drop-finals"
  | "shift-offsets"
  | "scale-offsets"
  | "late-finals"
  | "early-end"
  | "empty-finals"
  | "duplicate-final"
  | "no-interims"
  | "drop-language"
  | "swallow-error"
  | "leak-handle";

/** One mutant: what it breaks, and which conformance scenario must catch it. */
export interface MutantDefinition {
  /** Its name. */
  readonly name: MutantName;
  /** What it does wrong. */
  readonly breaks: string;
  /** The title (a unique part of it) of the scenario that must fail. */
  readonly caughtBy: string;
  /** Titles of scenarios to run before it (a leak needs a stream to leak from). Default: none. */
  readonly runAfter?: readonly string[];
}

/** Every mutant, with the scenario that catches it. */
export const MUTANTS: readonly MutantDefinition[] = Object.freeze([
  { name: "drop-finals", breaks: "drops every second final", caughtBy: "several utterances: all delivered in order" },
  { name: "shift-offsets", breaks: "moves every final and word 2 s later on the time line", caughtBy: "single utterance: final text within the WER bound" },
  { name: "scale-offsets", breaks: "halves every offset (a wrong sample rate or tick unit)", caughtBy: "single utterance: final text within the WER bound" },
  { name: "late-finals", breaks: "delivers each final 3 s later than twice its declared p99", caughtBy: "end of speech to final within the declared p99" },
  { name: "early-end", breaks: "resolves end() at once, without waiting for the last final", caughtBy: "end() resolves only after the last final transcript" },
  { name: "empty-finals", breaks: "delivers every final with empty text", caughtBy: "single utterance: final text within the WER bound" },
  { name: "duplicate-final", breaks: "delivers the second final twice, as a naive replay after a reconnect would", caughtBy: "several utterances: all delivered in order" },
  { name: "no-interims", breaks: "declares interim results and sends none", caughtBy: "single utterance: final text within the WER bound" },
  { name: "drop-language", breaks: "never reports the language of a final", caughtBy: "the language option is honoured" },
  { name: "swallow-error", breaks: "ends cleanly when the provider failed, hiding the error", caughtBy: 'auth-rejected: fails with a typed "authentication" error' },
  { name: "leak-handle", breaks: "leaves a timer running after every stream", caughtBy: "leaves no handle open", runAfter: ["single utterance: final text within the WER bound"] },
]);

/** How far the offset mutants move the time line. */
const SHIFT_MS = 2_000;

function mapTimes(segment: TranscriptSegment, map: (ms: number) => number): TranscriptSegment {
  return {
    ...segment,
    startMs: map(segment.startMs),
    endMs: map(segment.endMs),
    ...(segment.words ? { words: segment.words.map((word) => ({ ...word, startMs: map(word.startMs), endMs: map(word.endMs) })) } : {}),
  };
}

/** The driver of a mutant: forwards the wrapped adapter's stream, breaking it as the mutant says. */
class MutantDriver implements RecognitionDriver {
  readonly #inner: RecognitionStream;
  readonly #mutant: MutantName;
  readonly #capabilities: SttCapabilities;
  readonly #delayed = new Set<Promise<void>>();
  #pumping: Promise<void> = Promise.resolve();
  #sink!: RecognitionSink;
  #ending = false;
  #finals = 0;

  constructor(inner: RecognitionStream, mutant: MutantName, capabilities: SttCapabilities) {
    this.#inner = inner;
    this.#mutant = mutant;
    this.#capabilities = capabilities;
  }

  start(sink: RecognitionSink): void {
    this.#sink = sink;
    // The leak mutant's defect: a timer that nothing ever clears.
    if (this.#mutant === "leak-handle") setInterval(() => undefined, 60_000);
    this.#pumping = (async () => {
      for await (const event of this.#inner) this.#forward(event);
      const result = await this.#inner.result();
      if (result.isErr() && !this.#ending && this.#mutant !== "swallow-error") sink.fail(result.error);
    })();
  }

  #emit(event: DriverEvent): void {
    if (this.#mutant === "late-finals" && event.type === "final") {
      // Well past what the latency scenario allows (twice the declaration and a second).
      const delay = this.#capabilities.ttfsP99LatencyMs * 2 + 3_000;
      const held = new Promise<void>((resolve) => setTimeout(resolve, delay)).then(() => this.#sink.emit(event));
      this.#delayed.add(held);
      return;
    }
    this.#sink.emit(event);
  }

  #forward(event: SpeechEvent): void {
    if (event.type === "interim" && this.#mutant === "no-interims") return;
    if (event.type === "final") {
      this.#finals += 1;
      const segment = this.#mutate(event.segment);
      if (segment === undefined) return;
      this.#emit({ type: "final", segment });
      if (this.#mutant === "duplicate-final" && this.#finals === 2) this.#emit({ type: "final", segment });
      return;
    }
    if (event.type === "interim" || event.type === "speech-started" || event.type === "speech-ended" || event.type === "provider-switched") this.#emit(event);
    else if (event.type === "error" && !event.fatal) this.#emit({ ...event, fatal: false });
  }

  #mutate(segment: TranscriptSegment): TranscriptSegment | undefined {
    switch (this.#mutant) {
      case "drop-finals":
        return this.#finals % 2 === 0 ? undefined : segment;
      case "shift-offsets":
        return mapTimes(segment, (ms) => ms + SHIFT_MS);
      case "scale-offsets":
        return mapTimes(segment, (ms) => ms / 2);
      case "empty-finals":
        return { ...segment, text: "", words: [] };
      case "drop-language": {
        const { language: _language, ...rest } = segment;
        return rest;
      }
      default:
        return segment;
    }
  }

  write(pcm: Uint8Array): boolean {
    return writeThrough(this.#inner, pcm, this.#sink);
  }

  async finish(): Promise<Result<void, SttError>> {
    this.#ending = true;
    if (this.#mutant === "early-end") {
      void this.#inner.end();
      return ok(undefined);
    }
    const result = await this.#inner.end();
    await this.#pumping;
    await Promise.all(this.#delayed);
    if (this.#mutant === "swallow-error") return ok(undefined);
    return result.map(() => undefined);
  }

  async dispose(): Promise<void> {
    await this.#inner.close();
    await this.#pumping;
  }
}

/** A working adapter broken in one way. */
class MutantSpeechToText implements SpeechToText {
  readonly provider: string;
  readonly capabilities: SttCapabilities;
  readonly #inner: SpeechToText;
  readonly #mutant: MutantName;

  constructor(inner: SpeechToText, mutant: MutantName) {
    this.#inner = inner;
    this.#mutant = mutant;
    this.provider = inner.provider;
    this.capabilities = inner.capabilities;
  }

  stream(options?: unknown): Result<RecognitionStream, SttError> {
    const checked = checkStreamSupport(options, this.capabilities, this.provider);
    if (checked.isErr()) return err(checked.error);
    return this.#inner.stream(withoutCallerHooks(checked.value)).map((inner) =>
      createRecognitionStream({
        provider: this.provider,
        format: inner.format,
        driver: new MutantDriver(inner, this.#mutant, this.capabilities),
        ...callerHooks(checked.value),
      }),
    );
  }

  transcribe(audio: AudioSource, options?: TranscribeOptions): ResultAsync<Transcript, SttError> {
    return transcribeThroughStream(this, audio, options);
  }
}

/** `stt` broken as the named mutant says; it keeps the provider name and declared capabilities. */
export function mutate(stt: SpeechToText, mutant: MutantName): SpeechToText {
  return new MutantSpeechToText(stt, mutant);
}
