import type { ResolvedFixture } from "../../manifest/load.js";
import { checkRandomCallSequences, checkStreamWithAnyOptions, checkTranscribeWithAnyInput } from "../random-calls.js";
import type { SuiteContext } from "../context.js";
import { scenario } from "../scenario.js";

const DEFAULT_RANDOM_SEQUENCES = 20;
const ANY_OPTIONS_RUNS = 200;
const ANY_TRANSCRIBE_INPUT_RUNS = 100;

/** Bad input from any caller: options of any type, random call sequences, transcribe() of random bytes: typed results, never a throw or hang. */
export function registerFuzzingScenarios(context: SuiteContext): void {
  const { target, timeout, audioOf, withInstance } = context;
  const lastWordsFixture = context.picks.speech;

  scenario({ id: "fuzz-stream-options", theme: "fuzzing", label: "stream() with options of any type" }, "stream() with options of any type: a typed error or a stream, never a throw", { timeout }, async () => {
    const fixture = lastWordsFixture ?? target.fixtures[0];
    if (!fixture) return;
    await withInstance(fixture, ({ stt }) => checkStreamWithAnyOptions(stt, ANY_OPTIONS_RUNS));
  });

  scenario({ id: "fuzz-call-sequences", theme: "fuzzing", label: "random call sequences" }, "random sequences of writes, end() and close(): typed results, no throw, no hang", { skip: !lastWordsFixture, timeout: timeout * 2 }, async () => {
    const fixture = lastWordsFixture as ResolvedFixture;
    await withInstance(fixture, ({ stt }) => checkRandomCallSequences(stt, audioOf(fixture), target.randomSequences ?? DEFAULT_RANDOM_SEQUENCES));
  });

  scenario({ id: "fuzz-transcribe-input", theme: "fuzzing", label: "transcribe() of random input" }, "transcribe() of random bytes, cut WAVs and odd options: a typed error or a transcript", { skip: !lastWordsFixture, timeout: timeout * 2 }, async () => {
    const fixture = lastWordsFixture as ResolvedFixture;
    await withInstance(fixture, ({ stt }) => checkTranscribeWithAnyInput(stt, audioOf(fixture), ANY_TRANSCRIBE_INPUT_RUNS));
  });
}
