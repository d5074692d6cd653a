import { TICKS_PER_MS } from "@sttkit/core/kit";
import type { RecordedAzureMessage } from "./session-format.js";

/**
 * How far a recorded turn has been delivered to one SDK connection (one `X-ConnectionId`), kept
 * across reconnects. After a dropped socket the SDK reconnects with the same connection id and
 * replays the audio kept since the end of the last final phrase, byte-exact (its replay buffer is
 * trimmed at `Offset + Duration` of each phrase and replay starts there); it then adds that point
 * to every offset the new turn reports. So a resumed turn starts at the end of the last delivered
 * phrase: the messages after that phrase are sent again with their audio positions and offsets
 * rebased onto the new turn, and no phrase is ever delivered twice.
 */
export class ReplayProgress {
  /** Index (in the turn's messages) after the last delivered phrase: where a resumed turn starts. */
  resumeAt = 0;
  /** End of the last delivered phrase, in ms of the recording's time line. */
  lastPhraseEndMs = 0;
  /** Phrases delivered so far, across connections. */
  phrasesDelivered = 0;

  /** Records that the end of speech right after the last phrase went out: a resumed turn must not repeat it. */
  endOfSpeechDelivered(index: number): void {
    if (index === this.resumeAt) this.resumeAt = index + 1;
  }

  /** Records that the message at `index` (a phrase) went out. */
  phraseDelivered(index: number, message: RecordedAzureMessage): void {
    this.resumeAt = index + 1;
    this.phrasesDelivered++;
    const body = message.body as { Offset?: unknown; Duration?: unknown } | undefined;
    if (typeof body?.Offset === "number" && typeof body.Duration === "number") {
      this.lastPhraseEndMs = (body.Offset + body.Duration) / TICKS_PER_MS;
    }
  }
}

/**
 * A message moved `baseMs` earlier: its audio position and every `Offset` in its body (phrase,
 * NBest words) shifted, so it reads as the service would send it in a turn starting at `baseMs`.
 */
export function rebaseMessage(message: RecordedAzureMessage, baseMs: number): RecordedAzureMessage {
  if (baseMs === 0) return message;
  const baseTicks = Math.round(baseMs * TICKS_PER_MS);
  const shift = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(shift);
    if (typeof value !== "object" || value === null) return value;
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      out[key] = key === "Offset" && typeof inner === "number" ? Math.max(0, inner - baseTicks) : shift(inner);
    }
    return out;
  };
  return { ...message, atAudioMs: Math.max(0, message.atAudioMs - baseMs), body: shift(message.body) };
}
