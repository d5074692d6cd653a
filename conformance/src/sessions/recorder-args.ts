import { join } from "node:path";
import { formatSttError } from "@sttkit/core";
import { err, ok, type Result } from "neverthrow";
import { defaultFixturesDirectory, loadFixtures, type ResolvedFixture } from "../manifest/load.js";

/** What every vendor's session recorder command takes: where to record from, where to write, which fixtures. */
export interface RecorderArgs {
  /** `--upstream URL`: the service to record from, when not the vendor's default. */
  readonly upstream?: string;
  /** `--out DIR`: where the sessions go. Default: the shipped sessions, `fixtures/sessions/<provider>/`. */
  readonly outDir: string;
  /** The fixtures named on the command line, in manifest order; every fixture when none is named. */
  readonly fixtures: readonly ResolvedFixture[];
  /** The values of the recorder's own extra flags (`--speed` for Deepgram), by flag. */
  readonly extra: ReadonlyMap<string, string>;
}

/** How one recorder command is called. */
export interface RecorderCommand {
  /** Its name in messages, e.g. `record-azure`. */
  readonly command: string;
  /** The provider folder its sessions are written to by default, e.g. `azure`. */
  readonly provider: string;
  /** Flags beyond `--upstream` and `--out` that take a value. */
  readonly extraValueFlags?: readonly string[];
}

/**
 * Reads a recorder command's arguments, shared by every vendor's recorder so they take the same
 * flags and refuse the same mistakes: a flag without its value, a fixture id the manifest does not
 * have, a manifest that does not load. The `Err` is the message for standard error (exit status 2).
 */
export function parseRecorderArgs(recorder: RecorderCommand, argv: readonly string[]): Result<RecorderArgs, string> {
  const valueFlags = new Set(["--upstream", "--out", ...(recorder.extraValueFlags ?? [])]);
  const values = new Map<string, string>();
  const only: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!valueFlags.has(arg)) {
      only.push(arg);
      continue;
    }
    const value = argv[++i];
    if (!value) return err(`${recorder.command}: ${arg} needs a value`);
    values.set(arg, value);
  }
  const loaded = loadFixtures();
  if (loaded.isErr()) return err(`${recorder.command}: ${formatSttError(loaded.error)}`);
  const known = loaded.value.fixtures;
  const unknown = only.filter((id) => !known.some((fixture) => fixture.id === id));
  if (unknown.length > 0) return err(`${recorder.command}: no fixture ${unknown.join(", ")}; the fixtures are ${known.map((fixture) => fixture.id).join(", ")}`);
  const upstream = values.get("--upstream");
  values.delete("--upstream");
  const outDir = values.get("--out") ?? join(defaultFixturesDirectory(), "sessions", recorder.provider);
  values.delete("--out");
  return ok({
    ...(upstream !== undefined ? { upstream } : {}),
    outDir,
    fixtures: known.filter((fixture) => only.length === 0 || only.includes(fixture.id)),
    extra: values,
  });
}
