/**
 * How CMU PocketSphinx's `pocketsphinx_continuous -time yes` output reads as transcript segments:
 * the one parser of it in the project, used by the offline adapter and by the conformance
 * package's session synthesizers.
 *
 * @packageDocumentation
 * @module @sttkit/offline/engine-output
 */
import type { TranscriptSegment, WordTiming } from "@sttkit/core";

/** Tokens PocketSphinx prints that are not words: sentence marks, silence, noise. */
const NOT_SPEECH = /^(<s>|<\/s>|<sil>|\[[A-Z_]+\]|\+\+.*\+\+|\+[A-Z_]+\+)$/;
/** `word 1.230 1.560 0.998` as printed with `-time yes`: word, start s, end s, posterior. */
const TIMED_WORD = /^(\S+) (\d+(?:\.\d+)?) (\d+(?:\.\d+)?) (\d+(?:\.\d+)?)$/;


/**
 * Reads `pocketsphinx_continuous -time yes` output line by line and yields a segment each time
 * the engine closes an utterance (`</s>`). The hypothesis line it prints first is redundant with
 * the timed words, so only the words are used (fillers removed, `word(2)` pronunciation variants
 * folded to `word`).
 */
export class EngineOutputParser {
  #words: WordTiming[] | undefined;

  /** Feeds one output line; returns the finished utterance, if this line closed one with words in it. */
  line(text: string): TranscriptSegment | undefined {
    const match = TIMED_WORD.exec(text.trim());
    if (!match) return undefined;
    const [, token, start, end, posterior] = match as unknown as [string, string, string, string, string];
    if (token === "<s>") {
      this.#words = [];
      return undefined;
    }
    if (token === "</s>") {
      const words = this.#words ?? [];
      this.#words = undefined;
      return words.length === 0 ? undefined : segmentOf(words);
    }
    if (!NOT_SPEECH.test(token)) {
      // A word outside <s> ... </s> (output cut and resumed) opens an utterance of its own.
      (this.#words ??= []).push({
        text: token.replace(/\(\d+\)$/, ""),
        startMs: Math.round(Number(start) * 1000),
        endMs: Math.round(Number(end) * 1000) + 10,
        confidence: Math.min(1, Number(posterior)),
      });
    }
    return undefined;
  }

  /** The output ended: the utterance still open (cut off before its `</s>`), if it has words. */
  end(): TranscriptSegment | undefined {
    const words = this.#words ?? [];
    this.#words = undefined;
    return words.length === 0 ? undefined : segmentOf(words);
  }
}

/** Reads a whole `pocketsphinx_continuous -time yes` output: one segment per utterance with words, in order. */
export function parseEngineOutput(output: string): TranscriptSegment[] {
  const parser = new EngineOutputParser();
  const segments = output.split("\n").flatMap((line) => parser.line(line) ?? []);
  const cut = parser.end();
  return cut ? [...segments, cut] : segments;
}

function segmentOf(words: readonly WordTiming[]): TranscriptSegment {
  const text = words.map((word) => word.text).join(" ");
  const confidence = words.reduce((sum, word) => sum + (word.confidence ?? 0), 0) / words.length;
  return {
    text,
    lexical: text,
    startMs: (words[0] as WordTiming).startMs,
    endMs: (words.at(-1) as WordTiming).endMs,
    confidence: Math.round(confidence * 1000) / 1000,
    words,
  };
}
