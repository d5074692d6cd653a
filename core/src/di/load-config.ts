import { readFile } from "node:fs/promises";
import { errAsync, okAsync, ResultAsync } from "neverthrow";
import type { SttConfig } from "./container.js";
import { describeCause, sttError, type SttError } from "../errors.js";

/** Where {@link loadSttConfig} looks, in order of precedence (highest first). */
export interface SttConfigSources {
  /** Explicit overrides, for example from command-line flags. */
  readonly overrides?: Partial<SttConfig>;
  /** Path of a JSON config file. Defaults to the `STT_CONFIG` environment variable, if set. */
  readonly file?: string;
  /** The environment: `STT_PROVIDER` picks the provider. Defaults to `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The configuration used where nothing else says otherwise. */
  readonly defaults: SttConfig;
}

/**
 * Builds the {@link SttConfig} an application binds with, from defaults, a JSON file, the
 * environment and explicit overrides (each later source wins; provider sections are merged
 * shallowly). This is what makes the vendor swap a configuration change: `STT_PROVIDER=azure`,
 * or `"provider": "azure"` in the file, rebinds every consumer of `SpeechToText`.
 */
export function loadSttConfig(sources: SttConfigSources): ResultAsync<SttConfig, SttError> {
  const env = sources.env ?? process.env;
  const file = sources.file ?? env["STT_CONFIG"];
  const fromFile = file ? readConfigFile(file) : okAsync<Record<string, unknown>, SttError>({});
  return fromFile.andThen((fileConfig) => {
    const fromEnv = env["STT_PROVIDER"] ? { provider: env["STT_PROVIDER"] } : {};
    const merged = mergeConfigs([sources.defaults, fileConfig, fromEnv, sources.overrides ?? {}]);
    if (typeof merged["provider"] !== "string" || merged["provider"].length === 0) {
      return errAsync(
        sttError({ kind: "invalid-argument", argument: "provider", message: "The configuration names no provider." }),
      );
    }
    return okAsync(merged as SttConfig);
  });
}

function mergeConfigs(layers: ReadonlyArray<Readonly<Record<string, unknown>>>): Record<string, unknown> {
  const merged: Record<string, unknown> = {};
  for (const layer of layers) {
    for (const [key, value] of Object.entries(layer)) {
      if (value === undefined) continue;
      const previous = merged[key];
      merged[key] = isPlainObject(previous) && isPlainObject(value) ? { ...previous, ...value } : value;
    }
  }
  return merged;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function readConfigFile(path: string): ResultAsync<Record<string, unknown>, SttError> {
  return ResultAsync.fromPromise(readFile(path, "utf8"), (cause) =>
    sttError({
      kind: "invalid-argument",
      argument: "config",
      message: `Cannot read the config file ${path}: ${describeCause(cause)}`,
      cause,
    }),
  ).andThen((text) => {
    try {
      const parsed: unknown = JSON.parse(text);
      if (!isPlainObject(parsed)) throw new Error("the top level must be a JSON object");
      return okAsync(parsed);
    } catch (cause) {
      return errAsync(
        sttError({
          kind: "invalid-argument",
          argument: "config",
          message: `The config file ${path} is not valid: ${describeCause(cause)}`,
          cause,
        }),
      );
    }
  });
}
