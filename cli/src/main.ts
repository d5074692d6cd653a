import { readFile } from "node:fs/promises";
import { azureProvider } from "@sttkit/azure";
import { wordErrorRate } from "@sttkit/core/wer";
import { createSttContainer, loadSttConfig, resolveSpeechToText, type SttProviderDefinition } from "@sttkit/core/di";
import { durationMs, formatSttError, parseLanguage, readWavFile, type SpeechEvent } from "@sttkit/core";
import { offlineProvider } from "@sttkit/offline";
import { openaiProvider } from "@sttkit/openai";
import { parseArgs, USAGE, type TranscribeCommand } from "./args.js";
import { segmentLine, transcriptJson, werLine } from "./output.js";
import { ProgressReporter } from "./progress.js";

/** The providers the CLI can bind; the configuration picks one. */
export const CLI_PROVIDERS: readonly SttProviderDefinition[] = [offlineProvider, azureProvider, openaiProvider];

/** The CLI's default configuration: offline, so it works on a fresh machine with no credentials. */
export const DEFAULT_CLI_CONFIG = Object.freeze({ provider: "offline" });

/** Where the CLI writes, and the environment it reads: injectable for tests. */
export interface CliIo {
  /** Transcripts and results. */
  readonly stdout: { write(text: string): unknown };
  /** Progress and errors. */
  readonly stderr: { write(text: string): unknown; isTTY?: boolean };
  /** Environment variables (STT_PROVIDER, STT_CONFIG, credentials). */
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** Exit status for bad arguments, options or input files. */
export const EXIT_USAGE = 2;
/** Exit status when the provider fails to transcribe. */
export const EXIT_FAILURE = 1;

/** Runs the CLI with `argv` (after the program name) and returns the exit status. Never throws. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
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
    return await transcribe(parsed.value, io);
  } catch (cause) {
    io.stderr.write(`sttkit: unexpected failure: ${cause instanceof Error ? cause.stack ?? cause.message : String(cause)}\n`);
    return EXIT_FAILURE;
  }
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

  const audio = await readWavFile(command.file);
  if (audio.isErr()) return fail(EXIT_USAGE, `${command.file}: ${audio.error.message}`);
  const totalMs = durationMs(audio.value.pcm.byteLength, audio.value.format);
  const progress = new ProgressReporter(io.stderr, totalMs, command.progress);
  const onEvent = (event: SpeechEvent): void => {
    if (event.type !== "final") return;
    progress.update(event.segment.endMs);
    if (!command.json && event.segment.text.trim().length > 0) {
      progress.clear();
      io.stdout.write(`${segmentLine(event.segment)}\n`);
    }
  };
  const result = await stt.transcribe(audio.value, {
    onEvent,
    ...(language?.isOk() ? { language: language.value } : {}),
  });
  progress.clear();
  if (result.isErr()) return fail(EXIT_FAILURE, formatSttError(result.error));
  const wer = reference === undefined ? undefined : wordErrorRate(reference, result.value.text);
  if (command.json) io.stdout.write(`${transcriptJson(result.value, stt.provider, wer)}\n`);
  else if (wer) io.stdout.write(`${werLine(wer)}\n`);
  return 0;
}

async function readReference(command: TranscribeCommand): Promise<string | undefined | Error> {
  if (command.reference !== undefined) return command.reference;
  if (command.referenceFile === undefined) return undefined;
  try {
    return await readFile(command.referenceFile, "utf8");
  } catch (cause) {
    return new Error(`Cannot read the reference file ${command.referenceFile}: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}
