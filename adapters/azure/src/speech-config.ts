import {
  AutoDetectSourceLanguageConfig,
  LanguageIdMode,
  OutputFormat,
  ProfanityOption,
  PropertyId,
  SpeechConfig,
} from "microsoft-cognitiveservices-speech-sdk";
import type { AzureProfanity } from "./config.js";
import type { AzureCredentials } from "./resolved-config.js";
import type { AzureStreamSettings } from "./stream-settings.js";

const PROFANITY_OPTIONS: Readonly<Record<AzureProfanity, ProfanityOption>> = {
  masked: ProfanityOption.Masked,
  removed: ProfanityOption.Removed,
  raw: ProfanityOption.Raw,
};

/** Credentials one recognizer connects with: a provider's token is fetched before the recognizer is built. */
export type RecognizerCredentials = Exclude<AzureCredentials, { kind: "token-provider" }>;

function speechConfigForAddress(settings: AzureStreamSettings, credentials: RecognizerCredentials): SpeechConfig {
  const { address } = settings.config;
  const key = credentials.kind === "key" ? credentials.apiKey : undefined;
  let config: SpeechConfig;
  if (address.kind === "host") config = SpeechConfig.fromHost(address.url, key);
  else if (address.kind === "endpoint") config = SpeechConfig.fromEndpoint(address.url, key);
  else if (credentials.kind === "token") return SpeechConfig.fromAuthorizationToken(credentials.token, address.region);
  else config = SpeechConfig.fromSubscription(key ?? "", address.region);
  if (credentials.kind === "token") config.authorizationToken = credentials.token;
  return config;
}

/** Builds the SDK's speech configuration for one recognizer from the stream's settings and its credentials. */
export function buildSpeechConfig(settings: AzureStreamSettings, credentials: RecognizerCredentials): SpeechConfig {
  const { config } = settings;
  const speechConfig = speechConfigForAddress(settings, credentials);
  speechConfig.speechRecognitionLanguage = settings.languages[0]!;
  if (settings.languages.length > 1) {
    speechConfig.setProperty(PropertyId.SpeechServiceConnection_LanguageIdMode, "Continuous");
  }
  if (config.endpointId !== undefined) speechConfig.endpointId = config.endpointId;
  speechConfig.outputFormat = settings.detailed ? OutputFormat.Detailed : OutputFormat.Simple;
  if (settings.wordTimings) speechConfig.requestWordLevelTimestamps();
  if (config.profanity !== undefined) speechConfig.setProfanity(PROFANITY_OPTIONS[config.profanity]);
  if (config.segmentationSilenceTimeoutMs !== undefined) {
    speechConfig.setProperty(PropertyId.Speech_SegmentationSilenceTimeoutMs, String(config.segmentationSilenceTimeoutMs));
  }
  const { proxy } = config;
  if (proxy !== undefined) speechConfig.setProxy(proxy.host, proxy.port, proxy.username ?? "", proxy.password ?? "");
  for (const [name, value] of Object.entries(config.sdkProperties)) speechConfig.setProperty(name, value);
  return speechConfig;
}

/** Continuous language identification among the stream's languages, when it names several. */
export function buildLanguageIdentification(settings: AzureStreamSettings): AutoDetectSourceLanguageConfig | undefined {
  if (settings.languages.length < 2) return undefined;
  const identification = AutoDetectSourceLanguageConfig.fromLanguages([...settings.languages]);
  identification.mode = LanguageIdMode.Continuous;
  return identification;
}
