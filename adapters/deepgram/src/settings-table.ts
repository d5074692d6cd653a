import { err, ok, type Result } from "neverthrow";
import type { Language } from "@sttkit/core";
import {
  urlSetting,
  flagSetting,
  languagesSetting,
  numberSetting,
  RECONNECT_SETTINGS,
  sectionSetting,
  withDefault,
  type SettingProblem,
  type SettingRule,
  type SettingsTable,
} from "@sttkit/core/kit";
import type { DeepgramConfig } from "./config.js";
import { DEFAULT_MODEL, DEFAULT_TTFS_P99_MS, PROVIDER } from "./constants.js";

/** Deepgram's multilingual mode mixes at most this many languages (Nova-3's set has ten); more is a mistake. */
const MAX_LANGUAGES = 16;
/** The longest term, tag or redaction name accepted: the query string must stay bounded. */
const MAX_ITEM_LENGTH = 256;
/** The most terms, tags or redactions accepted in one list. */
const MAX_ITEMS = 500;
/** Model names are path-like identifiers (`nova-3`, `nova-2-phonecall`, a custom model's UUID). */
const MODEL_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
/** Redaction names are lower-case identifiers (`pci`, `aggressive_numbers`). */
const REDACTION = /^[a-z_]{1,64}$/;
/** A credential goes into an HTTP header: printable ASCII without spaces. */
export const CREDENTIAL = /^[\x21-\x7e]{1,4096}$/;

/** One language tag or a list of up to 16: core languages, duplicates dropped (their Deepgram code is checked with the model). */
export function languagesRule(): SettingRule<readonly Language[]> {
  return languagesSetting({ max: MAX_LANGUAGES });
}

/**
 * A bounded list of non-empty strings (each trimmed, duplicates dropped), each matching `pattern`
 * when one is given: what goes into the query string as repeated keys.
 */
export function termsRule(pattern?: RegExp): SettingRule<readonly string[]> {
  return {
    parse: (value) => {
      if (!Array.isArray(value) || value.length > MAX_ITEMS) return err(`must be a list of at most ${MAX_ITEMS} strings.`);
      const items: string[] = [];
      for (const item of value as unknown[]) {
        const text = typeof item === "string" ? item.trim() : "";
        if (text.length === 0 || text.length > MAX_ITEM_LENGTH || (pattern && !pattern.test(text))) {
          return err(`must hold non-empty strings of at most ${MAX_ITEM_LENGTH} characters${pattern ? ` matching ${pattern.source}` : ""}.`);
        }
        if (!items.includes(text)) items.push(text);
      }
      return ok(items);
    },
  };
}

/** A credential: printable ASCII without spaces. The value itself is never echoed in the problem. */
function credentialRule(): SettingRule<string> {
  return {
    parse: (value) => (typeof value === "string" && CREDENTIAL.test(value.trim()) ? ok(value.trim()) : err("must be printable ASCII without spaces.")),
  };
}

/**
 * `http(s)://` or `ws(s)://host[:port][/prefix]`, normalised to the `http(s)` base the SDK builds
 * both endpoints from (REST needs http(s); its WebSocket client turns it into ws(s)).
 */
function baseUrlRule(): SettingRule<string> {
  const url = urlSetting(["http:", "https:", "ws:", "wss:"], { credentialsHint: "use deepgram.apiKey or deepgram.accessToken" });
  return {
    parse: (value) =>
      url.parse(value).map((parsed) => {
        const scheme = parsed.protocol === "ws:" || parsed.protocol === "http:" ? "http:" : "https:";
        return `${scheme}//${parsed.host}${parsed.pathname.replace(/\/+$/, "")}`;
      }),
  };
}

function modelRule(): SettingRule<string> {
  return {
    parse: (value) => (typeof value === "string" && MODEL_NAME.test(value.trim()) ? ok(value.trim()) : err('is not a model name such as "nova-3".')),
  };
}

/** 10 to 10 000 ms of silence that closes an utterance, or `false` to turn endpointing off. */
function endpointingRule(): SettingRule<number | false> {
  const milliseconds = numberSetting({ min: 10, max: 10_000, integer: true });
  return { parse: (value) => (value === false ? ok(false) : milliseconds.parse(value)) };
}

/**
 * Every setting of the `deepgram` section, once: its rule and default. Typed against
 * {@link DeepgramConfig} (which documents each), so a key cannot be added to one without the
 * other. The credential (with the environment), the language code (with the model) and
 * `utteranceEndMs` (with interim results) are resolved together afterwards.
 */
export const DEEPGRAM_SETTINGS = {
  apiKey: credentialRule(),
  accessToken: credentialRule(),
  baseUrl: baseUrlRule(),
  model: withDefault(modelRule(), DEFAULT_MODEL),
  language: withDefault(languagesRule(), ["en-US" as Language]),
  interimResults: withDefault(flagSetting(), true),
  endpointing: endpointingRule(),
  utteranceEndMs: numberSetting({ min: 1_000, max: 5_000, integer: true }),
  vadEvents: withDefault(flagSetting(), true),
  smartFormat: withDefault(flagSetting(), false),
  punctuate: withDefault(flagSetting(), true),
  profanityFilter: withDefault(flagSetting(), false),
  keyterms: withDefault(termsRule(), []),
  diarize: withDefault(flagSetting(), false),
  fillerWords: withDefault(flagSetting(), false),
  numerals: withDefault(flagSetting(), false),
  redact: withDefault(termsRule(REDACTION), []),
  tags: withDefault(termsRule(), []),
  wordTimings: withDefault(flagSetting(), false),
  ttfsP99Latency: withDefault(numberSetting({ min: 0.01, max: 60, integer: false }), DEFAULT_TTFS_P99_MS / 1000),
  connectTimeoutMs: withDefault(numberSetting({ min: 1, max: 600_000, integer: true }), 10_000),
  finishTimeoutMs: withDefault(numberSetting({ min: 1, max: 3_600_000, integer: true }), 30_000),
  keepAliveIntervalMs: withDefault(numberSetting({ min: 500, max: 9_000, integer: true }), 4_000),
  reconnect: sectionSetting("deepgram.reconnect", PROVIDER, RECONNECT_SETTINGS),
  requestTimeoutMs: withDefault(numberSetting({ min: 1, max: 3_600_000, integer: true }), 300_000),
  requestRetries: withDefault(numberSetting({ min: 0, max: 5, integer: true }), 2),
} as const satisfies SettingsTable<DeepgramConfig>;
