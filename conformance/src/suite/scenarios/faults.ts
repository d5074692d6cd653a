import type { SttErrorKind } from "@sttkit/core";
import { describe, expect } from "vitest";
import type { ResolvedFixture } from "../../manifest/load.js";
import { driveStream, finalsOf, type StreamRun } from "../drive-stream.js";
import { CONFORMANCE_FAULTS, type FaultOutcome } from "../target.js";
import type { SuiteContext } from "../context.js";
import { scenario } from "../scenario.js";

/** Every fault the target's service stand-in can inject: the declared typed error, or a transparent recovery with every final exactly once. */
export function registerFaultScenarios(context: SuiteContext): void {
  const { target, speed, timeout, audioOf, withInstance, runFixture, expectCleanRun } = context;
  const faultFixture = context.picks.fault;

  const declaredFaults = CONFORMANCE_FAULTS.filter((fault) => target.faults?.[fault] !== undefined);
  describe.skipIf(declaredFaults.length === 0 || !faultFixture)("injected faults", () => {
    let reference: StreamRun | undefined;
    for (const fault of declaredFaults) {
      const outcome = target.faults?.[fault] as FaultOutcome;
      const title = "error" in outcome ? `${fault}: fails with a typed "${outcome.error}" error` : `${fault}: recovers, every final exactly once`;
      scenario({ id: `fault-${fault}`, theme: "faults", label: `fault: ${fault}` }, title, { timeout: timeout * 2 }, async () => {
        const fixture = faultFixture as ResolvedFixture;
        reference ??= await runFixture(fixture);
        const run = await withInstance(fixture, ({ stt }) => driveStream(stt, audioOf(fixture), { speed }), { fault });
        expect(run.iterationFinished).toBe(true);
        if ("error" in outcome) {
          const error = run.openError ?? (run.result?.isErr() ? run.result.error : undefined);
          expect(error?.kind, `expected a ${outcome.error} error, got ${error ? error.kind : "success"}`).toBe(outcome.error as SttErrorKind);
          if (!run.openError) {
            const last = run.events.at(-1)?.event;
            expect(last?.type === "error" && last.fatal && last.error.kind).toBe(outcome.error);
          }
        } else {
          expectCleanRun(run, fixture);
          expect(finalsOf(run).map((s) => s.text)).toEqual(finalsOf(reference).map((s) => s.text));
        }
      });
    }
  });
}
