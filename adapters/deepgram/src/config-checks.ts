import { err, ok, type Result } from "neverthrow";
import { describeValue, sttError, type SttError } from "@sttkit/core";
import { PROVIDER } from "./constants.js";

/** A config section of unknown shape, as read from JSON or environment-driven configuration. */
export type Settings = Readonly<Record<string, unknown>>;

/** An `invalid-argument` error on `deepgram.<path>`. */
export function invalid(path: string, message: string): SttError {
  return sttError({ kind: "invalid-argument", argument: path ? `deepgram.${path}` : "deepgram", provider: PROVIDER, message });
}

/** Whether a value is a plain object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A non-empty string, trimmed, or absent. */
export function optionalString(settings: Settings, key: string, path = key): Result<string | undefined, SttError> {
  const value = settings[key];
  if (value === undefined) return ok(undefined);
  if (typeof value !== "string" || value.trim().length === 0) return err(invalid(path, `deepgram.${path} must be a non-empty string.`));
  return ok(value.trim());
}

/** `true`, `false`, or absent. */
export function optionalBoolean(settings: Settings, key: string, path = key): Result<boolean | undefined, SttError> {
  const value = settings[key];
  if (value === undefined || typeof value === "boolean") return ok(value);
  return err(invalid(path, `deepgram.${path} must be true or false.`));
}

/** An integer within `range`, or absent. */
export function optionalInteger(
  settings: Settings,
  key: string,
  range: { readonly min: number; readonly max: number },
  path = key,
): Result<number | undefined, SttError> {
  const value = settings[key];
  if (value === undefined) return ok(undefined);
  if (typeof value === "number" && Number.isInteger(value) && value >= range.min && value <= range.max) return ok(value);
  return err(invalid(path, `deepgram.${path} must be an integer from ${range.min} to ${range.max}; got ${describeValue(value)}.`));
}

/** A finite number within `range`, or absent. */
export function optionalNumber(
  settings: Settings,
  key: string,
  range: { readonly min: number; readonly max: number },
  path = key,
): Result<number | undefined, SttError> {
  const value = settings[key];
  if (value === undefined) return ok(undefined);
  if (typeof value === "number" && Number.isFinite(value) && value >= range.min && value <= range.max) return ok(value);
  return err(invalid(path, `deepgram.${path} must be a number from ${range.min} to ${range.max}; got ${describeValue(value)}.`));
}

/** The longest term, tag or redaction name accepted: the query string must stay bounded. */
const MAX_ITEM_LENGTH = 256;
/** The most terms, tags or redactions accepted in one list. */
const MAX_ITEMS = 500;

/** A list of non-empty strings (trimmed, duplicates dropped), or an empty list when absent. */
export function stringList(value: unknown, path: string, pattern?: RegExp): Result<readonly string[], SttError> {
  if (value === undefined) return ok([]);
  if (!Array.isArray(value) || value.length > MAX_ITEMS) {
    return err(invalid(path, `deepgram.${path} must be a list of at most ${MAX_ITEMS} strings.`));
  }
  const items: string[] = [];
  for (const item of value as unknown[]) {
    if (typeof item !== "string" || item.trim().length === 0 || item.length > MAX_ITEM_LENGTH || (pattern && !pattern.test(item.trim()))) {
      return err(invalid(path, `deepgram.${path} must hold non-empty strings of at most ${MAX_ITEM_LENGTH} characters${pattern ? ` matching ${pattern.source}` : ""}; got ${describeValue(item)}.`));
    }
    if (!items.includes(item.trim())) items.push(item.trim());
  }
  return ok(items);
}
