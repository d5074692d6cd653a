import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { err, ok } from "neverthrow";
import { describe, expect, it } from "vitest";
import { sttError } from "@sttkit/core/kit";
import { CONFORMANCE_RUNNER_MODULE, loadConformanceRunner, type ConformanceRunner } from "./conformance.js";
import { EXIT_USAGE, main } from "./main.js";

const CLI = fileURLToPath(new URL("..", import.meta.url));

function io() {
  const out = { stdout: "", stderr: "" };
  return {
    out,
    io: {
      stdout: { write: (text: string) => (out.stdout += text) },
      stderr: { write: (text: string) => (out.stderr += text), isTTY: false },
      env: {},
    },
  };
}

const notFound = (): never => {
  throw Object.assign(new Error("Cannot find module '@sttkit/conformance/cli'"), { code: "MODULE_NOT_FOUND" });
};

describe("sttkit conformance: the runner is loaded only when the command is used", () => {
  it("the CLI package does not depend on @sttkit/conformance, nor import it statically", () => {
    const manifest = JSON.parse(readFileSync(join(CLI, "package.json"), "utf8")) as Record<string, Record<string, string> | undefined>;
    for (const field of ["dependencies", "peerDependencies", "optionalDependencies"]) expect(Object.keys(manifest[field] ?? {})).not.toContain("@sttkit/conformance");
    for (const file of readdirSync(join(CLI, "src")).filter((name) => name.endsWith(".ts") && !name.endsWith(".test.ts"))) {
      expect(readFileSync(join(CLI, "src", file), "utf8"), file).not.toMatch(/from\s+["']@sttkit\/conformance|import\(\s*["']@sttkit\/conformance/);
    }
  });

  it("looks in the user's project first, then next to the CLI, and imports what it finds", async () => {
    const asked: string[] = [];
    const runner: ConformanceRunner = { runConformanceCommand: async () => 0 };
    const loaded = await loadConformanceRunner({
      cwd: "/home/me/my-adapter",
      resolve: (specifier, from) => {
        asked.push(from);
        if (from.startsWith("/home/me/")) return notFound();
        expect(specifier).toBe(CONFORMANCE_RUNNER_MODULE);
        return "/usr/lib/node_modules/@sttkit/conformance/dist/cli/index.js";
      },
      importModule: async (url) => {
        expect(url).toBe("file:///usr/lib/node_modules/@sttkit/conformance/dist/cli/index.js");
        return runner;
      },
    });
    expect(loaded._unsafeUnwrap()).toBe(runner);
    expect(asked[0]).toBe("/home/me/my-adapter/package.json");
    expect(asked[1]).toBe(fileURLToPath(new URL("./conformance.ts", import.meta.url)));
  });

  it("not installed: an engine-unavailable error that says what to install", async () => {
    const loaded = await loadConformanceRunner({ cwd: "/nowhere", resolve: notFound });
    expect(loaded._unsafeUnwrapErr()).toMatchObject({ kind: "engine-unavailable", install: ["@sttkit/conformance", "vitest"] });
    expect(loaded._unsafeUnwrapErr().message).toContain("npm install --save-dev @sttkit/conformance vitest");
  });

  it("too old, broken or foreign: an engine-unavailable error that says so", async () => {
    const tooOld = await loadConformanceRunner({ cwd: "/p", resolve: () => { throw Object.assign(new Error("not exported"), { code: "ERR_PACKAGE_PATH_NOT_EXPORTED" }); } });
    expect(tooOld._unsafeUnwrapErr().message).toContain("has no command runner");
    const broken = await loadConformanceRunner({ cwd: "/p", resolve: () => "/p/x.js", importModule: async () => { throw new Error("SyntaxError: nope"); } });
    expect(broken._unsafeUnwrapErr().message).toContain("does not load: SyntaxError: nope");
    const foreign = await loadConformanceRunner({ cwd: "/p", resolve: () => "/p/x.js", importModule: async () => ({ somethingElse: 1 }) });
    expect(foreign._unsafeUnwrapErr().message).toContain("has no runConformanceCommand");
  });

  it("exits with 2 and the install line when the runner is missing", async () => {
    const { io: cliIo, out } = io();
    const code = await main(["conformance", "--adapter", "a.js"], cliIo, {
      loadConformanceRunner: async () => err(sttError({ kind: "engine-unavailable", provider: "sttkit", message: "The conformance suite is not installed. Install it next to your adapter with: npm install --save-dev @sttkit/conformance vitest" })),
    });
    expect(code).toBe(EXIT_USAGE);
    expect(out.stderr).toBe("sttkit: engine-unavailable (sttkit): The conformance suite is not installed. Install it next to your adapter with: npm install --save-dev @sttkit/conformance vitest\n");
  });

  it("hands every argument after `conformance`, --help included, to the runner, and returns its status", async () => {
    const calls: unknown[] = [];
    const { io: cliIo } = io();
    const runner: ConformanceRunner = {
      async runConformanceCommand(argv) {
        calls.push(argv);
        return 1;
      },
    };
    expect(await main(["conformance", "--adapter", "a.js", "-t", "fault", "--help"], cliIo, { loadConformanceRunner: async () => ok(runner) })).toBe(1);
    expect(calls).toEqual([["--adapter", "a.js", "-t", "fault", "--help"]]);
  });
});
