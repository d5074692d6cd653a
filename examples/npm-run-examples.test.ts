import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const REPO = fileURLToPath(new URL("..", import.meta.url));

/** Runs a command in the repository; a run that outlives `limitMs` is killed and reported as such. */
function exec(command: string, args: readonly string[], limitMs: number): Promise<{ code: number | "killed"; output: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  // The examples then use the local Azure protocol server, as on a machine without a Speech resource.
  for (const name of ["AZURE_SPEECH_API_KEY", "AZURE_SPEECH_REGION", "STT_PROVIDER", "STT_CONFIG"]) delete env[name];
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: REPO, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (data: Buffer) => (output += data.toString()));
    child.stderr.on("data", (data: Buffer) => (output += data.toString()));
    const limit = setTimeout(() => child.kill("SIGKILL"), limitMs);
    child.on("close", (code, signal) => {
      clearTimeout(limit);
      resolve({ code: signal ? "killed" : (code ?? -1), output });
    });
  });
}

describe("npm run examples (the README's command)", () => {
  it("runs every example program from the build", async () => {
    // The programs run from examples/dist: build what changed first (a no-op after npm run build).
    const build = await exec("npx", ["tsc", "-b", "examples"], 240_000);
    expect(build, build.output).toMatchObject({ code: 0 });
    const examples = await exec("npm", ["run", "examples"], 240_000);
    expect(examples.output).not.toContain("ENOENT");
    expect(examples, examples.output).toMatchObject({ code: 0 });
    expect(examples.output).toContain("[offline]");
    expect(examples.output).toContain("[azure]");
  }, 600_000);
});
