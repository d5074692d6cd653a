import fc from "fast-check";
import { describe, it } from "vitest";
import { anyValue, expectTypedResult } from "../../../conformance/src/suite/random-calls.js";
import { createOfflineSpeechToText } from "./index.js";

// stream() with options of any type and random call sequences on real engine streams are
// conformance scenarios (offline.conformance.test.ts); the factory's config is this adapter's own.
describe("offline adapter factory under random input", () => {
  it("createOfflineSpeechToText of any config: a typed error or an adapter, never a throw", () => {
    const configs = fc.oneof(
      anyValue,
      fc.record({ language: anyValue, finishTimeoutMs: anyValue, dictionary: anyValue, languageModel: anyValue, acousticModel: anyValue }, { requiredKeys: [] }),
    );
    fc.assert(fc.property(configs, (config) => expectTypedResult(createOfflineSpeechToText(config as never))), { numRuns: 1_000 });
  });
});
