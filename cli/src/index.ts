/**
 * The `sttkit` command line: `sttkit transcribe FILE.wav [--provider NAME] [--format text|json|srt|vtt] [--output FILE]`.
 * The provider comes from DI configuration (defaults, `STT_CONFIG` file, `STT_PROVIDER`, flags).
 * `sttkit conformance --adapter MODULE` runs the conformance suite on an adapter; it is
 * `@sttkit/conformance/cli`'s, loaded only when used (see {@link loadConformanceRunner}).
 *
 * @packageDocumentation
 * @category Command line
 */
export { main, CLI_PROVIDERS, DEFAULT_CLI_CONFIG, EXIT_FAILURE, EXIT_USAGE, type CliIo, type MainOptions } from "./main.js";
export { parseArgs, USAGE, type CliCommand, type HelpCommand, type TranscribeCommand, type ConformanceCliCommand, type OutputFormat } from "./args.js";
export { cuesOf, formatSubtitles, parseSubtitles, SUBTITLE_RULES, type Cue, type SubtitleFormat } from "./subtitles.js";
export { loadConformanceRunner, CONFORMANCE_RUNNER_MODULE, CONFORMANCE_PACKAGES, type ConformanceRunner, type RunnerLoading } from "./conformance.js";
