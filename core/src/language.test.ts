import { describe, expect, it } from "vitest";
import {
  ALL_LANGUAGES,
  isLanguage,
  Language,
  languageBase,
  mapLanguage,
  parseLanguage,
  type LanguageCodeMap,
} from "./language.js";

/** language (2-3 letters), region (2 letters), optional lower-case variant such as `shandong`. */
const WELL_FORMED = /^[a-z]{2,3}-[A-Z]{2}(?:-[a-z]{5,8})?$/;

describe("Language", () => {
  it("has well over 100 members, each a unique, well-formed BCP-47 tag", () => {
    expect(ALL_LANGUAGES.length).toBeGreaterThan(100);
    expect(ALL_LANGUAGES).toHaveLength(145);
    expect(new Set(ALL_LANGUAGES).size).toBe(ALL_LANGUAGES.length);
    for (const tag of ALL_LANGUAGES) expect(tag).toMatch(WELL_FORMED);
  });

  it("names every member after its tag", () => {
    for (const [name, tag] of Object.entries(Language)) {
      expect(name).toBe(tag.toUpperCase().replace(/-/g, "_"));
    }
  });

  it("includes the locales callers rely on", () => {
    expect(Language.EN_US).toBe("en-US");
    expect(Language.ES_US).toBe("es-US");
    expect(Language.FIL_PH).toBe("fil-PH");
    expect(Language.WUU_CN).toBe("wuu-CN");
    expect(Language.YUE_CN).toBe("yue-CN");
    expect(Language.ZH_CN_SHANDONG).toBe("zh-CN-shandong");
    expect(Language.ZH_CN_SICHUAN).toBe("zh-CN-sichuan");
    expect(ALL_LANGUAGES.filter((tag) => tag.startsWith("es-"))).toHaveLength(22);
    expect(ALL_LANGUAGES.filter((tag) => tag.startsWith("ar-"))).toHaveLength(18);
  });

  it("lists the members in a frozen array", () => {
    expect(Object.isFrozen(ALL_LANGUAGES)).toBe(true);
    expect(ALL_LANGUAGES).toEqual(Object.values(Language));
  });
});

describe("parseLanguage", () => {
  it("round-trips every member, whatever the case and separator", () => {
    for (const language of ALL_LANGUAGES) {
      expect(parseLanguage(language)._unsafeUnwrap()).toBe(language);
      expect(parseLanguage(language.toLowerCase())._unsafeUnwrap()).toBe(language);
      expect(parseLanguage(language.toUpperCase())._unsafeUnwrap()).toBe(language);
      expect(parseLanguage(language.replace(/-/g, "_"))._unsafeUnwrap()).toBe(language);
      expect(parseLanguage(` ${language.toUpperCase().replace(/-/g, "_")}\t`)._unsafeUnwrap()).toBe(language);
    }
  });

  it.each([
    ["en_us", Language.EN_US],
    ["EN-us", Language.EN_US],
    [" en-US ", Language.EN_US],
    ["En_Us", Language.EN_US],
    ["PT-br", Language.PT_BR],
    ["FIL_ph", Language.FIL_PH],
    ["ZH-cn-SICHUAN", Language.ZH_CN_SICHUAN],
    ["zh_CN_Shandong", Language.ZH_CN_SHANDONG],
    ["Yue-cn", Language.YUE_CN],
  ])("reads %j as %s", (tag, expected) => {
    const parsed = parseLanguage(tag);
    expect(parsed.isOk()).toBe(true);
    expect(parsed._unsafeUnwrap()).toBe(expected);
  });

  it.each(["", "   ", "english", "xx-YY", "en", "en-XX", "en-US-x", "de_DE_1901", "en--US", "-en-US", "en US", "en-US!", "zh-CN-beijing"])(
    "refuses %j with a typed error that names it",
    (tag) => {
      const result = parseLanguage(tag);
      expect(result.isErr()).toBe(true);
      const error = result._unsafeUnwrapErr();
      expect(error).toMatchObject({ kind: "unsupported-language", language: tag, retryable: false });
      expect(error.provider).toBeUndefined();
      expect(error.message).toContain(`"${tag}"`);
      expect(error.message).toContain("ALL_LANGUAGES");
    },
  );

  it("suggests the supported regions of a known language", () => {
    const message = parseLanguage("de-XX")._unsafeUnwrapErr().message;
    expect(message).toContain("de-AT, de-CH, de-DE");
    expect(parseLanguage("EN")._unsafeUnwrapErr().message).toContain("en-US");
    expect(parseLanguage("english")._unsafeUnwrapErr().message).not.toContain("locales are");
  });

  it("refuses non-strings from untyped callers without throwing", () => {
    for (const value of [42, undefined, null, {}, ["en-US"]]) {
      const result = parseLanguage(value as never);
      expect(result.isErr()).toBe(true);
      expect(result._unsafeUnwrapErr().kind).toBe("unsupported-language");
    }
  });
});

describe("isLanguage", () => {
  it("accepts members spelled exactly as the enum spells them", () => {
    for (const language of ALL_LANGUAGES) expect(isLanguage(language)).toBe(true);
    expect(isLanguage("en-US")).toBe(true);
  });

  it.each(["en-us", "en_US", " en-US", "en", "", "xx-YY", "EN_US", "toString", 42, undefined, null, {}])(
    "refuses %j",
    (value) => {
      expect(isLanguage(value)).toBe(false);
    },
  );
});

describe("languageBase", () => {
  it.each([
    [Language.EN_US, "en"],
    [Language.EN_GB, "en"],
    [Language.FIL_PH, "fil"],
    [Language.YUE_CN, "yue"],
    [Language.ZH_CN_SHANDONG, "zh"],
  ])("gives the language subtag of %s", (language, base) => {
    expect(languageBase(language)).toBe(base);
  });

  it("gives a lower-case ISO 639 code for every member", () => {
    for (const language of ALL_LANGUAGES) expect(languageBase(language)).toMatch(/^[a-z]{2,3}$/);
  });
});

describe("mapLanguage", () => {
  const table: LanguageCodeMap = { [Language.EN_US]: "english", [Language.DE_DE]: "german", [Language.FR_FR]: "" };

  it("maps with a table", () => {
    expect(mapLanguage(Language.EN_US, table, "acme")._unsafeUnwrap()).toBe("english");
    expect(mapLanguage(Language.DE_DE, table, "acme")._unsafeUnwrap()).toBe("german");
  });

  it("refuses a language missing from the table, naming the provider and what it offers", () => {
    const error = mapLanguage(Language.JA_JP, table, "acme")._unsafeUnwrapErr();
    expect(error).toMatchObject({ kind: "unsupported-language", language: "ja-JP", provider: "acme", retryable: false });
    expect(error.message).toContain("acme");
    expect(error.message).toContain("ja-JP");
    expect(error.message).toContain("de-DE, en-US");
  });

  it("treats an empty code as unsupported rather than passing it on", () => {
    expect(mapLanguage(Language.FR_FR, table, "acme")._unsafeUnwrapErr()).toMatchObject({
      kind: "unsupported-language",
      provider: "acme",
      language: "fr-FR",
    });
  });

  it("refuses everything with an empty table", () => {
    const error = mapLanguage(Language.EN_US, {}, "acme")._unsafeUnwrapErr();
    expect(error).toMatchObject({ kind: "unsupported-language", provider: "acme", language: "en-US" });
  });

  it("maps with a function", () => {
    const byBase = (language: Language): string | undefined => (languageBase(language) === "en" ? "english" : undefined);
    expect(mapLanguage(Language.EN_AU, byBase, "acme")._unsafeUnwrap()).toBe("english");
    expect(mapLanguage(Language.EN_US, (language) => language, "azure")._unsafeUnwrap()).toBe("en-US");
  });

  it("refuses a language the function does not offer", () => {
    const byBase = (language: Language): string | undefined => (languageBase(language) === "en" ? "english" : undefined);
    const error = mapLanguage(Language.JA_JP, byBase, "acme")._unsafeUnwrapErr();
    expect(error).toMatchObject({ kind: "unsupported-language", language: "ja-JP", provider: "acme", retryable: false });
    expect(error.message).toContain("ja-JP");
  });

  it("refuses values that are not a Language, without reading the table's prototype", () => {
    for (const value of ["en-us", "toString", "constructor", ""]) {
      const error = mapLanguage(value as Language, table, "acme")._unsafeUnwrapErr();
      expect(error).toMatchObject({ kind: "unsupported-language", language: value, provider: "acme" });
    }
  });
});
