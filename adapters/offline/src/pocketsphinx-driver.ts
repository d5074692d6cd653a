import { spawn, type ChildProcessByStdio } from "node:child_process";
import type { Readable, Writable } from "node:stream";
import { err, ok, type Result } from "neverthrow";
import { describeCause, sttError, type RecognitionDriver, type RecognitionSink } from "@sttkit/core/kit";
import type { AudioFormat, SttError, TranscriptSegment } from "@sttkit/core";
import type { ResolvedOfflineConfig } from "./config.js";
import { EngineOutputParser } from "./engine-output.js";
import { Upsampler2x } from "./resample.js";

/** How long a closed stream's engine gets to exit on SIGTERM before it is killed. */
const KILL_GRACE_MS = 2_000;

/** What a stream asked for that changes how the engine's output is reported. */
export interface OfflineStreamSettings {
  /** The caller's PCM layout (16 or 8 kHz mono). */
  readonly format: AudioFormat;
  /** Keep word timings on final segments. */
  readonly wordTimings: boolean;
}

/**
 * Drives one `pocketsphinx_continuous` process per stream: PCM goes to its stdin as it arrives
 * (raw 16 kHz samples; 8 kHz audio is upsampled on the way), and each utterance the engine's voice
 * activity detector closes becomes a final transcript at once. `finish()` closes stdin and waits
 * for the last utterance and the exit; `dispose()` kills the process if it is still running.
 */
export class PocketSphinxDriver implements RecognitionDriver {
  readonly #config: ResolvedOfflineConfig;
  readonly #settings: OfflineStreamSettings;
  readonly #upsampler: Upsampler2x | undefined;
  readonly #parser = new EngineOutputParser();
  #process: ChildProcessByStdio<Writable, Readable, null> | undefined;
  #sink!: RecognitionSink;
  #pendingLine = "";
  #exited: Promise<number | null> | undefined;
  #failed = false;

  constructor(config: ResolvedOfflineConfig, settings: OfflineStreamSettings) {
    this.#config = config;
    this.#settings = settings;
    this.#upsampler = settings.format.sampleRate === 8000 ? new Upsampler2x() : undefined;
  }

  start(sink: RecognitionSink): void {
    this.#sink = sink;
    // Node gives a child a socket, not a pipe, as stdin, and the engine can only open a file or a
    // pipe as its input; `cat` turns one into the other. The group lets close() stop both at once.
    const child = spawn(
      "/bin/sh",
      [
        "-c", 'cat | exec "$@"', "sh",
        this.#config.binary,
        "-infile", "/dev/stdin",
        "-time", "yes",
        "-logfn", "/dev/null",
        "-hmm", this.#config.acousticModel,
        "-dict", this.#config.dictionary,
        "-lm", this.#config.languageModel,
      ],
      { stdio: ["pipe", "pipe", "ignore"], detached: true },
    );
    this.#process = child;
    this.#exited = new Promise((resolve) => child.once("close", (code) => resolve(code)));
    child.once("error", (cause) => this.#fail(this.#engineError("could not be started", cause)));
    child.stdin.on("error", () => {
      // EPIPE after the engine exited: its exit status tells what happened.
    });
    child.stdin.on("drain", () => sink.drain());
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (text: string) => this.#read(text));
  }

  write(pcm: Uint8Array): boolean {
    const child = this.#process;
    if (!child || this.#failed || !child.stdin.writable) return true;
    return child.stdin.write(this.#upsampler ? this.#upsampler.push(pcm) : pcm);
  }

  async finish(): Promise<Result<void, SttError>> {
    const child = this.#process;
    if (!child || !this.#exited) return err(this.#engineError("is not running"));
    child.stdin.end();
    const code = await this.#exited;
    this.#flushLine();
    this.#flushUtterance();
    if (this.#failed) return err(this.#engineError("failed"));
    if (code !== 0) return err(this.#engineError(`exited with status ${String(code)}`));
    return ok(undefined);
  }

  async dispose(): Promise<void> {
    const child = this.#process;
    if (!child || !this.#exited) return;
    child.stdout.removeAllListeners("data");
    if (child.exitCode === null && child.signalCode === null) {
      child.stdin.destroy();
      this.#signalGroup(child, "SIGTERM");
      const killer = setTimeout(() => this.#signalGroup(child, "SIGKILL"), KILL_GRACE_MS);
      await this.#exited;
      clearTimeout(killer);
    } else {
      await this.#exited;
    }
  }

  #signalGroup(child: ChildProcessByStdio<Writable, Readable, null>, signal: NodeJS.Signals): void {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, signal);
    } catch {
      // The group is already gone.
    }
  }

  #read(text: string): void {
    const lines = (this.#pendingLine + text).split("\n");
    this.#pendingLine = lines.pop() ?? "";
    for (const line of lines) this.#line(line);
  }

  #flushLine(): void {
    if (this.#pendingLine.length > 0) this.#line(this.#pendingLine);
    this.#pendingLine = "";
  }

  /** Reports the utterance the engine left open when its output ended, so no recognised word is dropped. */
  #flushUtterance(): void {
    const segment = this.#parser.end();
    if (segment) this.#emitSegment(segment);
  }

  #line(line: string): void {
    const segment = this.#parser.line(line);
    if (segment) this.#emitSegment(segment);
  }

  #emitSegment(segment: TranscriptSegment): void {
    const { words, ...rest } = segment;
    this.#sink.emit({ type: "final", segment: { ...rest, language: this.#config.language, ...(this.#settings.wordTimings && words ? { words } : {}) } });
  }

  #fail(error: SttError): void {
    if (this.#failed) return;
    this.#failed = true;
    this.#sink.fail(error);
  }

  #engineError(what: string, cause?: unknown): SttError {
    return sttError({
      kind: "provider",
      provider: "offline",
      message: `The PocketSphinx engine (${this.#config.binary}) ${what}.`,
      ...(cause ? { cause, detail: describeCause(cause) } : {}),
    });
  }
}
