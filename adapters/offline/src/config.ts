import { accessSync, constants } from "node:fs";
import { delimiter, isAbsolute, join } from "node:path";
import { err, ok, type Result } from "neverthrow";
import { describeValue, numberSetting, readSettings, sttError, textSetting, withDefault, type SettingsTable } from "@sttkit/core/kit";
import { Language, type SttError } from "@sttkit/core";

/** Settings of the offline PocketSphinx adapter (the `offline` section of an `SttConfig`). All optional. */
export interface OfflineConfig {
  /** The engine binary, a path or a name looked up on `PATH`. Default `pocketsphinx_continuous`. */
  readonly binary?: string;
  /** The acoustic model folder. Default Debian's `/usr/share/pocketsphinx/model/en-us/en-us`. */
  readonly acousticModel?: string;
  /** The pronunciation dictionary. Default Debian's `cmudict-en-us.dict`. */
  readonly dictionary?: string;
  /** The language model. Default Debian's `en-us.lm.bin`. */
  readonly languageModel?: string;
  /** The language the model recognises. Only `en-US` ships with Debian's model. Default `en-US`. */
  readonly language?: Language;
  /**
   * After the audio ends, how long the engine may take to print its last utterance and exit
   * before the stream fails with a `timeout`. Default 30 000 ms.
   */
  readonly finishTimeoutMs?: number;
}

/** The settings after validation, with every default applied. */
export interface ResolvedOfflineConfig {
  /** Absolute path of the engine binary. */
  readonly binary: string;
  /** Acoustic model folder. */
  readonly acousticModel: string;
  /** Dictionary file. */
  readonly dictionary: string;
  /** Language model file. */
  readonly languageModel: string;
  /** The model's language. */
  readonly language: Language;
  /** Finish timeout in ms. */
  readonly finishTimeoutMs: number;
}

const DEBIAN_MODEL = "/usr/share/pocketsphinx/model/en-us";
/** An hour: beyond it a timer would overflow (Node fires it at once), and no engine needs that long. */
const MAX_FINISH_TIMEOUT_MS = 3_600_000;
/** The Debian packages that provide the engine and its English model. */
export const OFFLINE_DEBIAN_PACKAGES: readonly string[] = Object.freeze(["pocketsphinx", "pocketsphinx-en-us"]);

function findOnPath(name: string, path: string | undefined): string | undefined {
  const candidates = isAbsolute(name) || name.includes("/") ? [name] : (path ?? "").split(delimiter).filter(Boolean).map((dir) => join(dir, name));
  return candidates.find((candidate) => {
    try {
      accessSync(candidate, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

function readable(path: string): boolean {
  try {
    accessSync(path, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

function unavailable(what: string): SttError {
  return sttError({
    kind: "engine-unavailable",
    provider: "offline",
    install: OFFLINE_DEBIAN_PACKAGES,
    message: `${what} Install the Debian packages ${OFFLINE_DEBIAN_PACKAGES.join(" and ")} (sudo apt-get install -y ${OFFLINE_DEBIAN_PACKAGES.join(" ")}), or run npm run setup.`,
  });
}

function unsupportedLanguage(value: unknown): SttError {
  return sttError({
    kind: "unsupported-language",
    language: describeValue(value),
    provider: "offline",
    message: `The offline engine's model recognises en-US only, not ${describeValue(value)}.`,
  });
}

/** Every setting of the `offline` section, once, with its rule and default; typed against {@link OfflineConfig}. */
const OFFLINE_SETTINGS = {
  binary: withDefault(textSetting(), "pocketsphinx_continuous"),
  acousticModel: withDefault(textSetting(), join(DEBIAN_MODEL, "en-us")),
  dictionary: withDefault(textSetting(), join(DEBIAN_MODEL, "cmudict-en-us.dict")),
  languageModel: withDefault(textSetting(), join(DEBIAN_MODEL, "en-us.lm.bin")),
  language: withDefault<Language>({ parse: (value) => (value === Language.EN_US ? ok(Language.EN_US) : err(unsupportedLanguage(value))) }, Language.EN_US),
  finishTimeoutMs: withDefault(numberSetting({ min: 1, max: MAX_FINISH_TIMEOUT_MS, integer: false }), 30_000),
} as const satisfies SettingsTable<OfflineConfig>;

/**
 * Checks the settings and that the engine and model are installed, so a missing package is a
 * clear `engine-unavailable` error naming what to install, before any audio is taken.
 */
export function resolveOfflineConfig(config: OfflineConfig, path = process.env["PATH"]): Result<ResolvedOfflineConfig, SttError> {
  return readSettings("offline", "offline", config, OFFLINE_SETTINGS).andThen((settings) => {
    const binary = findOnPath(settings.binary, path);
    if (!binary) return err(unavailable(`The PocketSphinx engine (${settings.binary}) is not installed or not executable.`));
    const { acousticModel, dictionary, languageModel } = settings;
    for (const [what, file] of [["acoustic model", join(acousticModel, "mdef")], ["dictionary", dictionary], ["language model", languageModel]] as const) {
      if (!readable(file)) return err(unavailable(`The PocketSphinx ${what} is missing (${file}).`));
    }
    return ok({ ...settings, binary });
  });
}
