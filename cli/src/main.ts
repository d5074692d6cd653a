import { readFile, stat, writeFile } from "node:fs/promises";
import { azureProvider } from "@sttkit/azure";
import { deepgramProvider } from "@sttkit/deepgram";
import { wordErrorRate, type WerResult } from "@sttkit/core/wer";
import { createSttContainer, loadSttConfig, resolveSpeechToText, type SttProviderDefinition } from "@sttkit/core/di";
import { durationMs, formatSttError, openWavFile, parseLanguage, type Language, type SpeechEvent, type SpeechToText, type SttError, type Transcript } from "@sttkit/core";
import { err, ok, type Result } from "neverthrow";
import { offlineProvider } from "@sttkit/offline";
import { openaiProvider } from "@sttkit/openai";
import { parseArgs, USAGE, type TranscribeCommand } from "./args.js";
import { loadConformanceRunner, type ConformanceRunner } from "./conformance.js";
import { segmentLine, transcriptJson, werLine } from "./output.js";
import { outputPaths } from "./output-paths.js";
import { ProgressReporter } from "./progress.js";
import { formatSubtitles } from "./subtitles.js";

/** The providers the CLI can bind; the configuration picks one. */
export const CLI_PROVIDERS: readonly SttProviderDefinition[] = [offlineProvider, azureProvider, deepgramProvider, openaiProvider];

/** The CLI's default configuration: offline, so it works on a fresh machine with no credentials. */
export const DEFAULT_CLI_CONFIG = Object.freeze({ provider: "offline" });

/** Where the CLI writes, and the environment it reads: injectable for tests. */
export interface CliIo {
  /** Transcripts and results. */
  readonly stdout: { write(text: string): unknown; isTTY?: boolean };
  /** Progress and errors. */
  readonly stderr: { write(text: string): unknown; isTTY?: boolean };
  /** Environment variables (STT_PROVIDER, STT_CONFIG, credentials). */
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** Exit status for bad arguments, options or input files. */
export const EXIT_USAGE = 2;
/** Exit status when the provider fails to transcribe. */
export const EXIT_FAILURE = 1;

/** The largest reference transcript read for `--reference-file` (a transcript, not a book). */
const MAX_REFERENCE_BYTES = 1024 * 1024;

/** What `main` uses besides its I/O: injectable for tests. */
export interface MainOptions {
  /** Loads the `sttkit conformance` runner (default: {@link loadConformanceRunner} from the working directory). */
  readonly loadConformanceRunner?: () => Promise<Result<ConformanceRunner, SttError>>;
}

/** Runs the CLI with `argv` (after the program name) and returns the exit status. Never throws. */
export async function main(argv: readonly string[], io: CliIo, options: MainOptions = {}): Promise<number> {
  const parsed = parseArgs(argv);
  if (parsed.isErr()) {
    io.stderr.write(`sttkit: ${parsed.error}\n\n${USAGE}\n`);
    return EXIT_USAGE;
  }
  if (parsed.value.command === "help") {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }
  try {
    if (parsed.value.command === "conformance") return await conformance(parsed.value.argv, io, options);
    return await transcribe(parsed.value, io);
  } catch (cause) {
    io.stderr.write(`sttkit: unexpected failure: ${cause instanceof Error ? cause.stack ?? cause.message : String(cause)}\n`);
    return EXIT_FAILURE;
  }
}

/** `sttkit conformance`: loaded on demand from the conformance package, which does the rest. */
async function conformance(argv: readonly string[], io: CliIo, options: MainOptions): Promise<number> {
  const runner = await (options.loadConformanceRunner ?? (() => loadConformanceRunner({ cwd: process.cwd() })))();
  if (runner.isErr()) {
    io.stderr.write(`sttkit: ${formatSttError(runner.error)}\n`);
    return EXIT_USAGE;
  }
  return runner.value.runConformanceCommand(argv, io);
}

/** Errors that mean the request or the input is wrong (exit status 2), not that transcription failed. */
const USAGE_ERROR_KINDS: ReadonlySet<SttError["kind"]> = new Set<SttError["kind"]>(["invalid-audio", "invalid-argument", "unsupported-language", "unsupported-option"]);

async function transcribe(command: TranscribeCommand, io: CliIo): Promise<number> {
  const fail = (status: number, message: string): number => {
    io.stderr.write(`sttkit: ${message}\n`);
    return status;
  };
  const language = command.language === undefined ? undefined : parseLanguage(command.language);
  if (language?.isErr()) return fail(EXIT_USAGE, language.error.message);
  const reference = await readReference(command);
  if (reference instanceof Error) return fail(EXIT_USAGE, reference.message);
  const outputs = await outputPaths(command.files, command.format, command.output);
  if (outputs instanceof Error) return fail(EXIT_USAGE, outputs.message);

  const config = await loadSttConfig({
    defaults: DEFAULT_CLI_CONFIG,
    env: io.env,
    ...(command.config !== undefined ? { file: command.config } : {}),
    ...(command.provider !== undefined ? { overrides: { provider: command.provider } } : {}),
  });
  if (config.isErr()) return fail(EXIT_USAGE, config.error.message);
  const speechToText = createSttContainer(config.value, CLI_PROVIDERS).andThen(resolveSpeechToText);
  if (speechToText.isErr()) return fail(EXIT_USAGE, formatSttError(speechToText.error));
  const job: Job = { stt: speechToText.value, command, io, reference, ...(language?.isOk() ? { language: language.value } : {}) };

  let status = 0;
  for (const [index, file] of command.files.entries()) {
    const label = command.files.length > 1 ? `[${index + 1}/${command.files.length}] ${file}` : undefined;
    const result = await transcribeFile(job, file, outputs[index], label);
    if (result.isErr()) {
      const [code, message] = result.error;
      status = Math.max(status, code);
      fail(code, message);
      // A language the provider cannot do fails every file alike: say it once.
      if (code === EXIT_USAGE && message.includes("unsupported-language")) break;
    } else if (label) io.stderr.write(`${label}: done${outputs[index] === undefined ? "" : ` -> ${outputs[index] as string}`}\n`);
  }
  return status;
}

/** What every file of one command shares. */
interface Job {
  readonly stt: SpeechToText;
  readonly command: TranscribeCommand;
  readonly io: CliIo;
  readonly reference: string | undefined;
  readonly language?: Language;
}

/** Transcribes one file to its output; an error is its exit status and message. */
async function transcribeFile({ stt, command, io, reference, language }: Job, file: string, output: string | undefined, label: string | undefined): Promise<Result<void, [number, string]>> {
  const name = label ?? file;
  const progress = new ProgressReporter(io.stderr, await knownLength(file), command.progress, label);
  // Timed lines go out as they come, unless another format or a file takes the whole result.
  const live = command.format === "text" && output === undefined;
  const onEvent = (event: SpeechEvent): void => {
    if (event.type !== "final") return;
    progress.update(event.segment.endMs);
    if (live && event.segment.text.trim().length > 0) {
      progress.clear();
      io.stdout.write(`${segmentLine(event.segment)}\n`);
    }
  };
  // Any format: transcribe() streams the file (decoding it with ffmpeg unless it is WAV), so a
  // file of any size takes a fixed amount of memory.
  const result = await stt.transcribe({ path: file === "-" ? "/dev/stdin" : file }, {
    onEvent,
    ...(command.words ? { wordTimings: true } : {}),
    ...(language ? { language } : {}),
  });
  progress.clear();
  if (result.isErr()) return err([USAGE_ERROR_KINDS.has(result.error.kind) ? EXIT_USAGE : EXIT_FAILURE, `${name}: ${formatSttError(result.error)}`]);
  const wer = reference === undefined ? undefined : wordErrorRate(reference, result.value.text);
  const rendered = render(command, output, result.value, stt.provider, wer);
  if (output === undefined) {
    if (rendered) io.stdout.write(rendered);
    return ok(undefined);
  }
  try {
    await writeFile(output, rendered);
  } catch (cause) {
    return err([EXIT_USAGE, `Cannot write ${output}: ${cause instanceof Error ? cause.message : String(cause)}`]);
  }
  return ok(undefined);
}

/** The length of a WAV file from its header (for the progress bar); unknown for other files and standard input. */
async function knownLength(file: string): Promise<number | undefined> {
  if (file === "-") return undefined;
  const header = await openWavFile(file);
  if (header.isErr()) return undefined;
  await header.value.close();
  return header.value.dataBytes === undefined ? undefined : durationMs(header.value.dataBytes, header.value.format);
}

/** The result in the asked format: what goes to the output file, or to stdout after the live lines. */
function render(command: TranscribeCommand, output: string | undefined, transcript: Transcript, provider: string, wer: WerResult | undefined): string {
  if (command.format === "json") return `${transcriptJson(transcript, provider, wer)}\n`;
  if (command.format === "srt" || command.format === "vtt") return formatSubtitles(transcript, command.format);
  const lines = output === undefined ? [] : transcript.segments.filter((segment) => segment.text.trim().length > 0).map(segmentLine);
  return [...lines, ...(wer ? [werLine(wer)] : [])].map((line) => `${line}\n`).join("");
}

async function readReference(command: TranscribeCommand): Promise<string | undefined | Error> {
  if (command.reference !== undefined) return command.reference;
  if (command.referenceFile === undefined) return undefined;
  try {
    const size = (await stat(command.referenceFile)).size;
    if (size > MAX_REFERENCE_BYTES) return new Error(`The reference file ${command.referenceFile} has ${size} bytes; a transcript reference is at most ${MAX_REFERENCE_BYTES}.`);
    return await readFile(command.referenceFile, "utf8");
  } catch (cause) {
    return new Error(`Cannot read the reference file ${command.referenceFile}: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}
