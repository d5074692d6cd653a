import { expect } from "vitest";
import type { ResolvedFixture } from "../../manifest/load.js";
import { driveStream, finalTextOf } from "../drive-stream.js";
import type { SuiteContext } from "../context.js";
import { scenario } from "../scenario.js";

const DEFAULT_PARALLEL_STREAMS = 100;

/** Many streams at once on one adapter instance: every one completes, and all agree. */
export function registerLoadScenarios(context: SuiteContext): void {
  const { target, speed, timeout, audioOf, withInstance } = context;
  const lastWordsFixture = context.picks.speech;

  const parallel = target.parallelStreams ?? DEFAULT_PARALLEL_STREAMS;
  scenario({ id: "parallel-streams", theme: "load", label: "parallel streams all complete" }, `${parallel} streams in parallel all complete`, { skip: !lastWordsFixture, timeout: timeout * 4 }, async () => {
    const fixture = lastWordsFixture as ResolvedFixture;
    await withInstance(
      fixture,
      async ({ stt }) => {
        const runs = await Promise.all(
          Array.from({ length: parallel }, () => driveStream(stt, audioOf(fixture), { speed })),
        );
        const failures = runs.filter((run) => run.openError || run.result?.isErr());
        expect(failures.map((run) => run.openError?.message ?? (run.result?.isErr() ? run.result.error.message : ""))).toEqual([]);
        const texts = new Set(runs.map(finalTextOf));
        expect(texts.size, "parallel streams of the same audio disagree").toBe(1);
      },
      { concurrentStreams: parallel },
    );
  });
}
