import { err, ok, type Result } from "neverthrow";
import { describeValue, isSttError, sttError, type SttError } from "../errors.js";
import { parseLanguage, type Language } from "../language.js";
import type { RecoverySettings } from "./stream/connection-recovery.js";

/**
 * Why a setting was refused: a sentence for an `invalid-argument` error on the setting's path, or
 * a ready {@link SttError} of another kind (`unsupported-option`, `unsupported-language`).
 *
 * @category Settings tables
 */
export type SettingProblem = string | SttError;

/**
 * How one setting of an adapter's configuration section is checked: `parse` receives the value
 * as found in configuration (never `undefined`: an absent setting takes `default`, or stays
 * `undefined`) and returns it converted, or the problem.
 *
 * @category Settings tables
 */
export interface SettingRule<T> {
  /** Checks and converts a value that is present. */
  readonly parse: (value: unknown) => Result<T, SettingProblem>;
  /** The value an absent setting takes. Without it, an absent setting reads as `undefined`. */
  readonly default?: T;
}

/**
 * A rule with a default: its setting always has a value after validation.
 *
 * @category Settings tables
 */
export interface DefaultedSettingRule<T> extends SettingRule<T> {
  /** The value an absent setting takes. */
  readonly default: T;
}

/**
 * An adapter's settings, one rule per key. Type it against the adapter's public config interface
 * (`satisfies SettingsTable<AzureConfig>`) so every documented key has exactly one rule.
 *
 * @category Settings tables
 */
export type SettingsTable<Config> = { readonly [K in keyof Config]-?: SettingRule<unknown> };

/**
 * What {@link readSettings} returns for a table: each key's parsed value, `undefined` only where the rule has no default.
 *
 * @category Settings tables
 */
export type ReadSettings<Table> = {
  readonly [K in keyof Table]: Table[K] extends DefaultedSettingRule<infer T> ? T : Table[K] extends SettingRule<infer T> ? T | undefined : never;
};

/**
 * Keys that would reach `Object.prototype` through a plain object: refused everywhere settings are read.
 *
 * @category Settings tables
 */
export const FORBIDDEN_SETTING_KEYS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

/**
 * `true` for a plain object (not null, not an array).
 *
 * @category Settings tables
 */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Validates a configuration section against its table: an object (absent counts as empty), no
 * key the table does not know, every present value accepted by its rule, defaults applied. The
 * first problem is an `Err` naming the setting as `<section>.<key>`, with `provider` set.
 *
 * @category Settings tables
 */
export function readSettings<Table extends Readonly<Record<string, SettingRule<unknown>>>>(
  section: string,
  provider: string,
  settings: unknown,
  table: Table,
): Result<ReadSettings<Table>, SttError> {
  const given: Record<string, unknown> | undefined = settings === undefined || settings === null ? {} : isRecord(settings) ? settings : undefined;
  if (given === undefined) {
    return err(sttError({ kind: "invalid-argument", argument: section, provider, message: `The ${section} settings must be an object, not ${describeValue(settings)}.` }));
  }
  const known = Object.keys(table);
  for (const key of Object.keys(given)) {
    if (FORBIDDEN_SETTING_KEYS.has(key) || !Object.hasOwn(table, key)) {
      return err(
        sttError({
          kind: "invalid-argument",
          argument: `${section}.${key}`,
          provider,
          message: `Unknown ${section} setting "${key}". Known settings: ${known.join(", ")}.`,
        }),
      );
    }
  }
  const read: Record<string, unknown> = {};
  for (const key of known) {
    const rule = table[key] as SettingRule<unknown>;
    const value = given[key];
    if (value === undefined) {
      read[key] = rule.default;
      continue;
    }
    const parsed = rule.parse(value);
    if (parsed.isErr()) return err(settingError(`${section}.${key}`, provider, parsed.error));
    read[key] = parsed.value;
  }
  return ok(read as ReadSettings<Table>);
}

/**
 * Turns a rule's problem into the error {@link readSettings} returns for the setting at `path`.
 *
 * @category Settings tables
 */
export function settingError(path: string, provider: string, problem: SettingProblem): SttError {
  if (isSttError(problem)) return { ...problem, provider };
  return sttError({ kind: "invalid-argument", argument: path, provider, message: `${path} ${problem}` });
}

/**
 * Checks one value against a rule outside a table (a stream option read with the same rule as the
 * setting): the rule's problem becomes the error {@link readSettings} would give for `path`.
 *
 * @category Settings tables
 */
export function parseSetting<T>(rule: SettingRule<T>, value: unknown, path: string, provider: string): Result<T, SttError> {
  return rule.parse(value).mapErr((problem) => settingError(path, provider, problem));
}

/**
 * Gives a rule a default value.
 *
 * @category Settings tables
 */
export function withDefault<T>(rule: SettingRule<T>, value: T): DefaultedSettingRule<T> {
  return { parse: rule.parse, default: value };
}

/**
 * A non-empty string, trimmed.
 *
 * @category Settings tables
 */
export function textSetting(): SettingRule<string> {
  return {
    parse: (value) => (typeof value === "string" && value.trim().length > 0 ? ok(value.trim()) : err("must be a non-empty string.")),
  };
}

/**
 * `true` or `false`.
 *
 * @category Settings tables
 */
export function flagSetting(): SettingRule<boolean> {
  return { parse: (value) => (typeof value === "boolean" ? ok(value) : err("must be true or false.")) };
}

/**
 * A finite number within `[min, max]`, optionally an integer.
 *
 * @category Settings tables
 */
export function numberSetting(range: { readonly min: number; readonly max: number; readonly integer: boolean }): SettingRule<number> {
  return {
    parse: (value) => {
      const inRange =
        typeof value === "number" && Number.isFinite(value) && (!range.integer || Number.isInteger(value)) && value >= range.min && value <= range.max;
      if (inRange) return ok(value);
      return err(`must be ${range.integer ? "an integer" : "a number"} from ${range.min} to ${range.max}; got ${describeJson(value)}.`);
    },
  };
}

/**
 * A URL with one of the given schemes, without credentials in it (they would end up in logs and
 * error messages; credentials belong in their own settings) and, unless `query` is allowed,
 * without a query or fragment. Gives the parsed `URL`; an adapter's own rule adds what is
 * particular to its service (a path that must or must not be there, a normalised base).
 *
 * @param schemes - the accepted schemes with their colon, e.g. `["http:", "https:"]`.
 * @param options.credentialsHint - where credentials go instead, said in the problem (e.g. `"give the key as apiKey"`).
 * @param options.query - `true` to accept a query and fragment.
 * @category Settings tables
 */
export function urlSetting(schemes: readonly string[], options: { readonly credentialsHint?: string; readonly query?: boolean } = {}): SettingRule<URL> {
  const expected = `must be a URL starting with ${schemes.map((scheme) => `${scheme}//`).join(" or ")}`;
  return {
    parse: (value) => {
      if (typeof value !== "string" || value.trim().length === 0) return err(`${expected}.`);
      let url: URL;
      try {
        url = new URL(value.trim());
      } catch {
        return err("is not a URL.");
      }
      if (!schemes.includes(url.protocol)) return err(`${expected}; got ${url.protocol}//.`);
      if (url.username !== "" || url.password !== "") return err(`must not carry credentials${options.credentialsHint ? `; ${options.credentialsHint}` : ""}.`);
      if (!options.query && (url.search !== "" || url.hash !== "")) return err("must not have a query or fragment.");
      return ok(url);
    },
  };
}

/**
 * One of a fixed set of strings.
 *
 * @category Settings tables
 */
export function choiceSetting<const T extends string>(choices: readonly T[]): SettingRule<T> {
  return {
    parse: (value) =>
      typeof value === "string" && (choices as readonly string[]).includes(value) ? ok(value as T) : err(`must be one of ${choices.join(", ")}; got ${describeJson(value)}.`),
  };
}

/**
 * A list of non-empty strings, each trimmed.
 *
 * @category Settings tables
 */
export function textListSetting(): SettingRule<readonly string[]> {
  return {
    parse: (value) =>
      Array.isArray(value) && value.every((item) => typeof item === "string" && item.trim().length > 0)
        ? ok(value.map((item: string) => item.trim()))
        : err("must be a list of non-empty strings."),
  };
}

/**
 * One language tag or a list of them, each a {@link Language} (duplicates dropped): at least one,
 * at most `max`. More than `max` is `tooMany`'s problem for the count given (default: an
 * `invalid-argument` sentence). Whether the provider offers each language is the adapter's to check.
 *
 * @category Settings tables
 */
export function languagesSetting(limits: { readonly max: number; readonly tooMany?: (count: number) => SettingProblem }): SettingRule<readonly Language[]> {
  return {
    parse: (value) => {
      const tags: readonly unknown[] = Array.isArray(value) ? value : [value];
      if (tags.length === 0) return err("must name at least one language.");
      if (tags.length > limits.max) return err(limits.tooMany?.(tags.length) ?? `must name at most ${limits.max} languages.`);
      const languages: Language[] = [];
      for (const tag of tags) {
        if (typeof tag !== "string") return err('must be a language tag such as "en-US", or a list of them.');
        const parsed = parseLanguage(tag);
        if (parsed.isErr()) return err(parsed.error);
        if (!languages.includes(parsed.value)) languages.push(parsed.value);
      }
      return ok(languages);
    },
  };
}

/**
 * A map of names to strings (raw SDK properties, tags).
 *
 * @category Settings tables
 */
export function textMapSetting(): SettingRule<Readonly<Record<string, string>>> {
  return {
    parse: (value) =>
      isRecord(value) && !Object.keys(value).some((key) => FORBIDDEN_SETTING_KEYS.has(key)) && Object.values(value).every((item) => typeof item === "string")
        ? ok({ ...(value as Record<string, string>) })
        : err("must map names to string values."),
  };
}

/**
 * A nested section with its own table (`reconnect: { maxAttempts, ... }`); absent keys take their defaults.
 *
 * @category Settings tables
 */
export function sectionSetting<Table extends Readonly<Record<string, SettingRule<unknown>>>>(
  section: string,
  provider: string,
  table: Table,
): DefaultedSettingRule<ReadSettings<Table>> {
  const defaults = Object.fromEntries(Object.entries(table).map(([key, rule]) => [key, rule.default])) as ReadSettings<Table>;
  return { parse: (value) => readSettings(section, provider, value, table), default: defaults };
}

/**
 * The rules of the `reconnect` section of an adapter that replays audio after a lost connection
 * ({@link ConnectionRecovery}): `maxAttempts` 0–100 (default 3), `maxReplaySeconds` 1–3600
 * (default 120), `backoffMs` 0–60 000 (default 200). Use it as
 * `reconnect: sectionSetting("<section>.reconnect", provider, RECONNECT_SETTINGS)`.
 *
 * @category Settings tables
 */
export const RECONNECT_SETTINGS = {
  maxAttempts: withDefault(numberSetting({ min: 0, max: 100, integer: true }), 3),
  maxReplaySeconds: withDefault(numberSetting({ min: 1, max: 3_600, integer: false }), 120),
  backoffMs: withDefault(numberSetting({ min: 0, max: 60_000, integer: true }), 200),
} as const satisfies SettingsTable<Partial<RecoverySettings>>;

function describeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? describeValue(value);
  } catch {
    return describeValue(value);
  }
}
