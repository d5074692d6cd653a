import { runConformanceSuite } from "@sttkit/conformance";
import { deepgramConformanceTarget } from "./conformance-target.test-support.js";

runConformanceSuite(deepgramConformanceTarget());
