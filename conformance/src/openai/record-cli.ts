import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { formatSttError } from "@sttkit/core";
import { defaultFixturesDirectory, loadFixtures } from "../manifest/load.js";
import { recordOpenAISessions } from "./record-sessions.js";

/**
 * `node conformance/dist/openai/record-cli.js [--upstream URL] [--out DIR] [fixture-id ...]`
 * (`npm run record-openai -w @sttkit/conformance`): refreshes the recorded OpenAI sessions from the
 * real service (needs `OPENAI_API_KEY`). Returns the exit status: 2 without a key or with bad
 * arguments, 1 when recording failed.
 */
export async function recordOpenAICli(argv: readonly string[], env: Readonly<Record<string, string | undefined>> = process.env): Promise<number> {
  let upstream: string | undefined;
  let outDir = join(defaultFixturesDirectory(), "sessions", "openai");
  const only: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--upstream" || arg === "--out") {
      const value = argv[++i];
      if (!value) {
        process.stderr.write(`record-openai: ${arg} needs a value\n`);
        return 2;
      }
      if (arg === "--upstream") upstream = value;
      else outDir = value;
    } else only.push(arg);
  }
  const loaded = loadFixtures();
  if (loaded.isErr()) {
    process.stderr.write(`record-openai: ${formatSttError(loaded.error)}\n`);
    return 2;
  }
  const unknown = only.filter((id) => !loaded.value.fixtures.some((fixture) => fixture.id === id));
  if (unknown.length > 0) {
    process.stderr.write(`record-openai: unknown fixture id(s): ${unknown.join(", ")}\n`);
    return 2;
  }
  const fixtures = loaded.value.fixtures.filter((fixture) => only.length === 0 || only.includes(fixture.id));
  const result = await recordOpenAISessions({ fixtures, outDir, env, ...(upstream ? { upstream } : {}) });
  if (result.isErr()) {
    process.stderr.write(`record-openai: ${formatSttError(result.error)}\n`);
    return result.error.kind === "authentication" ? 2 : 1;
  }
  for (const recorded of result.value) {
    process.stdout.write(`${recorded.fixture}: ${recorded.finals} final(s) in ${recorded.events} event(s), ${recorded.answers} batch answer(s) -> ${recorded.file}\n`);
  }
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await recordOpenAICli(process.argv.slice(2));
}
