import { err, ok, type Result } from "neverthrow";

/** The parsed `sttkit transcribe` command line. */
export interface TranscribeCommand {
  /** Discriminant. */
  readonly command: "transcribe";
  /** The WAV file to transcribe. */
  readonly file: string;
  /** `--provider`: overrides the configured provider. */
  readonly provider?: string;
  /** `--language`: a BCP-47 tag, validated later against the `Language` enum. */
  readonly language?: string;
  /** `--json`: print the transcript as JSON instead of timed lines. */
  readonly json: boolean;
  /** `--config`: a JSON config file (otherwise `STT_CONFIG`). */
  readonly config?: string;
  /** `--reference`: the reference transcript text, to print the word error rate. */
  readonly reference?: string;
  /** `--reference-file`: a file holding the reference transcript. */
  readonly referenceFile?: string;
  /** `--no-progress`: never print progress on stderr. */
  readonly progress: boolean;
}

/** `sttkit --help` or `sttkit help`. */
export interface HelpCommand {
  /** Discriminant. */
  readonly command: "help";
}

/** Any command the CLI understands. */
export type CliCommand = TranscribeCommand | HelpCommand;

/** The usage text printed by `--help` and after a usage error. */
export const USAGE = `Usage: sttkit transcribe FILE.wav [options]

Transcribes a 16-bit PCM WAV file and prints each final transcript with its timing.

Options:
  --provider NAME        offline (default), azure or openai; overrides STT_PROVIDER and the config file
  --language TAG         BCP-47 language, e.g. en-US (default: the provider's)
  --json                 print the whole transcript as JSON
  --config FILE          JSON configuration file (default: $STT_CONFIG), e.g.
                         {"provider":"azure","azure":{"region":"westeurope"}} or
                         {"provider":"openai","openai":{"batch":{"model":"whisper-1"}}}
  --reference TEXT       reference transcript: also print the word error rate
  --reference-file FILE  the same, read from a file
  --no-progress          do not print progress on stderr
  -h, --help             show this help

Environment: STT_PROVIDER, STT_CONFIG, AZURE_SPEECH_API_KEY, AZURE_SPEECH_REGION, OPENAI_API_KEY, OPENAI_BASE_URL.
Exit status: 0 on success, 1 when transcription fails, 2 for bad arguments or files.`;

const VALUE_FLAGS = new Set(["--provider", "--language", "--config", "--reference", "--reference-file"]);

/** Parses the arguments after the program name; an unknown flag or missing value is an `Err` message. */
export function parseArgs(argv: readonly string[]): Result<CliCommand, string> {
  if (argv.length === 0 || argv.includes("--help") || argv.includes("-h") || argv[0] === "help") {
    return ok({ command: "help" });
  }
  const [command, ...rest] = argv;
  if (command !== "transcribe") return err(`Unknown command "${String(command)}": the only command is "transcribe".`);
  const values: Record<string, string> = {};
  const positional: string[] = [];
  let json = false;
  let progress = true;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] as string;
    const [flag, inline] = arg.startsWith("--") && arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    if (flag === "--json") json = true;
    else if (flag === "--no-progress") progress = false;
    else if (VALUE_FLAGS.has(flag)) {
      const value = inline ?? rest[++i];
      if (value === undefined || (inline === undefined && value.startsWith("--"))) return err(`${flag} needs a value.`);
      values[flag] = value;
    } else if (flag.startsWith("-")) return err(`Unknown option ${flag}.`);
    else positional.push(arg);
  }
  if (positional.length !== 1) {
    return err(positional.length === 0 ? "Give the WAV file to transcribe." : `Give one file, not ${positional.length}.`);
  }
  if (values["--reference"] !== undefined && values["--reference-file"] !== undefined) {
    return err("Give --reference or --reference-file, not both.");
  }
  return ok({
    command: "transcribe",
    file: positional[0] as string,
    json,
    progress,
    ...(values["--provider"] !== undefined ? { provider: values["--provider"] } : {}),
    ...(values["--language"] !== undefined ? { language: values["--language"] } : {}),
    ...(values["--config"] !== undefined ? { config: values["--config"] } : {}),
    ...(values["--reference"] !== undefined ? { reference: values["--reference"] } : {}),
    ...(values["--reference-file"] !== undefined ? { referenceFile: values["--reference-file"] } : {}),
  });
}
