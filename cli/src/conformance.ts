import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { SttError } from "@sttkit/core";
import { describeCause, sttError } from "@sttkit/core/kit";
import { err, ok, type Result } from "neverthrow";
import type { CliIo } from "./main.js";

/**
 * The module that runs `sttkit conformance`. The CLI does not depend on the conformance package
 * (it would bring vitest, fast-check and the SDK test doubles to every user of `sttkit
 * transcribe`): it imports this entry point at run time, only when the subcommand is used.
 */
export const CONFORMANCE_RUNNER_MODULE = "@sttkit/conformance/cli";

/** The packages `sttkit conformance` needs, as `npm install --save-dev` takes them. */
export const CONFORMANCE_PACKAGES: readonly string[] = ["@sttkit/conformance", "vitest"];

/** What the CLI uses of {@link CONFORMANCE_RUNNER_MODULE}. */
export interface ConformanceRunner {
  /** Runs the subcommand with the arguments after `conformance`; resolves with the exit status. */
  runConformanceCommand(argv: readonly string[], io: CliIo & { readonly cwd?: string }): Promise<number>;
}

/** How {@link loadConformanceRunner} finds and imports the runner; the defaults are Node's own. */
export interface RunnerLoading {
  /** The user's project, searched first. */
  readonly cwd: string;
  /** Resolves `specifier` as a file next to `fromFile` would import it, or throws (default: `require.resolve`). */
  readonly resolve?: (specifier: string, fromFile: string) => string;
  /** Imports a module by URL (default: `import()`). */
  readonly importModule?: (url: string) => Promise<unknown>;
}

const defaultResolve = (specifier: string, fromFile: string): string => createRequire(fromFile).resolve(specifier);
const defaultImport = (url: string): Promise<unknown> => import(url);

function codeOf(cause: unknown): unknown {
  return typeof cause === "object" && cause !== null ? (cause as { code?: unknown }).code : undefined;
}

function unavailable(message: string, cause?: unknown): SttError {
  return sttError({ kind: "engine-unavailable", provider: "sttkit", message, install: CONFORMANCE_PACKAGES, ...(cause !== undefined ? { cause } : {}) });
}

/**
 * Finds `@sttkit/conformance/cli`, from the user's project first (where `npm install --save-dev
 * @sttkit/conformance` puts it), then next to the CLI itself (a global or `npx` install), and
 * imports it. An `engine-unavailable` error, naming what to install, when it is not installed, is
 * too old to have the command, or does not load.
 */
export async function loadConformanceRunner(loading: RunnerLoading): Promise<Result<ConformanceRunner, SttError>> {
  const resolve = loading.resolve ?? defaultResolve;
  const importModule = loading.importModule ?? defaultImport;
  let path: string | undefined;
  for (const base of [join(loading.cwd, "package.json"), fileURLToPath(import.meta.url)]) {
    try {
      path = resolve(CONFORMANCE_RUNNER_MODULE, base);
      break;
    } catch (cause) {
      if (codeOf(cause) === "ERR_PACKAGE_PATH_NOT_EXPORTED") {
        return err(unavailable(`The installed @sttkit/conformance has no command runner (${CONFORMANCE_RUNNER_MODULE}): update it to the version of this sttkit.`, cause));
      }
      // Not found from here: try the next place.
    }
  }
  if (path === undefined) {
    return err(unavailable(`The conformance suite is not installed. Install it next to your adapter with: npm install --save-dev ${CONFORMANCE_PACKAGES.join(" ")}`));
  }
  let runner: unknown;
  try {
    runner = await importModule(pathToFileURL(path).href);
  } catch (cause) {
    return err(unavailable(`${CONFORMANCE_RUNNER_MODULE} (${path}) does not load: ${describeCause(cause)}`, cause));
  }
  if (typeof (runner as Partial<ConformanceRunner> | null)?.runConformanceCommand !== "function") {
    return err(unavailable(`${CONFORMANCE_RUNNER_MODULE} (${path}) has no runConformanceCommand: install the @sttkit/conformance version of this sttkit.`));
  }
  return ok(runner as ConformanceRunner);
}
