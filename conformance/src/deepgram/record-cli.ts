import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { formatSttError } from "@sttkit/core";
import { defaultFixturesDirectory, loadFixtures } from "../manifest/load.js";
import { deepgramFinalTexts } from "./session-format.js";
import { recordDeepgramSession } from "./record-session.js";

/**
 * `node conformance/dist/deepgram/record-cli.js [--upstream URL] [--out DIR] [--speed N] [fixture-id ...]`
 * (`npm run record-deepgram -w @sttkit/conformance`): records the Deepgram sessions from the
 * service, replacing the synthesized ones. Needs `DEEPGRAM_API_KEY`; talks only to the upstream
 * (default `https://api.deepgram.com`). Returns the exit status.
 */
export async function recordDeepgramCli(argv: readonly string[], env: Readonly<Record<string, string | undefined>> = process.env): Promise<number> {
  let upstream = "https://api.deepgram.com";
  let outDir = join(defaultFixturesDirectory(), "sessions", "deepgram");
  let speed = 1;
  const only: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--upstream" || arg === "--out" || arg === "--speed") {
      const value = argv[++i];
      if (!value) {
        process.stderr.write(`record-deepgram: ${arg} needs a value\n`);
        return 2;
      }
      if (arg === "--upstream") upstream = value;
      else if (arg === "--out") outDir = value;
      else speed = Number(value);
    } else only.push(arg);
  }
  const apiKey = env["DEEPGRAM_API_KEY"]?.trim();
  if (!apiKey) {
    process.stderr.write("record-deepgram: set DEEPGRAM_API_KEY to record from Deepgram.\n");
    return 2;
  }
  if (!(speed > 0 && speed <= 64)) {
    process.stderr.write("record-deepgram: --speed must be a number above 0 and at most 64.\n");
    return 2;
  }
  const loaded = loadFixtures();
  if (loaded.isErr()) {
    process.stderr.write(`record-deepgram: ${formatSttError(loaded.error)}\n`);
    return 2;
  }
  await mkdir(outDir, { recursive: true });
  for (const fixture of loaded.value.fixtures.filter((f) => only.length === 0 || only.includes(f.id))) {
    const session = await recordDeepgramSession(fixture, { upstream, apiKey, speed });
    if (session.isErr()) {
      process.stderr.write(`record-deepgram: ${fixture.id}: ${formatSttError(session.error)}\n`);
      return 1;
    }
    const file = join(outDir, `${fixture.id}.json`);
    await writeFile(file, `${JSON.stringify(session.value, null, 1)}\n`);
    process.stdout.write(`${fixture.id}: ${deepgramFinalTexts(session.value).length} final(s), ${session.value.turns[0]?.messages.length ?? 0} message(s) -> ${file}\n`);
  }
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await recordDeepgramCli(process.argv.slice(2));
}
