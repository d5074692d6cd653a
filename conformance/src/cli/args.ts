import { err, ok, type Result } from "neverthrow";

/** Where the report goes when `--out` is not given. */
export const DEFAULT_REPORT_DIRECTORY = "conformance-report";
/** How long a run may take when `--max-minutes` is not given. */
export const DEFAULT_MAX_MINUTES = 60;

/** The parsed `sttkit conformance` command line. */
export interface ConformanceCommand {
  /** Discriminant. */
  readonly command: "conformance";
  /** `--adapter`: the module exporting the conformance target, as given (relative to the working directory). */
  readonly adapter: string;
  /** `--out`: the report folder. */
  readonly out: string;
  /** `--scenario` / `-t`: run only the scenarios whose title matches this regular expression. */
  readonly scenario?: string;
  /** `--max-minutes`: the run is stopped, and fails, after this long. */
  readonly maxMinutes: number;
  /** `--verbose`: print what the adapter and vitest print, too. */
  readonly verbose: boolean;
}

/** `sttkit conformance --help`. */
export interface ConformanceHelp {
  /** Discriminant. */
  readonly command: "help";
}

/** The usage text of `sttkit conformance`. */
export const CONFORMANCE_USAGE = `Usage: sttkit conformance --adapter MODULE [options]

Runs the sttkit conformance suite on an adapter, without a test file: progress per scenario, a
matrix on the terminal, and a report (report.md, report.json, report.html) in the output folder.

MODULE exports \`conformanceTarget\` (or a default export), one of:
  - a ConformanceTarget { name, create, fixtures, capabilities, werBounds, ... }
  - a provider target { provider: SttProviderDefinition, settings?, capabilities, werBounds, ... }
    (fixtures default to the shipped ones)
  - a function returning either (or a Result or a promise of one)
A TypeScript module works as well: vitest transpiles it as it would a test file.

Options:
  --adapter MODULE          the module (required)
  --out DIR                 the report folder (default: ${DEFAULT_REPORT_DIRECTORY})
  -t, --scenario PATTERN    run only the scenarios whose title matches this regular expression
  --max-minutes N           stop the run, and fail, after N minutes (default: ${DEFAULT_MAX_MINUTES})
  --verbose                 also print what the adapter and vitest print
  -h, --help                show this help

Needs vitest (a peer dependency of @sttkit/conformance): npm install --save-dev vitest
Exit status: 0 when every scenario that ran passed, 1 when any failed, 2 for bad arguments, a
module that does not load or exports no conformance target, or a missing vitest.`;

const VALUE_FLAGS = new Map([
  ["--adapter", "--adapter"],
  ["--out", "--out"],
  ["--scenario", "--scenario"],
  ["-t", "--scenario"],
  ["--max-minutes", "--max-minutes"],
]);

/** Parses the arguments after `sttkit conformance`; a bad one is an `Err` message. */
export function parseConformanceArgs(argv: readonly string[]): Result<ConformanceCommand | ConformanceHelp, string> {
  if (argv.includes("--help") || argv.includes("-h")) return ok({ command: "help" });
  const values = new Map<string, string>();
  let verbose = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const [flag, inline] = arg.startsWith("--") && arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    const name = VALUE_FLAGS.get(flag);
    if (flag === "--verbose") verbose = true;
    else if (name !== undefined) {
      const value = inline ?? argv[++i];
      if (value === undefined || value.length === 0 || (inline === undefined && value.startsWith("-") && value !== "-")) return err(`${flag} needs a value.`);
      if (values.has(name)) return err(`${name} is given twice.`);
      values.set(name, value);
    } else if (flag.startsWith("-")) return err(`Unknown option ${flag}.`);
    else return err(`Unexpected argument "${arg}": give the module with --adapter.`);
  }
  const adapter = values.get("--adapter");
  if (adapter === undefined) return err("Give the adapter module with --adapter MODULE.");
  const scenario = values.get("--scenario");
  if (scenario !== undefined) {
    try {
      new RegExp(scenario);
    } catch (cause) {
      return err(`--scenario ${JSON.stringify(scenario)} is not a regular expression: ${cause instanceof Error ? cause.message : String(cause)}`);
    }
  }
  const minutesText = values.get("--max-minutes");
  const maxMinutes = minutesText === undefined ? DEFAULT_MAX_MINUTES : Number(minutesText);
  if (!Number.isFinite(maxMinutes) || maxMinutes <= 0) return err(`--max-minutes must be a positive number, not ${JSON.stringify(minutesText)}.`);
  return ok({
    command: "conformance",
    adapter,
    out: values.get("--out") ?? DEFAULT_REPORT_DIRECTORY,
    maxMinutes,
    verbose,
    ...(scenario !== undefined ? { scenario } : {}),
  });
}
