import { describe, expect, it } from "vitest";
import { Language } from "@sttkit/core";
import { createOpenAISpeechToText } from "./openai-speech-to-text.js";
import { validateOpenAIConfig } from "./validate-config.js";

const key = { apiKey: "sk-test" };

function errorOf(settings: unknown, env: Record<string, string | undefined> = {}) {
  const result = validateOpenAIConfig(settings, env);
  if (result.isOk()) throw new Error(`expected an error for ${JSON.stringify(settings)}`);
  return result.error;
}

describe("validateOpenAIConfig", () => {
  it("takes the key and base URL from the environment, explicit settings first", () => {
    const fromEnv = validateOpenAIConfig({}, { OPENAI_API_KEY: " env-key ", OPENAI_BASE_URL: "https://gateway.test/v1/" })._unsafeUnwrap();
    expect(fromEnv.apiKey).toBe("env-key");
    expect(fromEnv.baseURL).toBe("https://gateway.test/v1");
    const explicit = validateOpenAIConfig({ apiKey: "k", baseURL: "http://127.0.0.1:8080/v1" }, { OPENAI_API_KEY: "env-key", OPENAI_BASE_URL: "https://x.test/v1" })._unsafeUnwrap();
    expect(explicit.apiKey).toBe("k");
    expect(explicit.baseURL).toBe("http://127.0.0.1:8080/v1");
    expect(validateOpenAIConfig(key, {})._unsafeUnwrap().baseURL).toBe("https://api.openai.com/v1");
  });

  it("reports a missing key as an authentication error naming OPENAI_API_KEY", () => {
    const error = errorOf({});
    expect(error.kind).toBe("authentication");
    expect(error.message).toContain("OPENAI_API_KEY");
  });

  it("applies every default", () => {
    const resolved = validateOpenAIConfig(key, {})._unsafeUnwrap();
    expect(resolved.batch).toEqual({
      model: "gpt-4o-transcribe",
      streamDeltas: true,
      maxUploadBytes: 24_000_000,
      maxUploadSeconds: 1400,
      concurrency: 2,
      temperature: undefined,
      timeoutMs: 600_000,
      maxRetries: 2,
      maxRetryAfterMs: 60_000,
    });
    expect(resolved.realtime).toEqual({ model: "gpt-4o-transcribe", urlModel: undefined, noiseReduction: undefined, vadThreshold: 0.5, prefixPaddingMs: 300, silenceDurationMs: 500 });
    expect(resolved.language).toBeUndefined();
    expect(resolved.connectTimeoutMs).toBe(10_000);
    expect(resolved.finishTimeoutMs).toBe(30_000);
  });

  it("derives the declared latency from the closing silence unless it is set", () => {
    expect(validateOpenAIConfig(key, {})._unsafeUnwrap().ttfsP99LatencyMs).toBe(2000);
    expect(validateOpenAIConfig({ ...key, realtime: { silenceDurationMs: 1200 } }, {})._unsafeUnwrap().ttfsP99LatencyMs).toBe(2700);
    expect(validateOpenAIConfig({ ...key, ttfsP99Latency: 0.9 }, {})._unsafeUnwrap().ttfsP99LatencyMs).toBe(900);
  });

  it("refuses unknown settings, with the known ones listed, in every section", () => {
    expect(errorOf({ ...key, modle: "whisper-1" })).toMatchObject({ kind: "invalid-argument", argument: "openai.modle" });
    expect(errorOf({ ...key, batch: { modle: "whisper-1" } })).toMatchObject({ kind: "invalid-argument", argument: "openai.batch.modle" });
    expect(errorOf({ ...key, realtime: { vad: 1 } })).toMatchObject({ kind: "invalid-argument", argument: "openai.realtime.vad" });
  });

  it("refuses bad values before anything connects", () => {
    expect(errorOf({ ...key, baseURL: "wss://api.openai.com/v1" })).toMatchObject({ argument: "openai.baseURL" });
    expect(errorOf({ ...key, baseURL: "https://user:pw@host/v1" })).toMatchObject({ argument: "openai.baseURL" });
    expect(errorOf({ ...key, baseURL: "https://host/v1?x=1" })).toMatchObject({ argument: "openai.baseURL" });
    expect(errorOf({ ...key, ca: "not a certificate" })).toMatchObject({ argument: "openai.ca" });
    expect(errorOf({ ...key, batch: { model: "whisper-2" } })).toMatchObject({ argument: "openai.batch.model" });
    expect(errorOf({ ...key, batch: { maxUploadBytes: 30 * 1024 * 1024 } })).toMatchObject({ argument: "openai.batch.maxUploadBytes" });
    expect(errorOf({ ...key, batch: { concurrency: 0 } })).toMatchObject({ argument: "openai.batch.concurrency" });
    expect(errorOf({ ...key, realtime: { vadThreshold: 1.5 } })).toMatchObject({ argument: "openai.realtime.vadThreshold" });
    expect(errorOf({ ...key, realtime: { noiseReduction: "studio" } })).toMatchObject({ argument: "openai.realtime.noiseReduction" });
    expect(errorOf({ ...key, phrases: ["ok", ""] })).toMatchObject({ argument: "openai.phrases" });
    expect(errorOf({ ...key }, { OPENAI_BASE_URL: "ftp://x" })).toMatchObject({ kind: "invalid-argument", argument: "OPENAI_BASE_URL" });
    expect(errorOf("not an object")).toMatchObject({ kind: "invalid-argument", argument: "openai" });
  });

  it("takes one language the service offers; others are unsupported-language, lists unsupported-option", () => {
    expect(validateOpenAIConfig({ ...key, language: "de_de" }, {})._unsafeUnwrap().language).toBe(Language.DE_DE);
    expect(validateOpenAIConfig({ ...key, language: "nb-NO" }, {})._unsafeUnwrap().language).toBe(Language.NB_NO);
    expect(errorOf({ ...key, language: "am-ET" })).toMatchObject({ kind: "unsupported-language", provider: "openai" });
    expect(errorOf({ ...key, language: "xx-XX" })).toMatchObject({ kind: "unsupported-language" });
    expect(errorOf({ ...key, language: ["en-US", "de-DE"] })).toMatchObject({ kind: "invalid-argument", argument: "openai.language" });
  });
});

describe("createOpenAISpeechToText", () => {
  it("declares its stream capabilities and what transcribe() gives with the batch model", () => {
    const stt = createOpenAISpeechToText(key, {})._unsafeUnwrap();
    expect(stt.provider).toBe("openai");
    expect(stt.capabilities).toMatchObject({ streaming: true, interimResults: true, wordTimings: false, languageDetection: false, customVocabulary: true, channels: [1], reconnects: false });
    expect(stt.capabilities.sampleRates).toEqual([24000]);
    expect(stt.batch).toEqual({ model: "gpt-4o-transcribe", segmentTimings: false, wordTimings: false, interimResults: true, maxUploadBytes: 24_000_000 });
    const whisper = createOpenAISpeechToText({ ...key, batch: { model: "whisper-1" } }, {})._unsafeUnwrap();
    expect(whisper.batch).toMatchObject({ model: "whisper-1", segmentTimings: true, wordTimings: true, interimResults: false });
  });

  it("refuses stream options it cannot honour before connecting", () => {
    const stt = createOpenAISpeechToText(key, {})._unsafeUnwrap();
    expect(stt.stream({ language: [Language.EN_US, Language.DE_DE] })._unsafeUnwrapErr()).toMatchObject({ kind: "unsupported-option", option: "language" });
    expect(stt.stream({ language: "am-ET" as Language })._unsafeUnwrapErr()).toMatchObject({ kind: "unsupported-language" });
    expect(stt.stream({ wordTimings: true })._unsafeUnwrapErr()).toMatchObject({ kind: "unsupported-option", option: "wordTimings" });
    expect(stt.stream({ format: { sampleRate: 384_000, channels: 1, bitsPerSample: 16 } })._unsafeUnwrapErr()).toMatchObject({ kind: "invalid-audio", reason: "unsupported-sample-rate" });
    expect(stt.stream({ phrases: ["ok", ""] })._unsafeUnwrapErr()).toMatchObject({ kind: "invalid-argument", argument: "phrases" });
  });
});
