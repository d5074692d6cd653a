import { err, ok, type Result, type ResultAsync } from "neverthrow";
import { callerHooks, checkStreamSupport, withoutCallerHooks, writeThrough, createRecognitionStream, transcribeThroughStream, type RecognitionDriver, type RecognitionSink } from "@sttkit/core/kit";
import { type AudioSource, type RecognitionStream, type SpeechEvent, type SpeechToText, type StreamOptions, type SttError, type Transcript, type TranscribeOptions } from "@sttkit/core";

/** "he was not an ill disposed young man" → "He was not an ill disposed young man." */
export function sentenceCase(text: string): string {
  const trimmed = text.trim();
  if (trimmed.length === 0) return trimmed;
  const capitalised = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capitalised) ? capitalised : `${capitalised}.`;
}

/**
 * The provider-specific half of the adapter: it forwards audio to the wrapped engine's stream and
 * re-emits its events with display-formatted text. Core's createRecognitionStream does the rest
 * (state, ordering, backpressure, transcript, usage, idempotent end/close).
 */
class SentenceCaseDriver implements RecognitionDriver {
  readonly #inner: RecognitionStream;
  #pumping: Promise<void> = Promise.resolve();
  #sink!: RecognitionSink;
  #ending = false;

  constructor(inner: RecognitionStream) {
    this.#inner = inner;
  }

  start(sink: RecognitionSink): void {
    this.#sink = sink;
    this.#pumping = (async () => {
      for await (const event of this.#inner) this.#forward(event, sink);
      const result = await this.#inner.result();
      // A failure of the wrapped stream while audio still flows fails ours too.
      if (result.isErr() && !this.#ending) sink.fail(result.error);
    })();
  }

  #forward(event: SpeechEvent, sink: RecognitionSink): void {
    if (event.type === "final") sink.emit({ type: "final", segment: { ...event.segment, text: sentenceCase(event.segment.text) } });
    else if (event.type === "interim" || event.type === "speech-started" || event.type === "speech-ended" || event.type === "provider-switched") sink.emit(event);
    else if (event.type === "error" && !event.fatal) sink.emit({ ...event, fatal: false });
  }

  write(pcm: Uint8Array): boolean {
    // The engine's backpressure, and its recovery, passed on.
    return writeThrough(this.#inner, pcm, this.#sink);
  }

  async finish(): Promise<Result<void, SttError>> {
    this.#ending = true;
    const result = await this.#inner.end();
    await this.#pumping;
    return result.map(() => undefined);
  }

  async dispose(): Promise<void> {
    await this.#inner.close();
    await this.#pumping;
  }
}

/**
 * A small but complete adapter: any SpeechToText whose finals come back in sentence case, as a
 * display would want them. It is what an adapter author writes: a factory, a driver, declared
 * capabilities; conformance-new-adapter.test.ts then proves it with the conformance suite.
 */
export class SentenceCaseSpeechToText implements SpeechToText {
  readonly provider: string;
  readonly capabilities: SpeechToText["capabilities"];
  readonly #engine: SpeechToText;

  constructor(engine: SpeechToText) {
    this.#engine = engine;
    this.provider = `sentence-case(${engine.provider})`;
    this.capabilities = engine.capabilities;
  }

  stream(options?: StreamOptions): Result<RecognitionStream, SttError> {
    // Options arrive from plain JavaScript and config files too: the kit checks their shape, and
    // refuses what the declared capabilities rule out (rates, channels, phrases...) as every adapter does.
    const checked = checkStreamSupport(options, this.capabilities, this.provider);
    if (checked.isErr()) return err(checked.error);
    return this.#engine.stream(withoutCallerHooks(checked.value)).andThen((inner) =>
      ok(
        createRecognitionStream({
          provider: this.provider,
          format: inner.format ?? checked.value.format,
          driver: new SentenceCaseDriver(inner),
          ...callerHooks(checked.value),
        }),
      ),
    );
  }

  transcribe(audio: AudioSource, options?: TranscribeOptions): ResultAsync<Transcript, SttError> {
    return transcribeThroughStream(this, audio, options);
  }
}
