import { describe, expect, it } from "vitest";
import { ALL_LANGUAGES, isLanguage, Language, languageBase, mapLanguage, parseLanguage } from "./language.js";

describe("Language", () => {
  it("covers well over 100 distinct, well-formed locales", () => {
    expect(ALL_LANGUAGES.length).toBeGreaterThan(140);
    expect(new Set(ALL_LANGUAGES).size).toBe(ALL_LANGUAGES.length);
    for (const tag of ALL_LANGUAGES) expect(tag).toMatch(/^[a-z]{2,3}-[A-Z]{2}(-[a-z]+)?$/);
  });

  it("parses every member back from any case, with _ or - and surrounding spaces", () => {
    for (const language of ALL_LANGUAGES) {
      expect(parseLanguage(language)._unsafeUnwrap()).toBe(language);
      expect(parseLanguage(language.toLowerCase())._unsafeUnwrap()).toBe(language);
      expect(parseLanguage(` ${language.toUpperCase().replace(/-/g, "_")} `)._unsafeUnwrap()).toBe(language);
    }
    expect(parseLanguage("en_us")._unsafeUnwrap()).toBe(Language.EN_US);
    expect(parseLanguage("ZH-cn-SICHUAN")._unsafeUnwrap()).toBe(Language.ZH_CN_SICHUAN);
  });

  it.each(["", "   ", "english", "xx-YY", "en", "en-US-x", "de_DE_1901"])("refuses %j with a typed error naming it", (tag) => {
    const error = parseLanguage(tag)._unsafeUnwrapErr();
    expect(error).toMatchObject({ kind: "unsupported-language", language: tag, retryable: false });
    expect(error.message).toContain(`"${tag}"`);
  });

  it("refuses non-strings without throwing", () => {
    expect(parseLanguage(42 as never).isErr()).toBe(true);
  });

  it("recognises members exactly", () => {
    expect(isLanguage("en-US")).toBe(true);
    expect(isLanguage("en-us")).toBe(false);
    expect(isLanguage(undefined)).toBe(false);
  });

  it("gives the base language", () => {
    expect(languageBase(Language.EN_GB)).toBe("en");
    expect(languageBase(Language.FIL_PH)).toBe("fil");
    expect(languageBase(Language.ZH_CN_SHANDONG)).toBe("zh");
  });

  it("maps to a provider's codes by table or function, refusing what the provider lacks", () => {
    const table = { [Language.EN_US]: "en", [Language.DE_DE]: "de" };
    expect(mapLanguage(Language.DE_DE, table, "acme")._unsafeUnwrap()).toBe("de");
    expect(mapLanguage(Language.FR_FR, table, "acme")._unsafeUnwrapErr()).toMatchObject({
      kind: "unsupported-language",
      provider: "acme",
      language: "fr-FR",
    });
    const byBase = (language: Language) => (languageBase(language) === "en" ? "english" : undefined);
    expect(mapLanguage(Language.EN_AU, byBase, "acme")._unsafeUnwrap()).toBe("english");
    expect(mapLanguage(Language.JA_JP, byBase, "acme").isErr()).toBe(true);
  });
});
