import type { RecognitionStream } from "@sttkit/core";
import type { StreamingClient } from "./measure.js";

/**
 * An adapter's `RecognitionStream` as a bench client: its events read with `for await`, as the
 * README shows, each final's arrival timed; backpressure passed on through `drained()`.
 */
export function adapterStreamClient(stream: RecognitionStream): StreamingClient {
  const finalTimes: number[] = [];
  let interimCharacters = 0;
  const consuming = (async () => {
    for await (const event of stream) {
      if (event.type === "final") finalTimes.push(performance.now());
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
