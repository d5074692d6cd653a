import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

/** The repository root. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** The workspace packages whose entry points are public. */
const PACKAGES = ["core", "adapters/azure", "adapters/offline", "adapters/deepgram", "adapters/failover", "adapters/openai", "conformance", "cli"];

/** Every public entry point (`@sttkit/core/kit`, ...) and the source file behind it, read from each package's `exports`. */
export function publicEntryPoints(): Map<string, string> {
  const entries = new Map<string, string>();
  for (const folder of PACKAGES) {
    const manifest = JSON.parse(readFileSync(join(REPO_ROOT, folder, "package.json"), "utf8")) as { name: string; exports: Record<string, { default: string }> };
    for (const [subpath, target] of Object.entries(manifest.exports)) {
      const source = target.default.replace(/^\.\/dist\//, "src/").replace(/\.js$/, ".ts");
      entries.set(subpath === "." ? manifest.name : `${manifest.name}/${subpath.slice(2)}`, join(REPO_ROOT, folder, source));
    }
  }
  return entries;
}

function kindOf(symbol: ts.Symbol, checker: ts.TypeChecker): string {
  const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
  const flags = target.flags;
  if (flags & ts.SymbolFlags.Class) return "class";
  if (flags & ts.SymbolFlags.Enum) return "enum";
  if (flags & ts.SymbolFlags.Function) return "function";
  if (flags & ts.SymbolFlags.Interface) return "interface";
  if (flags & ts.SymbolFlags.TypeAlias) return "type";
  if (flags & ts.SymbolFlags.Variable) return "const";
  return "other";
}

/**
 * The exported names of every public entry point, each as `name (kind)`, sorted: what a change to
 * the public API changes, so it shows in review.
 */
export function extractSurface(): Record<string, string[]> {
  const entries = publicEntryPoints();
  const config = ts.getParsedCommandLineOfConfigFile(join(REPO_ROOT, "tsconfig.test.json"), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
  if (!config) throw new Error("cannot read tsconfig.test.json");
  const program = ts.createProgram([...entries.values()], { ...config.options, noEmit: true });
  const checker = program.getTypeChecker();
  const surface: Record<string, string[]> = {};
  for (const [name, file] of [...entries].sort(([a], [b]) => a.localeCompare(b))) {
    const source = program.getSourceFile(file);
    const module = source ? checker.getSymbolAtLocation(source) : undefined;
    if (!module) throw new Error(`${name}: ${file} is not a module`);
    surface[name] = checker
      .getExportsOfModule(module)
      .map((symbol) => `${symbol.getName()} (${kindOf(symbol, checker)})`)
      .sort();
  }
  return surface;
}
