import { readFile, stat, writeFile } from "node:fs/promises";
import { azureProvider } from "@sttkit/azure";
import { deepgramProvider } from "@sttkit/deepgram";
import { wordErrorRate, type WerResult } from "@sttkit/core/wer";
import { createSttContainer, loadSttConfig, resolveSpeechToText, type SttProviderDefinition } from "@sttkit/core/di";
import { durationMs, formatSttError, openWavFile, parseLanguage, type SpeechEvent, type SttError, type Transcript } from "@sttkit/core";
import type { Result } from "neverthrow";
import { offlineProvider } from "@sttkit/offline";
import { openaiProvider } from "@sttkit/openai";
import { parseArgs, USAGE, type TranscribeCommand } from "./args.js";
import { loadConformanceRunner, type ConformanceRunner } from "./conformance.js";
import { segmentLine, transcriptJson, werLine } from "./output.js";
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

async function transcribe(command: TranscribeCommand, io: CliIo): Promise<number> {
  const fail = (status: number, message: string): number => {
    io.stderr.write(`sttkit: ${message}\n`);
    return status;
  };
  const language = command.language === undefined ? undefined : parseLanguage(command.language);
  if (language?.isErr()) return fail(EXIT_USAGE, language.error.message);
  const reference = await readReference(command);
  if (reference instanceof Error) return fail(EXIT_USAGE, reference.message);

  const config = await loadSttConfig({
    defaults: DEFAULT_CLI_CONFIG,
    env: io.env,
    ...(command.config !== undefined ? { file: command.config } : {}),
    ...(command.provider !== undefined ? { overrides: { provider: command.provider } } : {}),
  });
  if (config.isErr()) return fail(EXIT_USAGE, config.error.message);
  const speechToText = createSttContainer(config.value, CLI_PROVIDERS).andThen(resolveSpeechToText);
  if (speechToText.isErr()) return fail(EXIT_USAGE, formatSttError(speechToText.error));
  const stt = speechToText.value;

  // Only the header is read here (a bad file is refused at once); transcribe() then streams the
  // samples from disk, so a file of any size takes a fixed amount of memory.
  const header = await openWavFile(command.file);
  if (header.isErr()) return fail(EXIT_USAGE, `${command.file}: ${header.error.message}`);
  await header.value.close();
  const { dataBytes, format } = header.value;
  const totalMs = dataBytes === undefined ? 0 : durationMs(dataBytes, format);
  const progress = new ProgressReporter(io.stderr, totalMs, command.progress);
  // Timed lines go out as they come, unless another format or a file takes the whole result.
  const live = command.format === "text" && command.output === undefined;
  const onEvent = (event: SpeechEvent): void => {
    if (event.type !== "final") return;
    progress.update(event.segment.endMs);
    if (live && event.segment.text.trim().length > 0) {
      progress.clear();
      io.stdout.write(`${segmentLine(event.segment)}\n`);
    }
  };
  const result = await stt.transcribe({ path: command.file }, {
    onEvent,
    ...(command.words ? { wordTimings: true } : {}),
    ...(language?.isOk() ? { language: language.value } : {}),
  });
  progress.clear();
  if (result.isErr()) return fail(EXIT_FAILURE, formatSttError(result.error));
  const wer = reference === undefined ? undefined : wordErrorRate(reference, result.value.text);
  const rendered = render(command, result.value, stt.provider, wer);
  if (command.output === undefined) {
    if (rendered) io.stdout.write(rendered);
    return 0;
  }
  try {
    await writeFile(command.output, rendered);
  } catch (cause) {
    return fail(EXIT_USAGE, `Cannot write ${command.output}: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
  return 0;
}

/** The result in the asked format: what goes to the output file, or to stdout after the live lines. */
function render(command: TranscribeCommand, transcript: Transcript, provider: string, wer: WerResult | undefined): string {
  if (command.format === "json") return `${transcriptJson(transcript, provider, wer)}\n`;
  if (command.format === "srt" || command.format === "vtt") return formatSubtitles(transcript, command.format);
  const lines = command.output === undefined ? [] : transcript.segments.filter((segment) => segment.text.trim().length > 0).map(segmentLine);
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
