import { runConformanceSuite } from "@sttkit/conformance";
import { openaiConformanceTarget } from "./conformance-target.test-support.js";

// stream() on a Realtime transcription session; transcribe() on the batch endpoint with the default
// model (gpt-4o-transcribe: one segment per upload).
runConformanceSuite(openaiConformanceTarget({ batchModel: "gpt-4o-transcribe" }));
