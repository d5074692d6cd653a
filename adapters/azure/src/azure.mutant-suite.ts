import type { SpeechToText } from "@sttkit/core";
import { MUTANTS, mutate, runConformanceSuite, type MutantName } from "@sttkit/conformance";
import { azureConformanceTarget } from "./conformance-target.test-support.js";

// The conformance suite against the Azure adapter broken as STTKIT_MUTANT names; run by
// azure.mutants.test.ts, which expects the mutant's scenario to fail.
// "none" runs the same wrapper-free adapter, as the control that the scenarios pass without a defect.
const name = process.env["STTKIT_MUTANT"];
const mutant = MUTANTS.find((candidate) => candidate.name === name)?.name;
if (mutant === undefined && name !== "none") throw new Error(`STTKIT_MUTANT must be "none" or name a mutant (${MUTANTS.map((m) => m.name).join(", ")}), not ${String(name)}`);
const wrap = mutant === undefined ? undefined : (stt: SpeechToText) => mutate(stt, mutant as MutantName);
runConformanceSuite({ ...azureConformanceTarget(wrap), name: `azure, mutant ${name}` });
