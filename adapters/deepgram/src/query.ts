import type { ResolvedDeepgramConfig } from "./resolved-config.js";
import type { DeepgramStreamSettings } from "./stream-settings.js";

/** Query parameters as Deepgram reads them: strings, and lists sent as repeated keys. */
export type DeepgramQuery = Record<string, string | readonly string[]>;

/** Nova-3 takes key terms (`keyterm`); older models take `keywords` (the SDK refuses those with Nova-3). */
export function usesKeyterms(model: string): boolean {
  return model === "nova-3" || model.startsWith("nova-3-");
}

/** The query parameters both endpoints share: model, language and the formatting options. */
export function commonQuery(config: ResolvedDeepgramConfig, languageCode: string, terms: readonly string[]): DeepgramQuery {
  const query: DeepgramQuery = {
    model: config.model,
    language: languageCode,
    punctuate: String(config.punctuate),
    smart_format: String(config.smartFormat),
  };
  if (config.profanityFilter) query["profanity_filter"] = "true";
  if (config.diarize) query["diarize"] = "true";
  if (config.fillerWords) query["filler_words"] = "true";
  if (config.numerals) query["numerals"] = "true";
  if (config.redact.length > 0) query["redact"] = config.redact;
  if (config.tags.length > 0) query["tag"] = config.tags;
  if (terms.length > 0) query[usesKeyterms(config.model) ? "keyterm" : "keywords"] = terms;
  return query;
}

/**
 * The listen WebSocket's query for one stream: raw linear16 PCM at the stream's rate, mono, and
 * every option the config and the stream ask for, spelled as Deepgram expects.
 */
export function listenQuery(settings: DeepgramStreamSettings): DeepgramQuery {
  const { config } = settings;
  const query = commonQuery(config, settings.languageCode, settings.terms);
  query["encoding"] = "linear16";
  query["sample_rate"] = String(settings.format.sampleRate);
  query["channels"] = "1";
  query["interim_results"] = String(settings.interimResults);
  query["vad_events"] = String(config.vadEvents);
  if (config.endpointing !== undefined) query["endpointing"] = String(config.endpointing);
  if (config.utteranceEndMs !== undefined) query["utterance_end_ms"] = String(config.utteranceEndMs);
  return query;
}

/** The pre-recorded endpoint's query for `transcribe()`: the WAV header says the format; utterances give the segments. */
export function prerecordedQuery(config: ResolvedDeepgramConfig, languageCode: string, terms: readonly string[]): DeepgramQuery {
  return { ...commonQuery(config, languageCode, terms), utterances: "true" };
}
