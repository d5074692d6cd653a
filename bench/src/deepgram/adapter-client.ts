import type { SpeechToText } from "@sttkit/core";
import { createDeepgramSpeechToText } from "@sttkit/deepgram";
import { adapterStreamClient } from "../adapter-stream.js";
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
  return adapterStreamClient(adapter.stream({ format: options.format })._unsafeUnwrap());
}
