import { err, ok, type Result } from "neverthrow";

/** The parsed `sttkit transcribe` command line. */
export interface TranscribeCommand {
  /** Discriminant. */
  readonly command: "transcribe";
  /** The audio files to transcribe, in order; `-` is standard input (at most once). */
  readonly files: readonly string[];
  /** `--provider`: overrides the configured provider. */
  readonly provider?: string;
  /** `--language`: a BCP-47 tag, validated later against the `Language` enum. */
  readonly language?: string;
  /** `--json`: print the transcript as JSON instead of timed lines (the same as `--format json`). */
  readonly json: boolean;
  /** `--format`: timed text lines (default), JSON, or SubRip / WebVTT subtitles. */
  readonly format: OutputFormat;
  /**
   * `--output`: write the result to this file instead of standard output; with several inputs,
   * or when it names a directory, one file per input in it (see `outputPathFor`).
   */
  readonly output?: string;
  /** `--words`: ask for word timings (in JSON, and for subtitle cues cut at words). */
  readonly words: boolean;
  /** `--config`: a JSON config file (otherwise `STT_CONFIG`). */
  readonly config?: string;
  /** `--reference`: the reference transcript text, to print the word error rate. */
  readonly reference?: string;
  /** `--reference-file`: a file holding the reference transcript. */
  readonly referenceFile?: string;
  /** `--no-progress`: never print progress on stderr. */
  readonly progress: boolean;
}

/** What `sttkit transcribe` writes. */
export type OutputFormat = "text" | "json" | "srt" | "vtt";

const OUTPUT_FORMATS: readonly OutputFormat[] = ["text", "json", "srt", "vtt"];

/** `sttkit --help` or `sttkit help`. */
export interface HelpCommand {
  /** Discriminant. */
  readonly command: "help";
}

/**
 * `sttkit conformance ...`: run by `@sttkit/conformance/cli`, which parses its own arguments (the
 * CLI does not depend on the conformance package, so it does not know them).
 */
export interface ConformanceCliCommand {
  /** Discriminant. */
  readonly command: "conformance";
  /** The arguments after `conformance`. */
  readonly argv: readonly string[];
}

/** Any command the CLI understands. */
export type CliCommand = TranscribeCommand | HelpCommand | ConformanceCliCommand;

/** The usage text printed by `--help` and after a usage error. */
export const USAGE = `Usage: sttkit transcribe FILE... [options]      (FILE "-" is standard input)
       sttkit conformance --adapter MODULE [options]

Transcribes audio files and prints each final transcript with its timing. WAV (16-bit or float,
any rate and channel count) is read directly; MP3, M4A/AAC, FLAC, Ogg/Opus, WebM, other WAV
layouts and the audio track of a video are decoded by ffmpeg (Debian package "ffmpeg").
\`sttkit conformance\` runs the conformance suite on an adapter and writes a report; it needs
@sttkit/conformance and vitest (npm install --save-dev @sttkit/conformance vitest); see
\`sttkit conformance --help\`.

Options:
  --provider NAME        offline (default), azure, deepgram or openai; overrides STT_PROVIDER and the config file
  --language TAG         BCP-47 language, e.g. en-US (default: the provider's)
  --format FORMAT        text (timed lines, default), json, srt or vtt (subtitles)
  --json                 the same as --format json
  --output PATH          write the result to PATH instead of standard output; with several
                         files, or when PATH is a directory, one result per file in it, named
                         after the file with the format's extension (.txt .json .srt .vtt).
                         Several files without --output: each result beside its file.
  --words                word timings: in JSON, and subtitle cues cut at words
  --config FILE          JSON configuration file (default: $STT_CONFIG), e.g.
                         {"provider":"azure","azure":{"region":"westeurope"}} or
                         {"provider":"openai","openai":{"batch":{"model":"whisper-1"}}}
  --reference TEXT       reference transcript: also print the word error rate
  --reference-file FILE  the same, read from a file
  --no-progress          do not print progress on stderr
  -h, --help             show this help

Environment: STT_PROVIDER, STT_CONFIG, AZURE_SPEECH_API_KEY, AZURE_SPEECH_REGION, DEEPGRAM_API_KEY,
             OPENAI_API_KEY, OPENAI_BASE_URL.
Exit status: 0 on success, 1 when transcription fails, 2 for bad arguments or files.`;

const VALUE_FLAGS = new Set(["--provider", "--language", "--config", "--reference", "--reference-file", "--format", "--output"]);

/** Parses the arguments after the program name; an unknown flag or missing value is an `Err` message. */
export function parseArgs(argv: readonly string[]): Result<CliCommand, string> {
  // Its options, --help included, are the conformance runner's to parse.
  if (argv[0] === "conformance") return ok({ command: "conformance", argv: argv.slice(1) });
  if (argv.length === 0) return err("Give a command.");
  if (argv.includes("--help") || argv.includes("-h") || argv[0] === "help") {
    return ok({ command: "help" });
  }
  const [command, ...rest] = argv;
  if (command !== "transcribe") return err(`Unknown command "${String(command)}": the commands are "transcribe" and "conformance".`);
  const values: Record<string, string> = {};
  const positional: string[] = [];
  let json = false;
  let progress = true;
  let words = false;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] as string;
    const [flag, inline] = arg.startsWith("--") && arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    if (flag === "--json") json = true;
    else if (flag === "--no-progress") progress = false;
    else if (flag === "--words") words = true;
    else if (VALUE_FLAGS.has(flag)) {
      const value = inline ?? rest[++i];
      if (value === undefined || (inline === undefined && value.startsWith("--"))) return err(`${flag} needs a value.`);
      values[flag] = value;
    } else if (flag.startsWith("-") && flag !== "-") return err(`Unknown option ${flag}.`);
    else positional.push(arg);
  }
  if (positional.length === 0) return err("Give the audio file(s) to transcribe, or - for standard input.");
  if (positional.filter((file) => file === "-").length > 1) return err("Standard input (-) can be given once.");
  if (values["--reference"] !== undefined && values["--reference-file"] !== undefined) {
    return err("Give --reference or --reference-file, not both.");
  }
  const format = values["--format"] ?? (json ? "json" : "text");
  if (!(OUTPUT_FORMATS as readonly string[]).includes(format)) return err(`--format must be one of ${OUTPUT_FORMATS.join(", ")}, not "${format}".`);
  if (json && format !== "json") return err("Give --json or --format, not both.");
  return ok({
    command: "transcribe",
    files: positional,
    json: format === "json",
    format: format as OutputFormat,
    words,
    progress,
    ...(values["--output"] !== undefined ? { output: values["--output"] } : {}),
    ...(values["--provider"] !== undefined ? { provider: values["--provider"] } : {}),
    ...(values["--language"] !== undefined ? { language: values["--language"] } : {}),
    ...(values["--config"] !== undefined ? { config: values["--config"] } : {}),
    ...(values["--reference"] !== undefined ? { reference: values["--reference"] } : {}),
    ...(values["--reference-file"] !== undefined ? { referenceFile: values["--reference-file"] } : {}),
  });
}
