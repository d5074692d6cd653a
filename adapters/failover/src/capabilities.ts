import type { SttCapabilities } from "@sttkit/core";

/**
 * What a failover chain can promise: only what every member delivers (a feature one provider lacks
 * would vanish on a switch), the slowest p99, and the sample rates and channel counts all accept.
 */
export function commonCapabilities(members: readonly SttCapabilities[]): SttCapabilities {
  const all = (pick: (c: SttCapabilities) => boolean): boolean => members.every(pick);
  const shared = (pick: (c: SttCapabilities) => readonly number[]): number[] =>
    (members[0] ? pick(members[0]) : []).filter((value) => members.every((c) => pick(c).includes(value)));
  return {
    streaming: all((c) => c.streaming),
    interimResults: all((c) => c.interimResults),
    wordTimings: all((c) => c.wordTimings),
    languageDetection: all((c) => c.languageDetection),
    customVocabulary: all((c) => c.customVocabulary),
    diarization: all((c) => c.diarization),
    sampleRates: shared((c) => c.sampleRates),
    channels: shared((c) => c.channels),
    ttfsP99LatencyMs: Math.max(0, ...members.map((c) => c.ttfsP99LatencyMs)),
    reconnects: true,
  };
}
