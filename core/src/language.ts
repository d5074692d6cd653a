import { err, ok, type Result } from "neverthrow";
import { sttError, type SttError } from "./errors.js";

/**
 * A spoken language and region as a BCP-47 tag: every locale Azure Speech speech-to-text
 * recognises in real time. Adapters map these to their own codes with {@link mapLanguage};
 * a language an adapter does not offer is a typed `unsupported-language` error, never a silent
 * fallback to another language.
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
  /** Arabic (Palestinian Territories) */
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
  /** Catalan */
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
  /** Spanish (United States) */
  ES_US = "es-US",
  /** Spanish (Uruguay) */
  ES_UY = "es-UY",
  /** Spanish (Venezuela) */
  ES_VE = "es-VE",
  /** Estonian (Estonia) */
  ET_EE = "et-EE",
  /** Basque */
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
  /** Galician */
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
  /** Tamil (Sri Lanka) */
  TA_LK = "ta-LK",
  /** Tamil (Malaysia) */
  TA_MY = "ta-MY",
  /** Tamil (Singapore) */
  TA_SG = "ta-SG",
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
  /** Urdu (Pakistan) */
  UR_PK = "ur-PK",
  /** Uzbek (Latin, Uzbekistan) */
  UZ_UZ = "uz-UZ",
  /** Vietnamese (Vietnam) */
  VI_VN = "vi-VN",
  /** Chinese (Wu, Simplified) */
  WUU_CN = "wuu-CN",
  /** Chinese (Cantonese, Simplified) */
  YUE_CN = "yue-CN",
  /** Chinese (Mandarin, Simplified) */
  ZH_CN = "zh-CN",
  /** Chinese (Jilu Mandarin, Simplified) */
  ZH_CN_SHANDONG = "zh-CN-shandong",
  /** Chinese (Southwestern Mandarin, Simplified) */
  ZH_CN_SICHUAN = "zh-CN-sichuan",
  /** Chinese (Cantonese, Traditional) */
  ZH_HK = "zh-HK",
  /** Chinese (Taiwanese Mandarin, Traditional) */
  ZH_TW = "zh-TW",
  /** Zulu (South Africa) */
  ZU_ZA = "zu-ZA",
}

/** Every {@link Language}, in enum order. */
export const ALL_LANGUAGES: readonly Language[] = Object.freeze(Object.values(Language));

const BY_CANONICAL_TAG: ReadonlyMap<string, Language> = new Map(
  ALL_LANGUAGES.map((language) => [language.toLowerCase(), language] as const),
);

/** Whether a value is one of the {@link Language} tags, exactly as the enum spells it. */
export function isLanguage(value: unknown): value is Language {
  return typeof value === "string" && BY_CANONICAL_TAG.get(value.toLowerCase()) === value;
}

/**
 * Reads a language tag as people and systems write it (`en-US`, `en_us`, ` EN-us `) into a
 * {@link Language}. Anything that is not a supported locale (`english`, `xx-YY`, an empty
 * string) is an `unsupported-language` error that names the tag.
 */
export function parseLanguage(tag: string): Result<Language, SttError> {
  const normalised = typeof tag === "string" ? tag.trim().replace(/_/g, "-").toLowerCase() : "";
  const language = BY_CANONICAL_TAG.get(normalised);
  if (language) return ok(language);
  return err(
    sttError({
      kind: "unsupported-language",
      language: String(tag),
      message: `"${String(tag)}" is not a supported language tag: use a BCP-47 locale such as "en-US" (see the Language enum for all ${ALL_LANGUAGES.length}).`,
    }),
  );
}

/** The language subtag alone: `"en"` for `en-US`, `"zh"` for `zh-CN-sichuan`. */
export function languageBase(language: Language): string {
  return language.split("-")[0] as string;
}

/** A provider's own codes for the languages it offers; languages absent from it are unsupported. */
export type LanguageCodeMap = Readonly<Partial<Record<Language, string>>>;

/**
 * Maps a {@link Language} to a provider's own code, from a table or a function. A language the
 * provider does not offer is an `unsupported-language` error naming the provider.
 */
export function mapLanguage(
  language: Language,
  codes: LanguageCodeMap | ((language: Language) => string | undefined),
  provider: string,
): Result<string, SttError> {
  const code = typeof codes === "function" ? codes(language) : codes[language];
  if (code !== undefined) return ok(code);
  return err(
    sttError({
      kind: "unsupported-language",
      language,
      provider,
      message: `The ${provider} provider does not support ${language}.`,
    }),
  );
}
