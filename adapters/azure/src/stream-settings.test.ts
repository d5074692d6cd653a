import { describe, expect, it } from "vitest";
import { Language } from "@sttkit/core";
import { azureCapabilities, resolveStreamSettings } from "./stream-settings.js";
import { validateAzureConfig } from "./validate-config.js";

function config(extra: Record<string, unknown> = {}) {
  return validateAzureConfig({ apiKey: "k", region: "westeurope", ...extra }, {})._unsafeUnwrap();
}

/** The adapter's own path: the config's capabilities, then the stream's options. */
function settingsFor(resolved: ReturnType<typeof config>, options: unknown) {
  return resolveStreamSettings(resolved, azureCapabilities(resolved), options);
}

describe("resolveStreamSettings", () => {
  it("defaults to 16 kHz mono, the configured language, interim results on", () => {
    const settings = settingsFor(config(), {})._unsafeUnwrap();
    expect(settings.format).toEqual({ sampleRate: 16_000, channels: 1, bitsPerSample: 16 });
    expect(settings.languages).toEqual(["en-US"]);
    expect(settings.interimResults).toBe(true);
    expect(settings.detailed).toBe(false);
  });

  it("uses the configured sample rate when the stream names no format", () => {
    expect(settingsFor(config({ sampleRate: 8_000 }), {})._unsafeUnwrap().format.sampleRate).toBe(8_000);
  });

  it("converts stereo, other rates and a rate that differs from the configuration to what Azure takes", () => {
    const stereo = settingsFor(config(), { format: { sampleRate: 16_000, channels: 2, bitsPerSample: 16 } })._unsafeUnwrap();
    expect(stereo.format).toEqual({ sampleRate: 16_000, channels: 1, bitsPerSample: 16 });
    expect(stereo.options.inputFormat.channels).toBe(2);
    const odd = settingsFor(config(), { format: { sampleRate: 11_025, channels: 1, bitsPerSample: 16 } })._unsafeUnwrap();
    expect(odd.format.sampleRate).toBe(16_000);
    const fixed = settingsFor(config({ sampleRate: 8_000 }), { format: { sampleRate: 16_000, channels: 1, bitsPerSample: 16 } })._unsafeUnwrap();
    expect(fixed.format.sampleRate).toBe(8_000);
    const tooFast = settingsFor(config(), { format: { sampleRate: 384_000, channels: 1, bitsPerSample: 16 } });
    expect(tooFast._unsafeUnwrapErr().kind).toBe("invalid-audio");
  });

  it("lets the stream choose languages, word timings and add phrases", () => {
    const settings = settingsFor(config({ phrases: ["Contoso"] }), {
      language: [Language.EN_US, Language.DE_DE],
      wordTimings: true,
      interimResults: false,
      phrases: ["Fabrikam", "Contoso"],
    })._unsafeUnwrap();
    expect(settings.languages).toEqual(["en-US", "de-DE"]);
    expect(settings.wordTimings).toBe(true);
    expect(settings.detailed).toBe(true);
    expect(settings.interimResults).toBe(false);
    expect(settings.phrases).toEqual(["Contoso", "Fabrikam"]);
  });

  it("rejects bad stream languages and phrases", () => {
    expect(settingsFor(config(), { language: "xx" as Language })._unsafeUnwrapErr().kind).toBe("unsupported-language");
    expect(settingsFor(config(), { phrases: [""] })._unsafeUnwrapErr().kind).toBe("invalid-argument");
  });
});
