import { err, ok, type Result } from "neverthrow";
import type { Language, SttError } from "@sttkit/core";
import { settingError, sttError, textListSetting } from "@sttkit/core/kit";
import { PROVIDER } from "./constants.js";
import { openaiLanguageCode } from "./languages.js";
import { languageRule } from "./settings-table.js";
import type { ResolvedOpenAIConfig } from "./validate-config.js";

/** What one request or session asks the service for: the language (and its code) and the prompt. */
export interface RequestSettings {
  /** The language asked for (the call's, else the configured one), reported on every segment. */
  readonly language: Language | undefined;
  /** Its ISO 639-1 code, as the service takes it. */
  readonly languageCode: string | undefined;
  /** The prompt: the configured prompt, then the phrases (configured and the call's) as a list. */
  readonly prompt: string | undefined;
}

/**
 * The prompt for a request: the configured prompt, then the phrases (custom vocabulary) as a
 * comma-separated list. Both models read a list of spellings this way: `whisper-1` takes its prompt
 * as words already heard, the `gpt-4o` models as free text.
 */
export function promptFor(prompt: string | undefined, phrases: readonly string[]): string | undefined {
  const parts = [prompt?.trim() ?? "", phrases.join(", ")].filter((part) => part.length > 0);
  return parts.length > 0 ? parts.join(" ") : undefined;
}

/**
 * Merges a call's `language` and `phrases` (already shape-checked) with the configuration: one
 * language the service offers (several are `unsupported-option`: the service detects the language
 * itself but cannot choose among candidates), phrases added to the configured ones.
 */
export function resolveRequestSettings(config: ResolvedOpenAIConfig, options: { readonly language?: unknown; readonly phrases?: unknown }): Result<RequestSettings, SttError> {
  let language: Language | undefined = config.language;
  if (options.language !== undefined) {
    const tags: readonly unknown[] = Array.isArray(options.language) ? options.language : [options.language];
    if (tags.length > 1) {
      return err(sttError({ kind: "unsupported-option", option: "language", provider: PROVIDER, message: "OpenAI cannot identify the language among several; give one language, or none to let the service detect it." }));
    }
    const parsed = languageRule().parse(tags[0]);
    if (parsed.isErr()) return err(settingError("language", PROVIDER, parsed.error));
    language = parsed.value;
  }
  let phrases = config.phrases;
  if (options.phrases !== undefined) {
    const parsed = textListSetting().parse(options.phrases);
    if (parsed.isErr()) return err(settingError("phrases", PROVIDER, parsed.error));
    phrases = [...new Set([...config.phrases, ...parsed.value])];
  }
  const code = language === undefined ? ok(undefined) : openaiLanguageCode(language);
  return code.map((languageCode) => ({ language, languageCode, prompt: promptFor(config.prompt, phrases) }));
}
