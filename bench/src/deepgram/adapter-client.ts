import type { SpeechToText } from "@sttkit/core";
import { createDeepgramSpeechToText } from "@sttkit/deepgram";
import { DEEPGRAM_BENCH_KEY, type DeepgramBenchClient, type DeepgramClientOptions } from "./clients.js";

let adapter: SpeechToText | undefined;

/** The adapter under test: a `RecognitionStream` read with `for await`, as the README shows. */
export function openDeepgramAdapterClient(options: DeepgramClientOptions): DeepgramBenchClient {
  return openWith(options, 3);
}

/** The adapter with recovery off (`reconnect.maxAttempts: 0`): it keeps no audio for replay. */
export function openDeepgramAdapterClientWithoutReplay(options: DeepgramClientOptions): DeepgramBenchClient {
  return openWith(options, 0);
}

function openWith(options: DeepgramClientOptions, maxAttempts: number): DeepgramBenchClient {
  // One adapter per process, as an application holds one, shared by its streams.
  adapter ??= createDeepgramSpeechToText({ baseUrl: options.baseUrl, apiKey: DEEPGRAM_BENCH_KEY, connectTimeoutMs: 30_000, reconnect: { maxAttempts } }, {})._unsafeUnwrap();
  const stt = adapter;
  const stream = stt.stream({ format: options.format })._unsafeUnwrap();
  const finalTimes: number[] = [];
  let interimCharacters = 0;
  const consuming = (async () => {
    for await (const event of stream) {
      if (event.type === "final" && event.segment.text.trim().length > 0) finalTimes.push(performance.now());
      else if (event.type === "interim") interimCharacters += event.text.length;
    }
  })();
  return {
    finalTimes,
    write(chunk) {
      const written = stream.write(chunk);
      if (written.isErr()) throw new Error(`adapter write failed: ${written.error.message}`);
      return written.value ? undefined : stream.drained();
    },
    async finish() {
      const ended = await stream.end();
      if (ended.isErr()) throw new Error(`adapter end failed: ${ended.error.kind}: ${ended.error.message}`);
    },
    async close() {
      await stream.close();
      await consuming;
      void interimCharacters;
    },
  };
}
