import { runConformanceSuite } from "@sttkit/conformance";
import { azureConformanceTarget } from "./conformance-target.test-support.js";

// The same suite with transcribe() through a real-time stream (azure.transcribeWith "realtime").
runConformanceSuite(azureConformanceTarget(undefined, "realtime"));
