import { Language, languageBase, type SttError } from "@sttkit/core";
import { mapLanguage } from "@sttkit/core/kit";
import type { Result } from "neverthrow";
import { PROVIDER } from "./constants.js";

/**
 * The ISO 639-1 codes of the languages OpenAI's transcription models are documented to
 * transcribe (the Whisper language list, which the gpt-4o transcription models share).
 */
const OPENAI_LANGUAGE_CODES: ReadonlySet<string> = new Set([
  "af", "ar", "hy", "az", "be", "bs", "bg", "ca", "zh", "hr", "cs", "da", "nl", "en", "et", "fi", "fr", "gl", "de", "el", "he",
  "hi", "hu", "is", "id", "it", "ja", "kn", "kk", "ko", "lv", "lt", "mk", "ms", "mr", "mi", "ne", "no", "fa", "pl", "pt", "ro",
  "ru", "sr", "sk", "sl", "es", "sw", "sv", "tl", "ta", "th", "tr", "uk", "ur", "vi", "cy",
]);

/** Tags whose language subtag is not the ISO 639-1 code OpenAI takes. */
const CODE_EXCEPTIONS: Readonly<Record<string, string>> = Object.freeze({ nb: "no", fil: "tl", yue: "zh", wuu: "zh" });

/** OpenAI's code for a language, or `undefined` for one it does not offer. */
function openaiCode(language: Language): string | undefined {
  const base = languageBase(language);
  const code = CODE_EXCEPTIONS[base] ?? base;
  return OPENAI_LANGUAGE_CODES.has(code) ? code : undefined;
}

/** The ISO 639-1 code OpenAI takes for `language`, or an `unsupported-language` error. */
export function openaiLanguageCode(language: Language): Result<string, SttError> {
  return mapLanguage(language, openaiCode, PROVIDER);
}

/** Every {@link Language} the adapter accepts. */
export function openaiLanguages(): readonly Language[] {
  return Object.values(Language).filter((language) => openaiCode(language) !== undefined);
}
