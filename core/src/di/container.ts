import "reflect-metadata";
import { Container, ContainerModule } from "inversify";
import { err, ok, type Result } from "neverthrow";
import { describeCause, sttError, type SttError } from "../errors.js";
import type { SpeechToText } from "../speech-to-text.js";

/**
 * Configuration that picks the speech-to-text provider. `provider` names it; the section of the
 * same name holds that provider's own settings, for example
 * `{ provider: "azure", azure: { region: "westeurope" } }`. Swapping vendors changes this object
 * (or the file or environment it is read from), never application code.
 */
export interface SttConfig {
  /** The provider to bind, by its registered name. */
  readonly provider: string;
  /** Per-provider settings sections, keyed by provider name. */
  readonly [section: string]: unknown;
}

/** Registers a provider with the DI wiring: its name and how to build it from its settings. */
export interface SttProviderDefinition {
  /** The name used in {@link SttConfig.provider}. */
  readonly name: string;
  /**
   * Validates the provider's settings section (which may be absent) and builds the adapter.
   * `config` is the whole configuration, for providers composed of others (failover).
   */
  create(settings: unknown, config: SttConfig): Result<SpeechToText, SttError>;
}

/** Injection tokens. Inject `SttTokens.SpeechToText` wherever speech is recognised. */
export const SttTokens = Object.freeze({
  /** The bound {@link SpeechToText} implementation. */
  SpeechToText: Symbol.for("@sttkit/core/SpeechToText"),
  /** The {@link SttConfig} the binding was made from. */
  SttConfig: Symbol.for("@sttkit/core/SttConfig"),
});

/**
 * Builds the adapter that `config` selects from the registered `providers`. An unknown provider
 * or invalid settings are an `Err`, before anything is bound.
 */
export function createSpeechToText(
  config: SttConfig,
  providers: readonly SttProviderDefinition[],
): Result<SpeechToText, SttError> {
  if (typeof config?.provider !== "string" || config.provider.length === 0) {
    return err(
      sttError({
        kind: "invalid-argument",
        argument: "provider",
        message: `The configuration must name a provider (one of: ${providerNames(providers)}).`,
      }),
    );
  }
  const definition = providers.find((candidate) => candidate.name === config.provider);
  if (!definition) {
    return err(
      sttError({
        kind: "invalid-argument",
        argument: "provider",
        message: `Unknown speech-to-text provider "${config.provider}": registered providers are ${providerNames(providers)}.`,
      }),
    );
  }
  try {
    return definition.create(config[config.provider], config);
  } catch (cause) {
    return err(
      sttError({
        kind: "provider",
        provider: config.provider,
        message: `The "${config.provider}" provider failed to start.`,
        detail: describeCause(cause),
        cause,
      }),
    );
  }
}

function providerNames(providers: readonly SttProviderDefinition[]): string {
  return providers.length === 0 ? "(none registered)" : providers.map((p) => `"${p.name}"`).join(", ");
}

/**
 * An inversify module binding `SttTokens.SpeechToText` to the provider `config` selects,
 * as a singleton, and {@link SttTokens.SttConfig} to the config itself. The adapter is built (and
 * its settings validated) here, so a bad configuration is an `Err` now rather than a throw at
 * resolution time.
 */
export function sttContainerModule(
  config: SttConfig,
  providers: readonly SttProviderDefinition[],
): Result<ContainerModule, SttError> {
  return createSpeechToText(config, providers).map(
    (speechToText) =>
      new ContainerModule(({ bind }) => {
        bind<SpeechToText>(SttTokens.SpeechToText).toConstantValue(speechToText);
        bind<SttConfig>(SttTokens.SttConfig).toConstantValue(config);
      }),
  );
}

/** A new container with {@link sttContainerModule} loaded: the shortest path from config to adapter. */
export function createSttContainer(
  config: SttConfig,
  providers: readonly SttProviderDefinition[],
): Result<Container, SttError> {
  return sttContainerModule(config, providers).map((module) => {
    const container = new Container();
    container.load(module);
    return container;
  });
}

/** Resolves the bound {@link SpeechToText}; an `Err` instead of a throw when nothing is bound. */
export function resolveSpeechToText(container: Container): Result<SpeechToText, SttError> {
  if (!container.isBound(SttTokens.SpeechToText)) {
    return err(
      sttError({
        kind: "invalid-argument",
        argument: "container",
        message: "No SpeechToText is bound: load sttContainerModule(config, providers) first.",
      }),
    );
  }
  return ok(container.get<SpeechToText>(SttTokens.SpeechToText));
}
