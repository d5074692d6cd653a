import fc from "fast-check";
import { ok, type Result } from "neverthrow";
import { describe, expect, it } from "vitest";
import { DEFAULT_AUDIO_FORMAT } from "../../audio/format.js";
import { isSttError, sttError, type SttError } from "../../errors.js";
import type { SpeechEvent } from "../../events.js";
import type { RecognitionDriver, RecognitionSink } from "./driver.js";
import { createRecognitionStream } from "./recognition-stream.js";

/**
 * The provider side of the stream, driven by the generated operations: it can saturate, drain,
 * report finals and fail, as a real provider may at any moment.
 */
class FuzzDriver implements RecognitionDriver {
  readonly copiesAudio: boolean;
  sink: RecognitionSink | undefined;
  readonly received: Uint8Array[] = [];
  saturated = false;
  finishCalls = 0;
  disposeCalls = 0;
  #finishing: ((result: Result<void, SttError>) => void) | undefined;

  constructor(copiesAudio: boolean) {
    this.copiesAudio = copiesAudio;
  }

  start(sink: RecognitionSink): void {
    this.sink = sink;
  }

  write(pcm: Uint8Array): boolean {
    // A driver that copies must copy during the call; one that does not may keep the chunk.
    this.received.push(this.copiesAudio ? pcm.slice() : pcm);
    return !this.saturated;
  }

  finish(): Promise<Result<void, SttError>> {
    this.finishCalls += 1;
    return new Promise((resolve) => {
      this.#finishing = resolve;
    });
  }

  /** The provider delivers its last words and stops (when finish() is pending). */
  completeFinish(): void {
    this.#finishing?.(ok(undefined));
    this.#finishing = undefined;
  }

  dispose(): Promise<void> {
    this.disposeCalls += 1;
    this.completeFinish();
    return Promise.resolve();
  }
}

type Operation =
  | { readonly op: "write"; readonly bytes: Uint8Array; readonly reuse: boolean }
  | { readonly op: "write-huge" }
  | { readonly op: "write-garbage"; readonly value: unknown }
  | { readonly op: "end" }
  | { readonly op: "close" }
  | { readonly op: "end-and-close" }
  | { readonly op: "saturate" }
  | { readonly op: "drain" }
  | { readonly op: "final"; readonly text: string }
  | { readonly op: "interim"; readonly text: string }
  | { readonly op: "provider-fails" }
  | { readonly op: "provider-finishes" }
  | { readonly op: "tick" };

const operation: fc.Arbitrary<Operation> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ op: fc.constant("write" as const), bytes: fc.uint8Array({ maxLength: 700 }), reuse: fc.boolean() }) },
  { weight: 1, arbitrary: fc.constant({ op: "write-huge" as const }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("write-garbage" as const), value: fc.oneof(fc.anything(), fc.constant(new ArrayBuffer(4)), fc.constant([1, 2])) }) },
  { weight: 1, arbitrary: fc.constantFrom<Operation>({ op: "end" }, { op: "close" }, { op: "end-and-close" }) },
  { weight: 2, arbitrary: fc.constantFrom<Operation>({ op: "saturate" }, { op: "drain" }, { op: "tick" }, { op: "provider-finishes" }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constantFrom("final" as const, "interim" as const), text: fc.string({ maxLength: 12 }) }) },
  { weight: 1, arbitrary: fc.constant({ op: "provider-fails" as const }) },
);

const HUGE_BYTES = 8 * 1024 * 1024 + 1;

/** Settles `promise` or reports a hang, so a stuck stream fails the property instead of the run. */
async function withinMs<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, hang]);
  } finally {
    clearTimeout(timer);
  }
}

describe("RecognitionStream under random sequences of operations", () => {
  it("never throws or hangs, keeps every accepted byte in order, delivers each final once and disposes once", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(operation, { maxLength: 40 }), fc.boolean(), async (operations, copiesAudio) => {
        const driver = new FuzzDriver(copiesAudio);
        const stream = createRecognitionStream({ provider: "fuzz", format: DEFAULT_AUDIO_FORMAT, driver, finishIdleTimeoutMs: 50 });
        const events: SpeechEvent[] = [];
        const reading = (async () => {
          for await (const event of stream) events.push(event);
        })();
        const accepted: Uint8Array[] = [];
        const pending: Array<Promise<unknown>> = [];
        const ending = async () => await stream.end();
        let finalsEmitted = 0;
        for (const step of operations) {
          switch (step.op) {
            case "write": {
              const buffer = step.bytes.slice();
              const written = stream.write(buffer);
              if (written.isOk()) {
                accepted.push(step.bytes);
                if (!written.value) pending.push(stream.drained());
              } else {
                expect(isSttError(written.error)).toBe(true);
              }
              // Callers reuse their buffers: what was written must not change with it.
              if (step.reuse) buffer.fill(0xee);
              break;
            }
            case "write-huge": {
              const huge = new Uint8Array(HUGE_BYTES).fill(7);
              if (stream.write(huge).isOk()) accepted.push(huge);
              break;
            }
            case "write-garbage":
              if (!(step.value instanceof Uint8Array)) expect(stream.write(step.value as Uint8Array)._unsafeUnwrapErr().kind).toBe("invalid-argument");
              break;
            case "end":
              pending.push(ending());
              break;
            case "close":
              pending.push(stream.close());
              break;
            case "end-and-close":
              pending.push(ending(), stream.close(), ending());
              break;
            case "saturate":
              driver.saturated = true;
              break;
            case "drain":
              driver.saturated = false;
              driver.sink?.drain();
              break;
            case "final":
              if (stream.state === "open" || stream.state === "ending") finalsEmitted += 1;
              driver.sink?.emit({ type: "final", segment: { text: step.text, startMs: 0, endMs: 1 } });
              break;
            case "interim":
              driver.sink?.emit({ type: "interim", text: step.text, startMs: 0, endMs: 1 });
              break;
            case "provider-fails":
              driver.sink?.fail(sttError({ kind: "connection", provider: "fuzz", message: "lost" }));
              break;
            case "provider-finishes":
              driver.completeFinish();
              break;
            case "tick":
              await new Promise((resolve) => setImmediate(resolve));
              break;
          }
        }
        const ended = await withinMs(ending(), 1_000, "end()");
        await withinMs(stream.close(), 1_000, "close()");
        await withinMs(Promise.all([...pending, reading]), 1_000, "pending calls and the event iterator");

        expect(["ended", "failed", "closed"]).toContain(stream.state);
        if (ended.isErr()) expect(isSttError(ended.error)).toBe(true);
        expect(stream.write(new Uint8Array(2)).isErr()).toBe(true);

        const sent = Buffer.concat(accepted);
        const received = Buffer.concat(driver.received);
        expect(received.byteLength % 2).toBe(0);
        expect(received.equals(sent.subarray(0, received.byteLength))).toBe(true);
        // Only a split frame at the very end may be held back (and dropped by end()).
        if (ended.isOk()) expect(sent.byteLength - received.byteLength).toBeLessThan(2);

        expect(events.filter((event) => event.type === "final")).toHaveLength(finalsEmitted);
        expect(events.filter((event) => event.type === "usage")).toHaveLength(1);
        expect(events.at(-1)?.type === "usage" || events.at(-1)?.type === "error").toBe(true);
        expect(driver.disposeCalls).toBe(1);
        expect(driver.finishCalls).toBeLessThanOrEqual(1);
        if (ended.isOk()) expect(ended.value.segments).toHaveLength(finalsEmitted);
      }),
      { numRuns: 200 },
    );
  }, 120_000);
});
