import { createAzureSpeechToText } from "@sttkit/azure";
import { adapterStreamClient } from "./adapter-stream.js";
import { BENCH_KEY, type BenchClient, type ClientOptions } from "./client.js";

/** The adapter under test: a `RecognitionStream` whose events are read with `for await`, as the README shows. */
export function openAdapterClient(options: ClientOptions): BenchClient {
  const stt = createAzureSpeechToText(
    { host: options.host, apiKey: BENCH_KEY, sdkProperties: { "SPEECH-TransmitLengthBeforThrottleMs": String(options.throttleMs) } },
    {},
  )._unsafeUnwrap();
  const finalCallbackTimes: number[] = [];
  const stream = stt
    .stream({
      format: options.format,
      onEvent: (event) => {
        if (event.type === "final") finalCallbackTimes.push(performance.now());
      },
    })
    ._unsafeUnwrap();
  return { ...adapterStreamClient(stream), finalCallbackTimes };
}
