import { createAzureSpeechToText } from "@sttkit/azure";
import { BENCH_KEY, type BenchClient, type ClientOptions } from "./client.js";

/** The adapter under test: a `RecognitionStream` whose events are read with `for await`, as the README shows. */
export function openAdapterClient(options: ClientOptions): BenchClient {
  const stt = createAzureSpeechToText(
    { host: options.host, apiKey: BENCH_KEY, sdkProperties: { "SPEECH-TransmitLengthBeforThrottleMs": String(options.throttleMs) } },
    {},
  )._unsafeUnwrap();
  const finalTimes: number[] = [];
  const finalCallbackTimes: number[] = [];
  const stream = stt
    .stream({
      format: options.format,
      onEvent: (event) => {
        if (event.type === "final") finalCallbackTimes.push(performance.now());
      },
    })
    ._unsafeUnwrap();
  let interimCharacters = 0;
  const consuming = (async () => {
    for await (const event of stream) {
      if (event.type === "final") finalTimes.push(performance.now());
      else if (event.type === "interim") interimCharacters += event.text.length;
    }
  })();
  return {
    finalTimes,
    finalCallbackTimes,
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
