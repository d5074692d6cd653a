import { err, ok, type Result } from "neverthrow";
import { languageBase, type Language, type SttError } from "@sttkit/core";
import { mapLanguage, sttError } from "@sttkit/core/kit";
import { PROVIDER } from "./constants.js";

/**
 * Deepgram's language codes for streaming, per model family, from Deepgram's "Models & Languages
 * Overview" and its Nova-3 changelog (through March 2026). A region-specific code is used when
 * Deepgram has one; otherwise the language's own code (Deepgram's `de` for `de-AT`).
 */
const NOVA_3_CODES: ReadonlySet<string> = new Set([
  "be", "bg", "bn", "bs", "ca", "cs", "da", "da-DK", "de", "de-CH", "el", "en", "en-AU", "en-GB", "en-IN", "en-NZ", "en-US",
  "es", "es-419", "et", "fi", "fr", "fr-CA", "hi", "hr", "hu", "id", "it", "ja", "kn", "ko", "ko-KR", "lt", "lv", "mk", "mr", "ms",
  "nl", "nl-BE", "no", "pl", "pt", "pt-BR", "pt-PT", "ro", "ru", "sk", "sl", "sr", "sv", "sv-SE", "ta", "te", "th", "th-TH", "tl",
  "tr", "uk", "vi", "zh", "zh-CN", "zh-HK", "zh-TW",
]);
const NOVA_2_CODES: ReadonlySet<string> = new Set([
  "bg", "ca", "cs", "da", "da-DK", "de", "de-CH", "el", "en", "en-AU", "en-GB", "en-IN", "en-NZ", "en-US", "es", "es-419", "et",
  "fi", "fr", "fr-CA", "hi", "hu", "id", "it", "ja", "ko", "ko-KR", "lt", "lv", "ms", "nl", "nl-BE", "no", "pl", "pt", "pt-BR",
  "pt-PT", "ro", "ru", "sk", "sv", "sv-SE", "th", "th-TH", "tr", "uk", "vi", "zh", "zh-CN", "zh-HK", "zh-TW",
]);
/** The languages each family recognises together when asked for `language=multi` (code-switching). */
const NOVA_3_MULTI: ReadonlySet<string> = new Set(["en", "es", "fr", "de", "hi", "ru", "pt", "ja", "it", "nl"]);
const NOVA_2_MULTI: ReadonlySet<string> = new Set(["en", "es"]);

/** Deepgram's `multi` language: code-switching recognition among the model's multilingual set. */
export const MULTILINGUAL = "multi";

function isNova3(model: string): boolean {
  return model === "nova-3" || model.startsWith("nova-3-");
}

/** Deepgram's code for `language` with `model`, or `undefined` when the model does not offer it. */
function deepgramCode(language: Language, model: string): string | undefined {
  const codes = isNova3(model) ? NOVA_3_CODES : NOVA_2_CODES;
  if (codes.has(language)) return language;
  const base = languageBase(language);
  return codes.has(base) ? base : undefined;
}

/**
 * The `language` query value for one or several languages: Deepgram's code for one, `multi` for
 * several (when the model's multilingual mode covers them all). Anything else is an
 * `unsupported-language` error (or `unsupported-option` for a list the model cannot mix).
 */
export function deepgramLanguage(languages: readonly Language[], model: string): Result<string, SttError> {
  if (languages.length === 1) {
    return mapLanguage(languages[0] as Language, (candidate) => deepgramCode(candidate, model), PROVIDER).mapErr((error) => ({
      ...error,
      message: `${error.message} (model ${model})`,
    }));
  }
  const multi = isNova3(model) ? NOVA_3_MULTI : model.startsWith("nova-2") ? NOVA_2_MULTI : new Set<string>();
  const outside = languages.find((language) => !multi.has(languageBase(language)));
  if (outside === undefined) return ok(MULTILINGUAL);
  return err(
    sttError({
      kind: "unsupported-language",
      language: outside,
      provider: PROVIDER,
      message:
        multi.size === 0
          ? `Deepgram model ${model} recognises one language at a time; name one, or use nova-3 for several.`
          : `Deepgram's multilingual mode of ${model} covers ${[...multi].join(", ")}; "${outside}" is not among them.`,
    }),
  );
}
