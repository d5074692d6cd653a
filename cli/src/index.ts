/**
 * The `sttkit` command line: `sttkit transcribe FILE.wav [--provider offline|azure] [--json]`.
 * The provider comes from DI configuration (defaults, `STT_CONFIG` file, `STT_PROVIDER`, flags).
 *
 * @packageDocumentation
 * @category Command line
 */
export { main, CLI_PROVIDERS, DEFAULT_CLI_CONFIG, EXIT_FAILURE, EXIT_USAGE, type CliIo } from "./main.js";
export { parseArgs, USAGE, type CliCommand, type HelpCommand, type TranscribeCommand } from "./args.js";
