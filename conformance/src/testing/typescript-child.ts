import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/** The repository root (this file is `conformance/src/testing/` in the sources, `conformance/dist/testing/` built). */
const REPO = fileURLToPath(new URL("../../../", import.meta.url));

/** The workspace packages a child may import, mapped to their TypeScript entry points (as vitest.config.ts does). */
const WORKSPACE_SOURCES: Readonly<Record<string, string>> = {
  "@sttkit/core": "core/src/index.ts",
  "@sttkit/core/kit": "core/src/kit/index.ts",
  "@sttkit/core/di": "core/src/di/index.ts",
  "@sttkit/core/wer": "core/src/wer/index.ts",
  "@sttkit/azure": "adapters/azure/src/index.ts",
  "@sttkit/offline": "adapters/offline/src/index.ts",
  "@sttkit/deepgram": "adapters/deepgram/src/index.ts",
  "@sttkit/offline/engine-output": "adapters/offline/src/engine-output.ts",
  "@sttkit/failover": "adapters/failover/src/index.ts",
  "@sttkit/openai": "adapters/openai/src/index.ts",
  "@sttkit/conformance": "conformance/src/index.ts",
  "@sttkit/conformance/azure": "conformance/src/azure/index.ts",
  "@sttkit/conformance/deepgram": "conformance/src/deepgram/index.ts",
  "@sttkit/conformance/openai": "conformance/src/openai/index.ts",
};

/** Node 20 cannot run TypeScript: these loader hooks transpile the workspace sources for the child. */
const TYPESCRIPT_HOOKS = `
import { readFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
const repo = process.env.STTKIT_REPO;
const ts = createRequire(repo + "/package.json")("typescript");
const sources = JSON.parse(process.env.STTKIT_SOURCES);
export async function resolve(specifier, context, next) {
  if (Object.hasOwn(sources, specifier)) return { url: pathToFileURL(repo + "/" + sources[specifier]).href, shortCircuit: true };
  if (context.parentURL?.endsWith(".ts") && /^(\\.\\.?\\/|\\/)/.test(specifier) && specifier.endsWith(".js")) {
    const candidate = new URL(specifier.replace(/\\.js$/, ".ts"), context.parentURL);
    if (existsSync(fileURLToPath(candidate))) return { url: candidate.href, shortCircuit: true };
  }
  return next(specifier, context);
}
export async function load(url, context, next) {
  if (!url.endsWith(".ts")) return next(url, context);
  const fileName = fileURLToPath(url);
  const { outputText } = ts.transpileModule(await readFile(fileName, "utf8"), {
    fileName,
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, experimentalDecorators: true, emitDecoratorMetadata: true },
  });
  return { format: "module", source: outputText, shortCircuit: true };
}
`;

/** How a child process ran. */
export interface ChildRun {
  /** Its exit code, or `"hung"` when it had not exited by itself within the limit (it is then killed). */
  readonly exit: number | "hung";
  /** Everything it wrote to stdout. */
  readonly stdout: string;
  /** Everything it wrote to stderr. */
  readonly stderr: string;
  /** When it first wrote to stderr, in `performance.now()` time. */
  readonly firstStderrAt: number | undefined;
  /** When it exited (or was killed), in `performance.now()` time. */
  readonly endedAt: number;
}

/**
 * Runs `script` (an ES module's source) in a new Node process that can import the workspace's
 * TypeScript sources (`@sttkit/...`, and `.ts` files by their `.js` names) without a build, and
 * waits for it to exit by itself: a process kept alive by a forgotten socket, timer or child
 * never does, and is reported as `"hung"` after `limitMs`. The child finds the repository root in
 * its `STTKIT_REPO` environment variable.
 */
export async function runTypeScriptChild(script: string, options: { readonly env?: Readonly<Record<string, string>>; readonly limitMs: number }): Promise<ChildRun> {
  const dir = await mkdtemp(join(tmpdir(), "sttkit-child-"));
  try {
    await writeFile(join(dir, "hooks.mjs"), TYPESCRIPT_HOOKS);
    await writeFile(join(dir, "child.mjs"), `import { register } from "node:module";\nregister(new URL("./hooks.mjs", import.meta.url));\n${script}`);
    const child = spawn(process.execPath, [join(dir, "child.mjs")], {
      env: { ...process.env, ...options.env, STTKIT_REPO: REPO, STTKIT_SOURCES: JSON.stringify(WORKSPACE_SOURCES) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let firstStderrAt: number | undefined;
    child.stdout.on("data", (data: Buffer) => (stdout += data.toString()));
    child.stderr.on("data", (data: Buffer) => {
      firstStderrAt ??= performance.now();
      stderr += data.toString();
    });
    const exit = await new Promise<number | "hung">((resolve) => {
      const hung = setTimeout(() => {
        child.kill("SIGKILL");
        resolve("hung");
      }, options.limitMs);
      child.on("exit", (code) => {
        clearTimeout(hung);
        resolve(code ?? -1);
      });
    });
    const endedAt = performance.now();
    // Let the pipes deliver what the child wrote last.
    await new Promise<void>((resolve) => (child.stdout.readableEnded && child.stderr.readableEnded ? resolve() : child.once("close", () => resolve())));
    return { exit, stdout, stderr, firstStderrAt, endedAt };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A `file:` URL for a repository file, for the child's `import()`. */
export function repositoryFileUrl(path: string): string {
  return pathToFileURL(join(REPO, path)).href;
}
