import { Language } from "@sttkit/core";
import { describe, expect, it } from "vitest";
import { createDeepgramSpeechToText } from "./index.js";
import { validateDeepgramConfig } from "./validate-config.js";

const KEY = "config-test-key";

describe("Deepgram settings are checked before anything connects", () => {
  it("reads the key from DEEPGRAM_API_KEY and applies the defaults", () => {
    const config = validateDeepgramConfig({}, { DEEPGRAM_API_KEY: KEY })._unsafeUnwrap();
    expect(config).toMatchObject({ credentials: { kind: "key", apiKey: KEY }, model: "nova-3", languages: ["en-US"], interimResults: true, punctuate: true, vadEvents: true });
    expect(config.ttfsP99LatencyMs).toBe(800);
  });

  it("refuses a missing credential, both credentials, and a malformed one without echoing it", () => {
    expect(validateDeepgramConfig({}, {})._unsafeUnwrapErr().kind).toBe("authentication");
    expect(validateDeepgramConfig({ apiKey: KEY, accessToken: "t" }, {})._unsafeUnwrapErr().kind).toBe("invalid-argument");
    const spaced = validateDeepgramConfig({ apiKey: "has a secret space" }, {})._unsafeUnwrapErr();
    expect(spaced.kind).toBe("invalid-argument");
    expect(JSON.stringify(spaced)).not.toContain("secret");
  });

  it("normalises baseUrl and refuses credentials, queries and other schemes in it", () => {
    expect(validateDeepgramConfig({ apiKey: KEY, baseUrl: "wss://dg.example.internal:8443/" }, {})._unsafeUnwrap().baseUrl).toBe("https://dg.example.internal:8443");
    expect(validateDeepgramConfig({ apiKey: KEY, baseUrl: "ws://127.0.0.1:9000" }, {})._unsafeUnwrap().baseUrl).toBe("http://127.0.0.1:9000");
    for (const baseUrl of ["ftp://x", "http://user:pw@host", "http://host?x=1", "not a url"]) {
      expect(validateDeepgramConfig({ apiKey: KEY, baseUrl }, {})._unsafeUnwrapErr()).toMatchObject({ kind: "invalid-argument", argument: "deepgram.baseUrl" });
    }
  });

  it("maps languages to Deepgram's codes and refuses what the model does not offer", () => {
    const stt = createDeepgramSpeechToText({ apiKey: KEY }, {})._unsafeUnwrap();
    expect(stt.stream({ language: Language.SW_KE }).isErr() && stt.stream({ language: Language.SW_KE })._unsafeUnwrapErr().kind).toBe("unsupported-language");
    expect(stt.stream({ language: "xx-XX" as never })._unsafeUnwrapErr().kind).toBe("unsupported-language");
    expect(stt.stream({ language: [Language.EN_US, Language.SV_SE] })._unsafeUnwrapErr().kind).toBe("unsupported-language");
    expect(validateDeepgramConfig({ apiKey: KEY, model: "enhanced", language: [Language.EN_US, Language.ES_ES] }, {})._unsafeUnwrapErr().kind).toBe("unsupported-language");
    expect(validateDeepgramConfig({ apiKey: KEY, language: Language.TH_TH }, {}).isOk()).toBe(true);
  });

  it("refuses unknown settings and values out of range, naming the setting", () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ region: "x" }, "deepgram.region"],
      [{ endpointing: 5 }, "deepgram.endpointing"],
      [{ endpointing: true }, "deepgram.endpointing"],
      [{ utteranceEndMs: 500 }, "deepgram.utteranceEndMs"],
      [{ utteranceEndMs: 1000, interimResults: false }, "deepgram.utteranceEndMs"],
      [{ keepAliveIntervalMs: 20_000 }, "deepgram.keepAliveIntervalMs"],
      [{ redact: ["PCI!"] }, "deepgram.redact"],
      [{ tags: "one" }, "deepgram.tags"],
      [{ keyterms: [""] }, "deepgram.keyterms"],
      [{ model: "nova 3" }, "deepgram.model"],
      [{ diarize: "yes" }, "deepgram.diarize"],
      [{ reconnect: { maxAttempts: -1 } }, "deepgram.reconnect.maxAttempts"],
      [{ requestRetries: 9 }, "deepgram.requestRetries"],
    ];
    for (const [settings, argument] of cases) {
      expect(validateDeepgramConfig({ apiKey: KEY, ...settings }, {})._unsafeUnwrapErr(), JSON.stringify(settings)).toMatchObject({ kind: "invalid-argument", argument });
    }
  });

  it("declares its capabilities truthfully: diarization only when configured, recovery only when on", () => {
    const plain = createDeepgramSpeechToText({ apiKey: KEY }, {})._unsafeUnwrap();
    expect(plain.capabilities.diarization).toBe(false);
    expect(plain.capabilities.reconnects).toBe(true);
    const tuned = createDeepgramSpeechToText({ apiKey: KEY, diarize: true, reconnect: { maxAttempts: 0 }, ttfsP99Latency: 1.2 }, {})._unsafeUnwrap();
    expect(tuned.capabilities).toMatchObject({ diarization: true, reconnects: false, ttfsP99LatencyMs: 1200 });
  });

  it("refuses stream formats Deepgram cannot take, before connecting", () => {
    const stt = createDeepgramSpeechToText({ apiKey: KEY }, {})._unsafeUnwrap();
    expect(stt.stream({ format: { sampleRate: 384_000, channels: 1, bitsPerSample: 16 } })._unsafeUnwrapErr().kind).toMatch(/unsupported-option|invalid-audio/);
    expect(stt.stream({ format: { sampleRate: 16_000, channels: 9, bitsPerSample: 16 } })._unsafeUnwrapErr().kind).toBe("invalid-audio");
    expect(stt.stream({ phrases: [""] })._unsafeUnwrapErr().kind).toBe("invalid-argument");
  });
});
