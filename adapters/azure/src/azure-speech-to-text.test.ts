import { describe, expect, it } from "vitest";
import { createSpeechToText } from "@sttkit/core/di";
import { azureProvider, createAzureSpeechToText } from "./index.js";

describe("createAzureSpeechToText", () => {
  it("declares its capabilities from the configuration", () => {
    const stt = createAzureSpeechToText({ apiKey: "k", region: "westeurope", ttfsP99Latency: 2.5 }, {})._unsafeUnwrap();
    expect(stt.provider).toBe("azure");
    expect(stt.capabilities).toMatchObject({
      streaming: true,
      interimResults: true,
      wordTimings: true,
      languageDetection: true,
      customVocabulary: true,
      diarization: false,
      ttfsP99LatencyMs: 2_500,
      reconnects: true,
    });
    expect(stt.capabilities.sampleRates).toEqual(expect.arrayContaining([8_000, 16_000]));
    const telephony = createAzureSpeechToText({ apiKey: "k", region: "westeurope", sampleRate: 8_000 }, {})._unsafeUnwrap();
    expect(telephony.capabilities.sampleRates).toEqual([8_000]);
    expect(telephony.capabilities.ttfsP99LatencyMs).toBe(1_800);
  });

  it("fails with a typed error, before connecting, on bad settings or stream options", () => {
    expect(createAzureSpeechToText({ apiKey: "k", region: "westeurope", profanity: "bleep" as never }, {})._unsafeUnwrapErr().kind).toBe("invalid-argument");
    const stt = createAzureSpeechToText({ apiKey: "k", region: "westeurope" }, {})._unsafeUnwrap();
    const nineChannels = stt.stream({ format: { sampleRate: 16_000, channels: 9, bitsPerSample: 16 } });
    expect(nineChannels._unsafeUnwrapErr().kind).toBe("invalid-audio");
  });
});

describe("azure.maxUnsentAudioMs (backpressure)", () => {
  it("accepts an integer number of milliseconds from 100 to 600 000, and nothing else", () => {
    const base = { apiKey: "k", region: "westeurope" };
    expect(createAzureSpeechToText({ ...base, maxUnsentAudioMs: 2_000 }, {}).isOk()).toBe(true);
    expect(createAzureSpeechToText({ ...base, maxUnsentAudioMs: undefined }, {}).isOk()).toBe(true);
    for (const bad of [0, 99, 600_001, 1.5, Number.NaN, "5000", null]) {
      expect(createAzureSpeechToText({ ...base, maxUnsentAudioMs: bad as never }, {})._unsafeUnwrapErr()).toMatchObject({
        kind: "invalid-argument",
        argument: "azure.maxUnsentAudioMs",
      });
    }
    // The other settings are still checked as before.
    expect(createAzureSpeechToText({ ...base, maxUnsentAudioMs: 2_000, bogus: 1 } as never, {})._unsafeUnwrapErr().kind).toBe("invalid-argument");
  });
});

describe("azureProvider", () => {
  it("is registered as azure and validates its settings section", () => {
    expect(azureProvider.name).toBe("azure");
    const bad = createSpeechToText({ provider: "azure", azure: { host: "http://nope" } }, [azureProvider]);
    expect(bad._unsafeUnwrapErr()).toMatchObject({ kind: "invalid-argument", argument: "azure.host" });
    const good = createSpeechToText({ provider: "azure", azure: { host: "ws://127.0.0.1:9" } }, [azureProvider]);
    expect(good._unsafeUnwrap().provider).toBe("azure");
  });
});
