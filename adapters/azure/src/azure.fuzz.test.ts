import fc from "fast-check";
import { describe, it } from "vitest";
import { anyValue, expectTypedResult } from "../../../conformance/src/suite/random-calls.js";
import { createAzureSpeechToText } from "./index.js";

// stream() options of any type, random call sequences and transcribe() of random input are
// conformance scenarios (azure.conformance.test.ts); the factory's config is this adapter's own.

/** Configs near the valid ones, so the fuzzing reaches past the first check. */
const configs = fc.oneof(
  anyValue,
  fc.record(
    {
      region: fc.oneof(fc.constantFrom("westeurope", "eastus"), anyValue),
      apiKey: fc.oneof(fc.string(), anyValue),
      host: fc.oneof(fc.constantFrom("ws://127.0.0.1:1", "http://x", "not a url", "wss://h/path?q"), anyValue),
      endpoint: anyValue,
      language: fc.oneof(fc.constantFrom("en-US", "de-DE", ["en-US", "fr-FR"]), anyValue),
      sampleRate: fc.oneof(fc.constantFrom(8_000, 16_000, 44_100), anyValue),
      endpointId: anyValue,
      phrases: fc.oneof(fc.array(fc.string()), anyValue),
      profanity: anyValue,
      reconnect: fc.oneof(fc.record({ maxAttempts: anyValue, backoffMs: anyValue, maxReplaySeconds: anyValue }, { requiredKeys: [] }), anyValue),
      connectTimeoutMs: anyValue,
      finishTimeoutMs: anyValue,
      maxUnsentAudioMs: fc.oneof(fc.constantFrom(100, 5_000), anyValue),
      sdkProperties: fc.oneof(fc.dictionary(fc.string(), fc.string()), anyValue),
      transcribeWith: fc.oneof(fc.constantFrom("fast", "realtime"), anyValue),
      fastTranscription: fc.oneof(fc.record({ maxUploadBytes: anyValue, maxAudioSeconds: anyValue, responseTimeoutMs: anyValue, maxSpeakers: anyValue }, { requiredKeys: [] }), anyValue),
      diarization: anyValue,
    },
    { requiredKeys: [] },
  ),
);

describe("Azure adapter entry points under random input", () => {
  it("createAzureSpeechToText of any config and environment: a typed error or an adapter, never a throw", () => {
    fc.assert(
      fc.property(configs, fc.oneof(fc.dictionary(fc.string(), fc.string()), fc.constant({})), (config, env) => {
        expectTypedResult(createAzureSpeechToText(config as never, env));
      }),
      { numRuns: 1_000 },
    );
  });
});
