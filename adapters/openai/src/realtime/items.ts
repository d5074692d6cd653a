import type { Language } from "@sttkit/core";
import type { DriverEvent } from "@sttkit/core/kit";

/** The VAD settings a session was opened with: what the service's times include. */
export interface VadTiming {
  /** `speech_started.audio_start_ms` lies this much before the speech. */
  readonly prefixPaddingMs: number;
  /** `speech_stopped.audio_end_ms` lies this much after the speech. */
  readonly silenceDurationMs: number;
}

interface Item {
  startMs?: number;
  endMs?: number;
  /** The VAD reported the end of its speech (the service committed it itself). */
  stopped: boolean;
  /** The text so far, from deltas. */
  text: string;
  transcript?: string;
  done: boolean;
  /** Replaced by the item the client's commit created: it will never be transcribed. */
  superseded: boolean;
}

const round = (ms: number): number => Math.round(ms * 10) / 10;

/**
 * Joins a Realtime transcription session's events into the stream's events. Transcripts carry no
 * times: each item's times come from `speech_started` / `speech_stopped` (joined by `item_id`),
 * corrected for what the API says they include (the prefix padding before, the closing silence
 * after), or, for an item the client committed itself, from where the buffer began and the audio
 * sent at the commit. Finals go out in the order the items were committed, whatever order their
 * transcripts complete in. Times are the service's, which counts from the first audio of the
 * connection: the stream's own time line (one connection per stream).
 */
export class TranscriptionItems {
  readonly #vad: VadTiming;
  readonly #language: Language | undefined;
  readonly #interims: boolean;
  readonly #items = new Map<string, Item>();
  /** Committed items in commit order, not yet delivered. */
  readonly #order: string[] = [];
  /** The item whose speech has started and not stopped. */
  #open: string | undefined;
  /** Where the service's input buffer begins: the end of the last committed audio, service time (ms). */
  #boundaryMs = 0;
  /** The audio sent when the client committed, while the commit awaits its answer. */
  #manualCommitMs: number | undefined;

  constructor(vad: VadTiming, language: Language | undefined, interims: boolean) {
    this.#vad = vad;
    this.#language = language;
    this.#interims = interims;
  }

  #item(id: string): Item {
    let item = this.#items.get(id);
    if (!item) {
      item = { stopped: false, text: "", done: false, superseded: false };
      this.#items.set(id, item);
    }
    return item;
  }

  get #languageField(): { language?: Language } {
    return this.#language !== undefined ? { language: this.#language } : {};
  }

  /** Audio the service holds uncommitted, given how much was sent (ms). */
  uncommittedMs(sentMs: number): number {
    return sentMs - this.#boundaryMs;
  }

  /** Whether speech has started that no commit has closed yet. */
  get speaking(): boolean {
    return this.#open !== undefined;
  }

  /** The client commits the buffer now, having sent `sentMs` of audio. */
  commitSent(sentMs: number): void {
    this.#manualCommitMs = sentMs;
  }

  /** Whether the client's commit still awaits its answer. */
  get commitPending(): boolean {
    return this.#manualCommitMs !== undefined;
  }

  /** No item is left to transcribe and no commit awaits its answer. */
  get settled(): boolean {
    if (this.#manualCommitMs !== undefined) return false;
    for (const item of this.#items.values()) if (!item.done && !item.superseded) return false;
    return true;
  }

  speechStarted(id: string, audioStartMs: number): DriverEvent[] {
    const item = this.#item(id);
    item.startMs = audioStartMs + this.#vad.prefixPaddingMs;
    this.#open = id;
    return [{ type: "speech-started", offsetMs: round(item.startMs) }];
  }

  speechStopped(id: string, audioEndMs: number): DriverEvent[] {
    const item = this.#item(id);
    item.endMs = Math.max(audioEndMs - this.#vad.silenceDurationMs, item.startMs ?? 0);
    item.stopped = true;
    this.#boundaryMs = audioEndMs;
    if (this.#open === id) this.#open = undefined;
    return [{ type: "speech-ended", offsetMs: round(item.endMs) }];
  }

  /**
   * An item was committed. One the VAD stopped was committed by the service; one it did not is
   * the answer to the client's commit (or a commit of the service's own): it ends at the audio
   * sent at the commit and starts where its speech started, else where the buffer began. An item
   * whose speech started but which the commit's item replaces is never transcribed: dropped.
   */
  committed(id: string, sentMs: number): DriverEvent[] {
    const item = this.#item(id);
    if (!this.#order.includes(id) && !item.done) this.#order.push(id);
    if (!item.stopped && item.endMs === undefined) {
      const endMs = this.#manualCommitMs ?? sentMs;
      item.endMs = endMs;
      if (item.startMs === undefined) {
        const open = this.#open !== undefined && this.#open !== id ? this.#items.get(this.#open) : undefined;
        item.startMs = open?.startMs ?? this.#boundaryMs;
        if (open) open.superseded = true;
      }
      if (this.#open !== undefined) this.#open = undefined;
      this.#boundaryMs = endMs;
      this.#manualCommitMs = undefined;
    }
    return this.#flush();
  }

  /** The client's commit had too little audio to commit: nothing more will be transcribed. */
  commitEmpty(): void {
    this.#manualCommitMs = undefined;
    if (this.#open !== undefined) {
      const open = this.#items.get(this.#open);
      if (open) open.superseded = true;
      this.#open = undefined;
    }
  }

  delta(id: string, delta: string, sentMs: number): DriverEvent[] {
    const item = this.#item(id);
    item.text += delta;
    if (!this.#interims || item.text.trim().length === 0) return [];
    const startMs = item.startMs ?? this.#boundaryMs;
    return [{ type: "interim", text: item.text, startMs: round(startMs), endMs: round(Math.max(startMs, item.endMs ?? sentMs)), ...this.#languageField }];
  }

  completed(id: string, transcript: string, sentMs: number): DriverEvent[] {
    const item = this.#item(id);
    item.transcript = transcript;
    item.done = true;
    if (!this.#order.includes(id) && !item.superseded) {
      // A transcript for an item never seen committed: place it now, on what is known.
      this.#order.push(id);
      item.startMs ??= this.#boundaryMs;
      item.endMs ??= sentMs;
    }
    return this.#flush();
  }

  /** The item's transcription failed: it is over (the stream fails with the error). */
  failed(id: string): void {
    this.#item(id).done = true;
  }

  /** Finals of the committed items at the head of the order whose transcripts are in. */
  #flush(): DriverEvent[] {
    const out: DriverEvent[] = [];
    while (this.#order.length > 0) {
      const item = this.#items.get(this.#order[0] as string);
      if (item && !item.done && !item.superseded) break;
      this.#order.shift();
      const text = item?.transcript?.trim() ?? "";
      if (!item || item.superseded || text.length === 0 || item.endMs === undefined) continue;
      const startMs = Math.min(item.startMs ?? item.endMs, item.endMs);
      out.push({ type: "final", segment: { text, startMs: round(startMs), endMs: round(item.endMs), ...this.#languageField } });
    }
    return out;
  }
}
