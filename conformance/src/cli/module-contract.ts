import type { SpeechToText, SttError } from "@sttkit/core";
import { sttError } from "@sttkit/core/kit";
import type { SttConfig, SttProviderDefinition } from "@sttkit/core/di";
import { err, ok, type Result } from "neverthrow";
import { loadFixtures, type ResolvedFixture } from "../manifest/load.js";
import type { ConformanceTarget } from "../suite/target.js";

/**
 * A conformance target built from a DI provider definition: the registered provider and its
 * settings section stand in for `create`, the shipped fixtures for `fixtures`. What the adapter
 * promises (capabilities, WER bounds, faults...) is still written down by its author: the suite
 * holds the adapter to the declaration, so it cannot be read from the adapter itself.
 *
 * ```ts
 * export const conformanceTarget: ProviderConformanceTarget = {
 *   provider: myProvider,
 *   settings: { model: "small" },
 *   capabilities: { streaming: true, interimResults: false, ... },
 *   werBounds: { clean: 0.3 },
 * };
 * ```
 */
export interface ProviderConformanceTarget extends Omit<ConformanceTarget, "create" | "fixtures" | "name"> {
  /** The provider definition, as registered with `createSttContainer`. */
  readonly provider: SttProviderDefinition;
  /** Its settings section (what the configuration file would hold under the provider's name). */
  readonly settings?: unknown;
  /** Names the suite; default `provider.name`. */
  readonly name?: string;
  /** The fixtures to run; default the shipped ones (`loadFixtures()`). */
  readonly fixtures?: readonly ResolvedFixture[];
}

/** A factory of a conformance target: called once, with no arguments, before the scenarios are registered. */
export type ConformanceTargetFactory = () =>
  | ConformanceTarget
  | ProviderConformanceTarget
  | Result<ConformanceTarget | ProviderConformanceTarget, SttError>
  | Promise<ConformanceTarget | ProviderConformanceTarget | Result<ConformanceTarget | ProviderConformanceTarget, SttError>>;

/**
 * What a module given to `sttkit conformance --adapter MODULE` exports, as its named export
 * `conformanceTarget` or, without one, as its default export: a {@link ConformanceTarget}, a
 * {@link ProviderConformanceTarget}, or a {@link ConformanceTargetFactory} returning either (or a
 * `Result` of either, or a promise of any of these).
 */
export type ConformanceModuleExport = ConformanceTarget | ProviderConformanceTarget | ConformanceTargetFactory;

/** The names the command looks for, in this order. */
export const CONFORMANCE_MODULE_EXPORTS: readonly string[] = ["conformanceTarget", "default"];

const CONTRACT =
  "export `conformanceTarget` (or a default export): a ConformanceTarget { name, create, fixtures, capabilities, werBounds }, " +
  "a provider target { provider: SttProviderDefinition, settings?, capabilities, werBounds }, or a function returning either";

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

function isResult(value: unknown): value is Result<unknown, SttError> {
  return isRecord(value) && typeof value["isOk"] === "function" && typeof value["isErr"] === "function";
}

/** What a declaration must hold besides how to build the adapter. */
function declarationProblems(value: Record<string, unknown>): string[] {
  const problems: string[] = [];
  if (!isRecord(value["capabilities"])) problems.push("capabilities (the SttCapabilities the adapter must declare)");
  if (!isRecord(value["werBounds"]) || typeof (value["werBounds"] as Record<string, unknown>)["clean"] !== "number") problems.push("werBounds ({ clean, noisy?, narrowband?, long? })");
  return problems;
}

/** The target for a provider definition: each scenario builds a fresh adapter from the same settings. */
function providerTarget(value: ProviderConformanceTarget): Result<ConformanceTarget, string> {
  const { provider, settings, name, fixtures, ...declaration } = value;
  let resolvedFixtures = fixtures;
  if (resolvedFixtures === undefined) {
    const loaded = loadFixtures();
    if (loaded.isErr()) return err(`cannot load the shipped fixtures: ${loaded.error.message}`);
    resolvedFixtures = loaded.value.fixtures;
  }
  const config: SttConfig = { provider: provider.name, [provider.name]: settings };
  return ok({
    ...declaration,
    name: name ?? provider.name,
    fixtures: resolvedFixtures,
    async create() {
      // A definition may throw despite its contract; the scenario then fails with a typed error, not a throw.
      try {
        return provider.create(settings, config).map((stt: SpeechToText) => ({ stt }));
      } catch (cause) {
        return err(sttError({ kind: "provider", provider: provider.name, message: `${provider.name}.create() threw: ${cause instanceof Error ? cause.message : String(cause)}`, cause }));
      }
    },
  });
}

/** Checks one exported value (already called, if it was a factory) against the contract. */
function targetOf(value: unknown): Result<ConformanceTarget, string> {
  if (!isRecord(value)) return err(`it is ${value === null ? "null" : typeof value}; ${CONTRACT}`);
  const provider = value["provider"];
  if (isRecord(provider) && typeof provider["create"] === "function" && typeof provider["name"] === "string") {
    const missing = declarationProblems(value);
    if (missing.length > 0) return err(`its provider target lacks ${missing.join(" and ")}`);
    return providerTarget(value as unknown as ProviderConformanceTarget);
  }
  if (typeof value["create"] === "function" && typeof value["name"] === "string" && !("capabilities" in value) && !("fixtures" in value)) {
    return err(`it is a provider definition ("${value["name"]}") alone; export { provider, settings, capabilities, werBounds } so the suite knows what the adapter promises`);
  }
  const missing = [
    ...(typeof value["name"] === "string" ? [] : ["name"]),
    ...(typeof value["create"] === "function" ? [] : ["create(context)"]),
    ...(Array.isArray(value["fixtures"]) ? [] : ["fixtures (for example loadFixtures().fixtures)"]),
    ...declarationProblems(value),
  ];
  if (missing.length > 0) return err(`it is not a conformance target: it lacks ${missing.join(", ")}; ${CONTRACT}`);
  return ok(value as unknown as ConformanceTarget);
}

/**
 * Finds the conformance target a module exports (see {@link ConformanceModuleExport}), calling a
 * factory if it is one. The error says what is wrong in the module's terms; it never throws, even
 * when a factory does.
 */
export async function resolveConformanceModule(module: unknown): Promise<Result<ConformanceTarget, string>> {
  if (!isRecord(module)) return err(`the module has no exports; ${CONTRACT}`);
  const exportName = CONFORMANCE_MODULE_EXPORTS.find((name) => module[name] !== undefined);
  if (exportName === undefined) {
    const names = Object.keys(module);
    return err(`the module exports ${names.length > 0 ? names.map((name) => `\`${name}\``).join(", ") : "nothing"}; ${CONTRACT}`);
  }
  let value: unknown = module[exportName];
  if (typeof value === "function") {
    try {
      value = await (value as () => unknown)();
    } catch (cause) {
      return err(`\`${exportName}()\` threw: ${cause instanceof Error ? cause.message : String(cause)}`);
    }
    if (isResult(value)) {
      if (value.isErr()) return err(`\`${exportName}()\` returned an error: ${value.error.kind}: ${value.error.message}`);
      value = value.value;
    }
  }
  return targetOf(value).mapErr((problem) => `\`${exportName}\`: ${problem}`);
}
