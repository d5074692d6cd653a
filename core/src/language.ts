import { err, ok, type Result } from "neverthrow";
import { describeValue, sttError, type SttError } from "./errors.js";

/**
 * A spoken language and region, as the BCP-47 locale tag speech services expect (`"en-US"`).
 *
 * The members are exactly the locales Azure Speech recognises in real-time speech to text
 * (145 of them, from Microsoft's "Language and voice support for the Speech service" table),
 * so any `Language` can be handed to the Azure adapter as is. Other providers offer a subset:
 * adapters translate with {@link mapLanguage}, and a language a provider does not offer is an
 * `unsupported-language` error, never a silent fallback to some other language.
 *
 * Read user input with {@link parseLanguage} rather than casting strings, and list the choices
 * with {@link ALL_LANGUAGES}.
 *
 * @category Languages
 */
export enum Language {
  /** Afrikaans (South Africa) */
  AF_ZA = "af-ZA",
  /** Amharic (Ethiopia) */
  AM_ET = "am-ET",
  /** Arabic (United Arab Emirates) */
  AR_AE = "ar-AE",
  /** Arabic (Bahrain) */
  AR_BH = "ar-BH",
  /** Arabic (Algeria) */
  AR_DZ = "ar-DZ",
  /** Arabic (Egypt) */
  AR_EG = "ar-EG",
  /** Arabic (Israel) */
  AR_IL = "ar-IL",
  /** Arabic (Iraq) */
  AR_IQ = "ar-IQ",
  /** Arabic (Jordan) */
  AR_JO = "ar-JO",
  /** Arabic (Kuwait) */
  AR_KW = "ar-KW",
  /** Arabic (Lebanon) */
  AR_LB = "ar-LB",
  /** Arabic (Libya) */
  AR_LY = "ar-LY",
  /** Arabic (Morocco) */
  AR_MA = "ar-MA",
  /** Arabic (Oman) */
  AR_OM = "ar-OM",
  /** Arabic (Palestinian Authority) */
  AR_PS = "ar-PS",
  /** Arabic (Qatar) */
  AR_QA = "ar-QA",
  /** Arabic (Saudi Arabia) */
  AR_SA = "ar-SA",
  /** Arabic (Syria) */
  AR_SY = "ar-SY",
  /** Arabic (Tunisia) */
  AR_TN = "ar-TN",
  /** Arabic (Yemen) */
  AR_YE = "ar-YE",
  /** Assamese (India) */
  AS_IN = "as-IN",
  /** Azerbaijani (Latin, Azerbaijan) */
  AZ_AZ = "az-AZ",
  /** Bulgarian (Bulgaria) */
  BG_BG = "bg-BG",
  /** Bengali (India) */
  BN_IN = "bn-IN",
  /** Bosnian (Bosnia and Herzegovina) */
  BS_BA = "bs-BA",
  /** Catalan (Spain) */
  CA_ES = "ca-ES",
  /** Czech (Czechia) */
  CS_CZ = "cs-CZ",
  /** Welsh (United Kingdom) */
  CY_GB = "cy-GB",
  /** Danish (Denmark) */
  DA_DK = "da-DK",
  /** German (Austria) */
  DE_AT = "de-AT",
  /** German (Switzerland) */
  DE_CH = "de-CH",
  /** German (Germany) */
  DE_DE = "de-DE",
  /** Greek (Greece) */
  EL_GR = "el-GR",
  /** English (Australia) */
  EN_AU = "en-AU",
  /** English (Canada) */
  EN_CA = "en-CA",
  /** English (United Kingdom) */
  EN_GB = "en-GB",
  /** English (Ghana) */
  EN_GH = "en-GH",
  /** English (Hong Kong SAR) */
  EN_HK = "en-HK",
  /** English (Ireland) */
  EN_IE = "en-IE",
  /** English (India) */
  EN_IN = "en-IN",
  /** English (Kenya) */
  EN_KE = "en-KE",
  /** English (Nigeria) */
  EN_NG = "en-NG",
  /** English (New Zealand) */
  EN_NZ = "en-NZ",
  /** English (Philippines) */
  EN_PH = "en-PH",
  /** English (Singapore) */
  EN_SG = "en-SG",
  /** English (Tanzania) */
  EN_TZ = "en-TZ",
  /** English (United States) */
  EN_US = "en-US",
  /** English (South Africa) */
  EN_ZA = "en-ZA",
  /** Spanish (Argentina) */
  ES_AR = "es-AR",
  /** Spanish (Bolivia) */
  ES_BO = "es-BO",
  /** Spanish (Chile) */
  ES_CL = "es-CL",
  /** Spanish (Colombia) */
  ES_CO = "es-CO",
  /** Spanish (Costa Rica) */
  ES_CR = "es-CR",
  /** Spanish (Cuba) */
  ES_CU = "es-CU",
  /** Spanish (Dominican Republic) */
  ES_DO = "es-DO",
  /** Spanish (Ecuador) */
  ES_EC = "es-EC",
  /** Spanish (Spain) */
  ES_ES = "es-ES",
  /** Spanish (Equatorial Guinea) */
  ES_GQ = "es-GQ",
  /** Spanish (Guatemala) */
  ES_GT = "es-GT",
  /** Spanish (Honduras) */
  ES_HN = "es-HN",
  /** Spanish (Mexico) */
  ES_MX = "es-MX",
  /** Spanish (Nicaragua) */
  ES_NI = "es-NI",
  /** Spanish (Panama) */
  ES_PA = "es-PA",
  /** Spanish (Peru) */
  ES_PE = "es-PE",
  /** Spanish (Puerto Rico) */
  ES_PR = "es-PR",
  /** Spanish (Paraguay) */
  ES_PY = "es-PY",
  /** Spanish (El Salvador) */
  ES_SV = "es-SV",
  /** Spanish (United States); Azure's model also recognises English */
  ES_US = "es-US",
  /** Spanish (Uruguay) */
  ES_UY = "es-UY",
  /** Spanish (Venezuela) */
  ES_VE = "es-VE",
  /** Estonian (Estonia) */
  ET_EE = "et-EE",
  /** Basque (Spain) */
  EU_ES = "eu-ES",
  /** Persian (Iran) */
  FA_IR = "fa-IR",
  /** Finnish (Finland) */
  FI_FI = "fi-FI",
  /** Filipino (Philippines) */
  FIL_PH = "fil-PH",
  /** French (Belgium) */
  FR_BE = "fr-BE",
  /** French (Canada) */
  FR_CA = "fr-CA",
  /** French (Switzerland) */
  FR_CH = "fr-CH",
  /** French (France) */
  FR_FR = "fr-FR",
  /** Irish (Ireland) */
  GA_IE = "ga-IE",
  /** Galician (Spain) */
  GL_ES = "gl-ES",
  /** Gujarati (India) */
  GU_IN = "gu-IN",
  /** Hebrew (Israel) */
  HE_IL = "he-IL",
  /** Hindi (India) */
  HI_IN = "hi-IN",
  /** Croatian (Croatia) */
  HR_HR = "hr-HR",
  /** Hungarian (Hungary) */
  HU_HU = "hu-HU",
  /** Armenian (Armenia) */
  HY_AM = "hy-AM",
  /** Indonesian (Indonesia) */
  ID_ID = "id-ID",
  /** Icelandic (Iceland) */
  IS_IS = "is-IS",
  /** Italian (Switzerland) */
  IT_CH = "it-CH",
  /** Italian (Italy) */
  IT_IT = "it-IT",
  /** Japanese (Japan) */
  JA_JP = "ja-JP",
  /** Javanese (Latin, Indonesia) */
  JV_ID = "jv-ID",
  /** Georgian (Georgia) */
  KA_GE = "ka-GE",
  /** Kazakh (Kazakhstan) */
  KK_KZ = "kk-KZ",
  /** Khmer (Cambodia) */
  KM_KH = "km-KH",
  /** Kannada (India) */
  KN_IN = "kn-IN",
  /** Korean (Korea) */
  KO_KR = "ko-KR",
  /** Lao (Laos) */
  LO_LA = "lo-LA",
  /** Lithuanian (Lithuania) */
  LT_LT = "lt-LT",
  /** Latvian (Latvia) */
  LV_LV = "lv-LV",
  /** Macedonian (North Macedonia) */
  MK_MK = "mk-MK",
  /** Malayalam (India) */
  ML_IN = "ml-IN",
  /** Mongolian (Mongolia) */
  MN_MN = "mn-MN",
  /** Marathi (India) */
  MR_IN = "mr-IN",
  /** Malay (Malaysia) */
  MS_MY = "ms-MY",
  /** Maltese (Malta) */
  MT_MT = "mt-MT",
  /** Burmese (Myanmar) */
  MY_MM = "my-MM",
  /** Norwegian Bokmål (Norway) */
  NB_NO = "nb-NO",
  /** Nepali (Nepal) */
  NE_NP = "ne-NP",
  /** Dutch (Belgium) */
  NL_BE = "nl-BE",
  /** Dutch (Netherlands) */
  NL_NL = "nl-NL",
  /** Odia (India) */
  OR_IN = "or-IN",
  /** Punjabi (India) */
  PA_IN = "pa-IN",
  /** Polish (Poland) */
  PL_PL = "pl-PL",
  /** Pashto (Afghanistan) */
  PS_AF = "ps-AF",
  /** Portuguese (Brazil) */
  PT_BR = "pt-BR",
  /** Portuguese (Portugal) */
  PT_PT = "pt-PT",
  /** Romanian (Romania) */
  RO_RO = "ro-RO",
  /** Russian (Russia) */
  RU_RU = "ru-RU",
  /** Sinhala (Sri Lanka) */
  SI_LK = "si-LK",
  /** Slovak (Slovakia) */
  SK_SK = "sk-SK",
  /** Slovenian (Slovenia) */
  SL_SI = "sl-SI",
  /** Somali (Somalia) */
  SO_SO = "so-SO",
  /** Albanian (Albania) */
  SQ_AL = "sq-AL",
  /** Serbian (Cyrillic, Serbia) */
  SR_RS = "sr-RS",
  /** Swedish (Sweden) */
  SV_SE = "sv-SE",
  /** Swahili (Kenya) */
  SW_KE = "sw-KE",
  /** Swahili (Tanzania) */
  SW_TZ = "sw-TZ",
  /** Tamil (India) */
  TA_IN = "ta-IN",
  /** Telugu (India) */
  TE_IN = "te-IN",
  /** Thai (Thailand) */
  TH_TH = "th-TH",
  /** Turkish (Türkiye) */
  TR_TR = "tr-TR",
  /** Ukrainian (Ukraine) */
  UK_UA = "uk-UA",
  /** Urdu (India) */
  UR_IN = "ur-IN",
  /** Uzbek (Latin, Uzbekistan) */
  UZ_UZ = "uz-UZ",
  /** Vietnamese (Vietnam) */
  VI_VN = "vi-VN",
  /** Wu Chinese (Simplified, China) */
  WUU_CN = "wuu-CN",
  /** Cantonese (Simplified, China) */
  YUE_CN = "yue-CN",
  /** Mandarin Chinese (Simplified, China) */
  ZH_CN = "zh-CN",
  /** Jilu Mandarin, Shandong dialect (Simplified, China) */
  ZH_CN_SHANDONG = "zh-CN-shandong",
  /** Southwestern Mandarin, Sichuan dialect (Simplified, China) */
  ZH_CN_SICHUAN = "zh-CN-sichuan",
  /** Cantonese (Traditional, Hong Kong SAR) */
  ZH_HK = "zh-HK",
  /** Taiwanese Mandarin (Traditional, Taiwan) */
  ZH_TW = "zh-TW",
  /** Zulu (South Africa) */
  ZU_ZA = "zu-ZA",
}

/**
 * Every {@link Language}, in the enum's (alphabetical) order. Use it to offer the choices in a
 * user interface or a `--help` text, or to check a provider's language table for gaps.
 *
 * @category Languages
 */
export const ALL_LANGUAGES: readonly Language[] = Object.freeze(Object.values(Language));

/** Every tag, exactly as the enum spells it, for exact-match checks. */
const TAGS: ReadonlySet<string> = new Set<string>(ALL_LANGUAGES);

/** How many supported locales an error message lists before it stops and points at the enum. */
const MAX_SUGGESTIONS = 25;

/**
 * Canonical BCP-47 casing of a tag written with `-` or `_` in any case: language subtag lower
 * case, a four-letter script subtag in title case, a region (two letters or three digits) upper
 * case, anything else (variants such as `shandong`) lower case. `undefined` when the text is
 * not shaped like a language tag at all.
 */
function canonicalTag(text: string): string | undefined {
  const subtags = text.trim().split(/[-_]/);
  const [language, ...rest] = subtags;
  if (language === undefined || !/^[a-z]{2,8}$/i.test(language)) return undefined;
  if (!rest.every((subtag) => /^[a-z0-9]{1,8}$/i.test(subtag))) return undefined;
  const tail = rest.map((subtag, index) => {
    if (index === 0 && /^[a-z]{4}$/i.test(subtag)) {
      return subtag.charAt(0).toUpperCase() + subtag.slice(1).toLowerCase();
    }
    if (index <= 1 && /^(?:[a-z]{2}|[0-9]{3})$/i.test(subtag)) return subtag.toUpperCase();
    return subtag.toLowerCase();
  });
  return [language.toLowerCase(), ...tail].join("-");
}

/** A list of tags for a message, cut short (with the total) when it would be too long. */
function listTags(tags: readonly string[]): string {
  if (tags.length <= MAX_SUGGESTIONS) return tags.join(", ");
  return `${tags.slice(0, MAX_SUGGESTIONS).join(", ")} and ${tags.length - MAX_SUGGESTIONS} more`;
}

/**
 * Whether a value is one of the {@link Language} tags, spelled exactly as the enum spells it
 * (`"en-US"` is, `"en-us"` is not: use {@link parseLanguage} to accept loose spellings).
 * Useful to check a value that crossed an untyped boundary (JSON, a config file, a plugin).
 *
 * @category Languages
 */
export function isLanguage(value: unknown): value is Language {
  return typeof value === "string" && TAGS.has(value);
}

/**
 * Reads a language tag as people and systems write it into a {@link Language}.
 *
 * Case does not matter, `_` may stand for `-`, and surrounding whitespace is ignored, so
 * `"en-US"`, `"en_us"`, `"EN-us"` and `" en-US "` all give {@link Language.EN_US}; the casing
 * is canonicalised BCP-47 style (`"ZH_cn_SICHUAN"` gives `"zh-CN-sichuan"`).
 *
 * Anything that is not one of the supported locales (`""`, `"english"`, `"xx-YY"`, or a bare
 * language such as `"en"`) is an `unsupported-language` error carrying the tag as given, whose
 * message names it and says where to find the valid tags (suggesting the supported regions
 * when only the region is wrong or missing). There is never a silent default.
 *
 * @category Languages
 */
export function parseLanguage(tag: string): Result<Language, SttError> {
  const given = describeValue(tag);
  const canonical = typeof tag === "string" ? canonicalTag(tag) : undefined;
  if (canonical !== undefined && isLanguage(canonical)) return ok(canonical);

  const where = `Use a BCP-47 locale such as "en-US"; the Language enum (ALL_LANGUAGES) lists all ${ALL_LANGUAGES.length} supported tags.`;
  let problem: string;
  if (given.trim() === "") {
    problem = `The language tag "${given}" is empty.`;
  } else if (canonical === undefined) {
    problem = `"${given}" is not a BCP-47 language tag.`;
  } else {
    const base = canonical.split("-")[0];
    const sameBase = ALL_LANGUAGES.filter((language) => languageBase(language) === base);
    problem =
      sameBase.length > 0
        ? `"${given}" is not a supported language; the supported "${base}" locales are ${listTags(sameBase)}.`
        : `"${given}" is not a supported language.`;
  }
  return err(sttError({ kind: "unsupported-language", language: given, message: `${problem} ${where}` }));
}

/**
 * The language subtag alone, without region or variant: `"en"` for {@link Language.EN_US},
 * `"fil"` for {@link Language.FIL_PH}, `"zh"` for {@link Language.ZH_CN_SICHUAN}. Handy for
 * providers that only take a language (ISO 639) code; see {@link mapLanguage}.
 *
 * @category Languages
 */
export function languageBase(language: Language): string {
  return language.split("-")[0] ?? language;
}

/**
 * A provider's own code for each {@link Language} it offers, for {@link mapLanguage}.
 * Languages left out of the table are the ones the provider does not support.
 *
 * @example
 * ```ts
 * const ACME_LANGUAGES: LanguageCodeMap = { [Language.EN_US]: "english", [Language.DE_DE]: "german" };
 * ```
 *
 * @category Languages
 */
export type LanguageCodeMap = Readonly<Partial<Record<Language, string>>>;

/**
 * Translates a {@link Language} to a provider's own code, so adapters never pass a language
 * the provider does not offer and never swap in a different one.
 *
 * `codes` is either a {@link LanguageCodeMap} table or a function that returns the code (and
 * `undefined` for a language the provider does not offer). A missing or empty code is an
 * `unsupported-language` error with `provider` set; with a table, its message lists the
 * languages the provider does offer.
 *
 * @param language - The language the caller asked for.
 * @param codes - The provider's codes, as a table or a function.
 * @param provider - The provider's name (`"azure"`, `"offline"`, ...), for the error.
 *
 * @category Languages
 */
export function mapLanguage(
  language: Language,
  codes: LanguageCodeMap | ((language: Language) => string | undefined),
  provider: string,
): Result<string, SttError> {
  const unsupported = (message: string): Result<string, SttError> =>
    err(sttError({ kind: "unsupported-language", language: describeValue(language), provider, message }));

  if (!isLanguage(language)) {
    return unsupported(`"${describeValue(language)}" is not a Language; read tags with parseLanguage() first.`);
  }
  const lookup = (candidate: Language): string | undefined =>
    typeof codes === "function" ? codes(candidate) : Object.hasOwn(codes, candidate) ? codes[candidate] : undefined;
  const code = lookup(language);
  if (typeof code === "string" && code !== "") return ok(code);

  const offered =
    typeof codes === "function"
      ? []
      : ALL_LANGUAGES.filter((candidate) => {
          const candidateCode = lookup(candidate);
          return typeof candidateCode === "string" && candidateCode !== "";
        });
  const choices =
    offered.length > 0
      ? ` It supports ${listTags(offered)}.`
      : typeof codes === "function"
        ? " Choose another language or another provider."
        : " It has no languages configured.";
  return unsupported(`The ${provider} provider does not support the language "${language}".${choices}`);
}
