import { runConformanceSuite } from "@sttkit/conformance";
import { azureConformanceTarget } from "./conformance-target.test-support.js";

runConformanceSuite(azureConformanceTarget());
