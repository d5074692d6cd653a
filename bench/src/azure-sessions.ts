import { TICKS_PER_MS } from "@sttkit/core/kit";
import { RECORDED_SESSION_FORMAT } from "@sttkit/conformance";
import { loadAzureSession, recordedFinalTexts, type RecordedAzureMessage, type RecordedAzureSession } from "@sttkit/conformance/azure";

/** The recorded Azure session of a fixture, which the bench expects to be one turn. */
export function loadOneTurnSession(id: string): RecordedAzureSession {
  const session = loadAzureSession(id)._unsafeUnwrap();
  if (session.format !== RECORDED_SESSION_FORMAT || session.turns.length !== 1) {
    throw new Error(`the bench expects a one-turn ${RECORDED_SESSION_FORMAT} session for ${id}`);
  }
  return session;
}

function shiftOffsets(value: unknown, ticks: number): unknown {
  if (Array.isArray(value)) return value.map((inner) => shiftOffsets(inner, ticks));
  if (typeof value !== "object" || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    out[key] = key === "Offset" && typeof inner === "number" ? inner + ticks : shiftOffsets(inner, ticks);
  }
  return out;
}

/**
 * The session the service would send for {@link repeatPcm}'s audio: one turn in which every copy
 * of the recording is recognised again, with audio positions and offsets moved by the copies
 * before it. Only the first copy opens the turn and only the last one closes it (the messages
 * held until the end of the audio), so the turn reads as one continuous recognition.
 */
export function repeatSession(session: RecordedAzureSession, durationMs: number, times: number): RecordedAzureSession {
  const original = session.turns[0]?.messages ?? [];
  const messages: RecordedAzureMessage[] = [];
  for (let copy = 0; copy < times; copy++) {
    const first = copy === 0;
    const last = copy === times - 1;
    const shiftMs = copy * durationMs;
    for (const message of original) {
      if (!first && message.path === "turn.start") continue;
      if (!last && message.afterEndOfAudio) continue;
      messages.push({
        ...message,
        atAudioMs: message.atAudioMs + shiftMs,
        ...(message.body === undefined ? {} : { body: shiftOffsets(message.body, Math.round(shiftMs * TICKS_PER_MS)) }),
      });
    }
  }
  return { ...session, turns: [{ messages }] };
}

/** How many final phrases with text a session delivers: what each client must receive. */
export function phraseCount(session: RecordedAzureSession): number {
  return recordedFinalTexts(session).length;
}
