import { runConformanceSuite } from "@sttkit/conformance";
import { azureConformanceTarget } from "./conformance-target.test-support.js";

// Every stream through the SDK's conversation transcriber: the same fixtures, faults and finals.
runConformanceSuite(azureConformanceTarget(undefined, { diarization: true }));
