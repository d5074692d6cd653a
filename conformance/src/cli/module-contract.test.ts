import type { SpeechToText, SttCapabilities } from "@sttkit/core";
import { sttError } from "@sttkit/core/kit";
import type { SttProviderDefinition } from "@sttkit/core/di";
import { err, ok } from "neverthrow";
import { describe, expect, it } from "vitest";
import { loadFixtures } from "../manifest/load.js";
import type { ConformanceTarget } from "../suite/target.js";
import { resolveConformanceModule } from "./module-contract.js";

const capabilities: SttCapabilities = {
  streaming: true,
  interimResults: false,
  wordTimings: false,
  languageDetection: false,
  customVocabulary: false,
  sampleRates: [16000],
  channels: [1],
  diarization: false,
  ttfsP99LatencyMs: 500,
  reconnects: false,
};
const stt = { provider: "fake", capabilities } as unknown as SpeechToText;
const target: ConformanceTarget = {
  name: "a target",
  fixtures: [],
  capabilities,
  werBounds: { clean: 0.3 },
  create: async () => ok({ stt }),
};

describe("the module contract of sttkit conformance --adapter", () => {
  it("takes a target exported as conformanceTarget, before a default export", async () => {
    expect((await resolveConformanceModule({ conformanceTarget: target, default: 42 }))._unsafeUnwrap()).toBe(target);
    expect((await resolveConformanceModule({ default: target }))._unsafeUnwrap()).toBe(target);
  });

  it("calls a factory, sync or async, and unwraps a Result it returns", async () => {
    expect((await resolveConformanceModule({ conformanceTarget: () => target }))._unsafeUnwrap()).toBe(target);
    expect((await resolveConformanceModule({ default: async () => ok(target) }))._unsafeUnwrap()).toBe(target);
    const failing = await resolveConformanceModule({ conformanceTarget: () => err(sttError({ kind: "authentication", message: "no key in AZURE_SPEECH_API_KEY" })) });
    expect(failing._unsafeUnwrapErr()).toBe("`conformanceTarget()` returned an error: authentication: no key in AZURE_SPEECH_API_KEY");
    const throwing = await resolveConformanceModule({ conformanceTarget: () => { throw new Error("boom"); } });
    expect(throwing._unsafeUnwrapErr()).toBe("`conformanceTarget()` threw: boom");
  });

  it("builds a target from a provider definition and its settings: a fresh adapter per scenario, the shipped fixtures", async () => {
    const seen: unknown[] = [];
    const provider: SttProviderDefinition = {
      name: "fake",
      create(settings, config) {
        seen.push({ settings, config });
        return ok(stt);
      },
    };
    const resolved = (await resolveConformanceModule({ conformanceTarget: { provider, settings: { model: "small" }, capabilities, werBounds: { clean: 0.4 }, parallelStreams: 3 } }))._unsafeUnwrap();
    expect(resolved).toMatchObject({ name: "fake", capabilities, werBounds: { clean: 0.4 }, parallelStreams: 3 });
    expect(resolved.fixtures.map((fixture) => fixture.id)).toEqual(loadFixtures()._unsafeUnwrap().fixtures.map((fixture) => fixture.id));
    const instance = (await resolved.create({ fixture: resolved.fixtures[0]!, concurrentStreams: 1 }))._unsafeUnwrap();
    expect(instance.stt).toBe(stt);
    expect(seen).toEqual([{ settings: { model: "small" }, config: { provider: "fake", fake: { model: "small" } } }]);
  });

  it("turns a provider definition that throws into a typed error of the scenario", async () => {
    const provider: SttProviderDefinition = { name: "fake", create: () => { throw new Error("bad settings"); } };
    const resolved = (await resolveConformanceModule({ default: { provider, capabilities, werBounds: { clean: 0.4 }, fixtures: [] } }))._unsafeUnwrap();
    const created = await resolved.create({ fixture: undefined as never, concurrentStreams: 1 });
    expect(created._unsafeUnwrapErr()).toMatchObject({ kind: "provider", message: "fake.create() threw: bad settings" });
  });

  it.each([
    [{}, "the module exports nothing"],
    [{ helper: 1, other: 2 }, "the module exports `helper`, `other`; export `conformanceTarget`"],
    [{ conformanceTarget: 7 }, "`conformanceTarget`: it is number"],
    [{ default: { name: "fake", create: () => ok(stt) } }, 'it is a provider definition ("fake") alone; export { provider, settings, capabilities, werBounds }'],
    [{ default: { provider: { name: "fake", create: () => ok(stt) }, werBounds: { clean: 0.3 } } }, "its provider target lacks capabilities"],
    [{ conformanceTarget: { ...target, fixtures: undefined } }, "it lacks fixtures"],
    [{ conformanceTarget: { ...target, werBounds: {} } }, "it lacks werBounds"],
    [{ conformanceTarget: () => ({ name: "x" }) }, "it lacks create(context), fixtures"],
  ])("says what is wrong with %j", async (module, message) => {
    expect((await resolveConformanceModule(module))._unsafeUnwrapErr()).toContain(message);
  });
});
