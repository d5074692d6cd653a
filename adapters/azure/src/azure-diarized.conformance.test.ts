import { runConformanceSuite } from "@sttkit/conformance";
import { azureConformanceTarget } from "./conformance-target.test-support.js";

// Every stream through the SDK's conversation transcriber, transcribe() with diarization: the same fixtures, faults and finals.
runConformanceSuite(azureConformanceTarget(undefined, "fast", { diarization: true }));
