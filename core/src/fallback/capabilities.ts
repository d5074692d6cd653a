import type { SttCapabilities } from "../speech-to-text.js";

/**
 * What a failover chain can promise: only what every member delivers (a feature one provider lacks
 * would vanish on a switch), the slowest p99, and the sample rates all accept.
 */
export function commonCapabilities(members: readonly SttCapabilities[]): SttCapabilities {
  const all = (pick: (c: SttCapabilities) => boolean): boolean => members.every(pick);
  const sampleRates = (members[0]?.sampleRates ?? []).filter((rate) => members.every((c) => c.sampleRates.includes(rate)));
  return {
    streaming: all((c) => c.streaming),
    interimResults: all((c) => c.interimResults),
    wordTimings: all((c) => c.wordTimings),
    languageDetection: all((c) => c.languageDetection),
    customVocabulary: all((c) => c.customVocabulary),
    diarization: all((c) => c.diarization),
    sampleRates,
    ttfsP99LatencyMs: Math.max(0, ...members.map((c) => c.ttfsP99LatencyMs)),
    reconnects: true,
  };
}
