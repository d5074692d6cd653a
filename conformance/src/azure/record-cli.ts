import { pathToFileURL } from "node:url";
import { join } from "node:path";
import { formatSttError } from "@sttkit/core";
import { defaultFixturesDirectory, loadFixtures } from "../manifest/load.js";
import { recordFixtureSessions } from "./record-sessions.js";

/**
 * `npm run record-azure -- [--upstream URL] [--out DIR] [fixture-id ...]` (after `npm run build`):
 * refreshes the recorded Azure sessions from the real service (needs `AZURE_SPEECH_API_KEY` and
 * `AZURE_SPEECH_REGION`). Returns the exit status: 2 for bad arguments, missing or refused
 * credentials, 1 for other failures.
 */
export async function recordCli(argv: readonly string[], env: Readonly<Record<string, string | undefined>> = process.env): Promise<number> {
  let upstream: string | undefined;
  let outDir = join(defaultFixturesDirectory(), "sessions", "azure");
  const only: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--upstream" || arg === "--out") {
      const value = argv[++i];
      if (!value) {
        process.stderr.write(`record-azure: ${arg} needs a value\n`);
        return 2;
      }
      if (arg === "--upstream") upstream = value;
      else outDir = value;
    } else only.push(arg);
  }
  const loaded = loadFixtures();
  if (loaded.isErr()) {
    process.stderr.write(`record-azure: ${formatSttError(loaded.error)}\n`);
    return 2;
  }
  const unknown = only.filter((id) => !loaded.value.fixtures.some((fixture) => fixture.id === id));
  if (unknown.length > 0) {
    process.stderr.write(`record-azure: no fixture ${unknown.join(", ")}; the fixtures are ${loaded.value.fixtures.map((fixture) => fixture.id).join(", ")}\n`);
    return 2;
  }
  const fixtures = loaded.value.fixtures.filter((fixture) => only.length === 0 || only.includes(fixture.id));
  const result = await recordFixtureSessions({ fixtures, outDir, env, ...(upstream ? { upstream } : {}) });
  if (result.isErr()) {
    process.stderr.write(`record-azure: ${formatSttError(result.error)}\n`);
    return result.error.kind === "authentication" ? 2 : 1;
  }
  for (const recorded of result.value) {
    process.stdout.write(`${recorded.fixture}: ${recorded.phrases} phrase(s), ${recorded.messages} message(s) -> ${recorded.file}\n`);
  }
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await recordCli(process.argv.slice(2));
}
