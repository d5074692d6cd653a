/**
 * The conformance suite as the `sttkit conformance` command runs it: the test file the command
 * generates imports the user's module (through vitest, so a TypeScript module works) and hands it
 * here. Runs inside the vitest child only.
 *
 * @module
 */
import { runConformanceSuite } from "../suite/run-suite.js";
import { resolveConformanceModule } from "./module-contract.js";
import { MODULE_ERROR_PREFIX } from "./suite-entry-contract.js";

/** What the generated test file got when it imported the module: its exports, or why it could not. */
export type LoadedModule = { readonly module: unknown } | { readonly error: unknown };


function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Registers the conformance suite for the target `path` exports. When there is none, it throws:
 * at the top level of a test file that is how vitest reports a file it cannot run (the file fails
 * with this message and no scenario runs), which the runner turns into a usage error, exit 2.
 */
export async function registerConformanceModule(loaded: LoadedModule, path: string): Promise<void> {
  if ("error" in loaded) throw new Error(`${MODULE_ERROR_PREFIX}cannot load ${path}: ${describeError(loaded.error)}`);
  const target = await resolveConformanceModule(loaded.module);
  if (target.isErr()) throw new Error(`${MODULE_ERROR_PREFIX}${path}: ${target.error}`);
  runConformanceSuite(target.value);
}
