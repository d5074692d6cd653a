import { describe, expect, it } from "vitest";
import { validateAzureConfig } from "./validate-config.js";

const noEnv = {};
const withKey = { apiKey: "k", region: "westeurope" };

function errorOf(settings: unknown, env: Record<string, string | undefined> = noEnv) {
  const result = validateAzureConfig(settings, env);
  if (result.isOk()) throw new Error(`expected an error for ${JSON.stringify(settings)}`);
  return result.error;
}

describe("validateAzureConfig: credentials", () => {
  it("takes key and region from the environment when the config has none", () => {
    const resolved = validateAzureConfig({}, { AZURE_SPEECH_API_KEY: "env-key", AZURE_SPEECH_REGION: "eastus" })._unsafeUnwrap();
    expect(resolved.credentials).toEqual({ kind: "key", apiKey: "env-key" });
    expect(resolved.address).toEqual({ kind: "region", region: "eastus" });
  });

  it("prefers explicit settings over the environment", () => {
    const resolved = validateAzureConfig(withKey, { AZURE_SPEECH_API_KEY: "env-key", AZURE_SPEECH_REGION: "eastus" })._unsafeUnwrap();
    expect(resolved.credentials).toEqual({ kind: "key", apiKey: "k" });
    expect(resolved.address).toEqual({ kind: "region", region: "westeurope" });
  });

  it("reports missing credentials as an authentication error naming the environment variables", () => {
    for (const settings of [{}, { region: "westeurope" }, { apiKey: "k" }]) {
      const error = errorOf(settings);
      expect(error.kind).toBe("authentication");
      expect(error.message).toContain("AZURE_SPEECH_API_KEY");
      expect(error.message).toContain("AZURE_SPEECH_REGION");
    }
  });

  it("accepts an authorization token with a region, and does not mix it with the environment key", () => {
    const resolved = validateAzureConfig({ authorizationToken: "tok", region: "westus" }, { AZURE_SPEECH_API_KEY: "env-key" })._unsafeUnwrap();
    expect(resolved.credentials).toEqual({ kind: "token", token: "tok" });
  });

  it("rejects a key and a token together", () => {
    expect(errorOf({ ...withKey, authorizationToken: "tok" })).toMatchObject({ kind: "invalid-argument", argument: "azure.authorizationToken" });
  });

  it("accepts a host or an endpoint without a key (Speech containers)", () => {
    const host = validateAzureConfig({ host: "ws://127.0.0.1:5000" }, noEnv)._unsafeUnwrap();
    expect(host.address.kind).toBe("host");
    expect(host.credentials.kind).toBe("none");
    const endpoint = validateAzureConfig({ endpoint: "wss://example.test/speech/recognition/conversation/cognitiveservices/v1" }, noEnv)._unsafeUnwrap();
    expect(endpoint.address.kind).toBe("endpoint");
  });

  it("rejects bad addresses before connecting", () => {
    expect(errorOf({ host: "http://127.0.0.1:5000" })).toMatchObject({ kind: "invalid-argument", argument: "azure.host" });
    expect(errorOf({ host: "not a url" })).toMatchObject({ kind: "invalid-argument", argument: "azure.host" });
    expect(errorOf({ endpoint: "ws://127.0.0.1:5000/" })).toMatchObject({ kind: "invalid-argument", argument: "azure.endpoint" });
    expect(errorOf({ host: "ws://a", endpoint: "ws://b/x" })).toMatchObject({ kind: "invalid-argument" });
    expect(errorOf({ apiKey: "k", region: "west europe" })).toMatchObject({ kind: "invalid-argument", argument: "azure.region" });
  });
});

describe("validateAzureConfig: options", () => {
  it("applies the documented defaults", () => {
    const resolved = validateAzureConfig(withKey, noEnv)._unsafeUnwrap();
    expect(resolved).toMatchObject({
      languages: ["en-US"],
      sampleRate: undefined,
      ttfsP99LatencyMs: 1800,
      phrases: [],
      detailed: false,
      wordTimings: false,
      connectTimeoutMs: 10_000,
      finishTimeoutMs: 30_000,
      reconnect: { maxAttempts: 3, maxReplaySeconds: 120, backoffMs: 200 },
      sdkProperties: {},
    });
  });

  it("converts ttfsP99Latency seconds to milliseconds", () => {
    expect(validateAzureConfig({ ...withKey, ttfsP99Latency: 0.75 }, noEnv)._unsafeUnwrap().ttfsP99LatencyMs).toBe(750);
  });

  it("parses one language or several, dropping duplicates", () => {
    expect(validateAzureConfig({ ...withKey, language: "de-DE" }, noEnv)._unsafeUnwrap().languages).toEqual(["de-DE"]);
    expect(validateAzureConfig({ ...withKey, language: ["en-US", "de-DE", "en-US"] }, noEnv)._unsafeUnwrap().languages).toEqual(["en-US", "de-DE"]);
  });

  it("rejects unknown languages, empty lists and too many candidates", () => {
    expect(errorOf({ ...withKey, language: "xx-XX" }).kind).toBe("unsupported-language");
    expect(errorOf({ ...withKey, language: [] }).kind).toBe("invalid-argument");
    expect(errorOf({ ...withKey, language: Array.from({ length: 11 }, () => "en-US") }).kind).toBe("unsupported-option");
  });

  it.each([
    [{ sampleRate: 11_025 }, "unsupported-option"],
    [{ sampleRate: "16000" }, "unsupported-option"],
    [{ profanity: "bleep" }, "invalid-argument"],
    [{ segmentationSilenceTimeoutMs: 50 }, "invalid-argument"],
    [{ segmentationSilenceTimeoutMs: 6_000 }, "invalid-argument"],
    [{ segmentationSilenceTimeoutMs: 500.5 }, "invalid-argument"],
    [{ connectTimeoutMs: 0 }, "invalid-argument"],
    [{ finishTimeoutMs: -1 }, "invalid-argument"],
    [{ ttfsP99Latency: 0 }, "invalid-argument"],
    [{ ttfsP99Latency: Number.NaN }, "invalid-argument"],
    [{ detailed: "yes" }, "invalid-argument"],
    [{ phrases: ["ok", ""] }, "invalid-argument"],
    [{ phrases: "Contoso" }, "invalid-argument"],
    [{ endpointId: "" }, "invalid-argument"],
    [{ reconnect: { maxAttempts: -1 } }, "invalid-argument"],
    [{ reconnect: { attempts: 3 } }, "invalid-argument"],
    [{ reconnect: 3 }, "invalid-argument"],
    [{ sdkProperties: { a: 1 } }, "invalid-argument"],
    [{ regoin: "westeurope" }, "invalid-argument"],
  ])("rejects %j as %s", (extra, kind) => {
    expect(errorOf({ ...withKey, ...extra }).kind).toBe(kind);
  });

  it("names the offending setting", () => {
    expect(errorOf({ ...withKey, reconnect: { maxAttempts: 1.5 } })).toMatchObject({ argument: "azure.reconnect.maxAttempts" });
    expect(errorOf({ ...withKey, regoin: "x" })).toMatchObject({ argument: "azure.regoin" });
  });

  it("keeps valid optional settings", () => {
    const resolved = validateAzureConfig(
      {
        ...withKey,
        sampleRate: 8_000,
        endpointId: "my-model",
        phrases: [" Contoso ", "Jessie"],
        profanity: "raw",
        segmentationSilenceTimeoutMs: 600,
        detailed: true,
        wordTimings: true,
        connectTimeoutMs: 500,
        finishTimeoutMs: 2_000,
        reconnect: { maxAttempts: 0 },
        sdkProperties: { "SPEECH-TransmitLengthBeforThrottleMs": "100000" },
      },
      noEnv,
    )._unsafeUnwrap();
    expect(resolved).toMatchObject({
      sampleRate: 8_000,
      endpointId: "my-model",
      phrases: ["Contoso", "Jessie"],
      profanity: "raw",
      segmentationSilenceTimeoutMs: 600,
      detailed: true,
      wordTimings: true,
      connectTimeoutMs: 500,
      finishTimeoutMs: 2_000,
      reconnect: { maxAttempts: 0, maxReplaySeconds: 120, backoffMs: 200 },
      sdkProperties: { "SPEECH-TransmitLengthBeforThrottleMs": "100000" },
    });
  });

  it("rejects settings that are not an object", () => {
    expect(errorOf("westeurope").kind).toBe("invalid-argument");
    expect(errorOf([withKey]).kind).toBe("invalid-argument");
  });
});
