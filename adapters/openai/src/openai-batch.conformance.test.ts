import { runConformanceSuite } from "@sttkit/conformance";
import { openaiConformanceTarget } from "./conformance-target.test-support.js";

// The batch path: transcribe() on whisper-1 (verbose_json: every segment's text and times checked
// against the recorded answer), stream() on Realtime as in every OpenAI adapter.
runConformanceSuite(openaiConformanceTarget({ batchModel: "whisper-1" }));
