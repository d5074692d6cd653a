import { it } from "vitest";
import type { ResolvedFixture } from "../../manifest/load.js";
import { checkRandomCallSequences, checkStreamWithAnyOptions, checkTranscribeWithAnyInput } from "../random-calls.js";
import type { SuiteContext } from "../context.js";

const DEFAULT_RANDOM_SEQUENCES = 20;
const ANY_OPTIONS_RUNS = 200;
const ANY_TRANSCRIBE_INPUT_RUNS = 100;

/** Bad input from any caller: options of any type, random call sequences, transcribe() of random bytes: typed results, never a throw or hang. */
export function registerFuzzingScenarios(context: SuiteContext): void {
  const { target, timeout, audioOf, withInstance } = context;
  const lastWordsFixture = context.picks.speech;

  it("stream() with options of any type: a typed error or a stream, never a throw", async () => {
    const fixture = lastWordsFixture ?? target.fixtures[0];
    if (!fixture) return;
    await withInstance(fixture, ({ stt }) => checkStreamWithAnyOptions(stt, ANY_OPTIONS_RUNS));
  }, timeout);

  it.skipIf(!lastWordsFixture)("random sequences of writes, end() and close(): typed results, no throw, no hang", async () => {
    const fixture = lastWordsFixture as ResolvedFixture;
    await withInstance(fixture, ({ stt }) => checkRandomCallSequences(stt, audioOf(fixture), target.randomSequences ?? DEFAULT_RANDOM_SEQUENCES));
  }, timeout * 2);

  it.skipIf(!lastWordsFixture)("transcribe() of random bytes, cut WAVs and odd options: a typed error or a transcript", async () => {
    const fixture = lastWordsFixture as ResolvedFixture;
    await withInstance(fixture, ({ stt }) => checkTranscribeWithAnyInput(stt, audioOf(fixture), ANY_TRANSCRIBE_INPUT_RUNS));
  }, timeout * 2);
}
