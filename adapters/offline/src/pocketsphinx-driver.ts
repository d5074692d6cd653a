import { spawn, type ChildProcessByStdio } from "node:child_process";
import { constants } from "node:os";
import type { Readable, Writable } from "node:stream";
import { err, ok, type Result } from "neverthrow";
import { describeCause, sttError, type RecognitionDriver, type RecognitionSink } from "@sttkit/core/kit";
import { bytesPerSecond, type AudioFormat, type SttError, type TranscriptSegment } from "@sttkit/core";
import type { ResolvedOfflineConfig } from "./config.js";
import { EngineOutputParser } from "./engine-output.js";
import { Upsampler2x } from "./resample.js";

/** How long a closed stream's engine gets to exit on SIGTERM before it is killed. */
const KILL_GRACE_MS = 2_000;
/** The line the supervising shell prints on stderr when the engine exits, with its status. */
const EXIT_MARKER = "sttkit-engine-exit";
const EXIT_LINE = new RegExp(`^${EXIT_MARKER} (\\d+)$`);
/** How much of the engine's stderr is kept for error reports: its last lines, bounded. */
const STDERR_TAIL_LINES = 12;
const STDERR_TAIL_CHARS = 2_048;

/**
 * Runs the engine as `sh -c SUPERVISOR sh ENGINE ARGS...`. Node gives a child a socket, not a
 * pipe, as stdin, and the engine can only open a file or a pipe as its input: `cat` turns one into
 * the other. The shell, and the subshell waiting for the engine, ignore SIGTERM, so that stopping
 * the process group ends `cat` and the engine (which gets SIGTERM back before it starts) while
 * they stay to reap both: nothing is left behind as a zombie, even where nothing else reaps
 * orphans. The subshell reports the engine's exit on stderr at once, as `cat` may still wait on
 * its input; that is how the death of the engine is noticed mid-stream.
 */
const SUPERVISOR = [
  "trap '' TERM",
  `cat | { (trap - TERM; exec "$@"); status=$?; printf '\\n${EXIT_MARKER} %s\\n' "$status" >&2; exit "$status"; }`,
].join("\n");

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
  #process: ChildProcessByStdio<Writable, Readable, Readable> | undefined;
  #sink!: RecognitionSink;
  #pendingLine = "";
  #pendingErrorLine = "";
  /** The engine's last stderr lines, bounded. */
  #stderrTail: string[] = [];
  #exited: Promise<number | null> | undefined;
  /** The engine's exit status, once the supervising shell reported it. */
  #engineStatus: number | undefined;
  #finishing = false;
  #disposing = false;
  #failed = false;
  #bytesWritten = 0;
  /** How far on the stream's time line the engine has reported on, in ms. */
  #processedMs = 0;

  constructor(config: ResolvedOfflineConfig, settings: OfflineStreamSettings) {
    this.#config = config;
    this.#settings = settings;
    this.#upsampler = settings.format.sampleRate === 8000 ? new Upsampler2x() : undefined;
  }

  start(sink: RecognitionSink): void {
    this.#sink = sink;
    // Detached: the engine, `cat` and their shell form a process group that close() stops at once.
    const child = spawn(
      "/bin/sh",
      [
        "-c", SUPERVISOR, "sh",
        this.#config.binary,
        "-infile", "/dev/stdin",
        "-time", "yes",
        "-hmm", this.#config.acousticModel,
        "-dict", this.#config.dictionary,
        "-lm", this.#config.languageModel,
      ],
      { stdio: ["pipe", "pipe", "pipe"], detached: true },
    );
    this.#process = child;
    this.#exited = new Promise((resolve) => child.once("close", (code) => resolve(code)));
    child.once("error", (cause) => this.#fail(this.#engineError("could not be started", cause)));
    // The engine is the "service": it accepted the session once its process runs.
    child.once("spawn", () => sink.connected());
    child.once("exit", (code, signal) => {
      // The shell itself ended (killed?) with no engine exit reported and nobody asking it to.
      if (this.#engineStatus === undefined && !this.#finishing && !this.#disposing) {
        this.#fail(this.#engineError(signal ? `was stopped by ${signal}` : `exited with status ${String(code)}`));
      }
    });
    child.stdin.on("error", () => {
      // EPIPE after the engine exited: its exit status tells what happened.
    });
    child.stdin.on("drain", () => sink.drain());
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (text: string) => this.#read(text));
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (text: string) => this.#readError(text));
  }

  write(pcm: Uint8Array): boolean {
    const child = this.#process;
    if (!child || this.#failed || !child.stdin.writable) return true;
    this.#bytesWritten += pcm.byteLength;
    return child.stdin.write(this.#upsampler ? this.#upsampler.push(pcm) : pcm);
  }

  /** What the engine reported on (the end of its last utterance), or all the audio once it finished cleanly. */
  processedAudioMs(): number {
    return this.#processedMs;
  }

  async finish(): Promise<Result<void, SttError>> {
    const child = this.#process;
    if (!child || !this.#exited) return err(this.#engineError("is not running"));
    this.#finishing = true;
    child.stdin.end();
    const code = await this.#exited;
    this.#flushLine();
    this.#flushUtterance();
    if (this.#failed) return err(this.#engineError("failed"));
    const status = this.#engineStatus ?? code;
    if (status !== 0) return err(this.#engineError(this.#describeExit(status)));
    this.#processedMs = Math.max(this.#processedMs, (this.#bytesWritten / bytesPerSecond(this.#settings.format)) * 1000);
    return ok(undefined);
  }

  async dispose(): Promise<void> {
    this.#disposing = true;
    const child = this.#process;
    if (!child || !this.#exited) return;
    child.stdout.removeAllListeners("data");
    if (child.exitCode === null && child.signalCode === null) {
      // End of input first: `cat` exits on it; SIGTERM then stops the engine. The shells ignore it
      // and exit once they have reaped both.
      child.stdin.destroy();
      this.#signalGroup(child, "SIGTERM");
      const killer = setTimeout(() => this.#signalGroup(child, "SIGKILL"), KILL_GRACE_MS);
      await this.#exited;
      clearTimeout(killer);
    } else {
      await this.#exited;
    }
  }

  #signalGroup(child: ChildProcessByStdio<Writable, Readable, Readable>, signal: NodeJS.Signals): void {
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
    this.#processedMs = Math.max(this.#processedMs, segment.endMs);
    this.#sink.emit({ type: "final", segment: { ...rest, language: this.#config.language, ...(this.#settings.wordTimings && words ? { words } : {}) } });
  }

  /** Keeps the tail of the engine's log, and notices the shell's report of the engine's exit. */
  #readError(text: string): void {
    const lines = (this.#pendingErrorLine + text).split("\n");
    // A line longer than the whole tail is cut: memory stays bounded whatever the engine prints.
    this.#pendingErrorLine = (lines.pop() ?? "").slice(-STDERR_TAIL_CHARS);
    for (const line of lines) {
      const exit = EXIT_LINE.exec(line);
      if (exit) this.#engineExited(Number(exit[1]));
      else if (line.trim().length > 0) {
        this.#stderrTail.push(line.slice(0, STDERR_TAIL_CHARS));
        if (this.#stderrTail.length > STDERR_TAIL_LINES) this.#stderrTail.shift();
      }
    }
  }

  /** The engine exited. Before the end of the audio that is a failure, reported at once. */
  #engineExited(status: number): void {
    this.#engineStatus = status;
    if (this.#finishing || this.#disposing) return;
    this.#flushLine();
    this.#fail(this.#engineError(`exited before the end of the audio (${this.#describeExit(status)})`));
  }

  #describeExit(status: number | null): string {
    if (status === null) return "no exit status";
    if (status > 128) {
      const name = Object.entries(constants.signals).find(([, number]) => number === status - 128)?.[0];
      if (name) return `killed by ${name}, status ${status}`;
    }
    return `status ${status}`;
  }

  #fail(error: SttError): void {
    if (this.#failed) return;
    this.#failed = true;
    this.#sink.fail(error);
  }

  /** The engine's own last message: its last error line, else its last line. */
  #lastMessage(): string | undefined {
    const tail = this.#stderrTail;
    return [...tail].reverse().find((line) => /^(FATAL|ERROR|SYSTEM_ERROR)/.test(line)) ?? tail.at(-1);
  }

  #engineError(what: string, cause?: unknown): SttError {
    const last = cause === undefined ? this.#lastMessage() : undefined;
    const tail = this.#stderrTail.join("\n").slice(-STDERR_TAIL_CHARS);
    return sttError({
      kind: "provider",
      provider: "offline",
      message: `The PocketSphinx engine (${this.#config.binary}) ${what}.${last ? ` Its last message: ${last}` : ""}`,
      ...(cause ? { cause, detail: describeCause(cause) } : tail ? { detail: tail } : {}),
    });
  }
}
