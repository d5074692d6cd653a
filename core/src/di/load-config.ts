import { readFileAtMost } from "../io/read-file-at-most.js";
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
    const layers = [sources.defaults, fileConfig, fromEnv, sources.overrides ?? {}];
    for (const layer of layers) {
      const forbidden = forbiddenKeyIn(layer);
      if (forbidden !== undefined) return errAsync(forbiddenKeyError(forbidden, file && layer === fileConfig ? `The config file ${file}` : "The configuration"));
    }
    const merged = mergeConfigs(layers);
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

/** The largest config file read: far above any real configuration, and a bound on what is read. */
export const MAX_CONFIG_FILE_BYTES = 1024 * 1024;

/**
 * Keys that reach an object's prototype when assigned: merging `{"__proto__": {...}}` from a file
 * would replace the merged configuration's prototype (and `constructor`/`prototype` are as
 * suspicious in a settings file). JSON.parse creates them as own properties, so they must be
 * looked for.
 */
const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

/** The dotted path of the first forbidden key anywhere in `root`, if any (iterative: no depth limit). */
function forbiddenKeyIn(root: unknown): string | undefined {
  const pending: Array<{ readonly value: unknown; readonly path: string }> = [{ value: root, path: "" }];
  const seen = new Set<object>();
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { value, path } = next;
    if (typeof value !== "object" || value === null || seen.has(value)) continue;
    seen.add(value);
    for (const key of Object.keys(value)) {
      const at = path ? `${path}.${key}` : key;
      if (FORBIDDEN_KEYS.has(key)) return at;
      pending.push({ value: (value as Record<string, unknown>)[key], path: at });
    }
  }
  return undefined;
}

function forbiddenKeyError(path: string, where: string): SttError {
  return sttError({
    kind: "invalid-argument",
    argument: "config",
    message: `${where} sets "${path}": the keys __proto__, constructor and prototype are not allowed in a configuration.`,
  });
}

/** Reads at most {@link MAX_CONFIG_FILE_BYTES}, then closes the file; a larger one (or one that grows, or a device) is refused. */
async function readBounded(path: string): Promise<string> {
  const bytes = await readFileAtMost(path, MAX_CONFIG_FILE_BYTES);
  if (bytes === undefined) throw new Error(`it is more than the ${MAX_CONFIG_FILE_BYTES} bytes allowed`);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
}

function readConfigFile(path: string): ResultAsync<Record<string, unknown>, SttError> {
  return ResultAsync.fromPromise(readBounded(path), (cause) =>
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
