import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { formatSttError } from "@sttkit/core";
import { parseRecorderArgs } from "../sessions/recorder-args.js";
import { deepgramFinalTexts } from "./session-format.js";
import { recordDeepgramSession } from "./record-session.js";

/**
 * `node conformance/dist/deepgram/record-cli.js [--upstream URL] [--out DIR] [--speed N] [fixture-id ...]`
 * (`npm run record-deepgram -w @sttkit/conformance`): records the Deepgram sessions from the
 * service, replacing the synthesized ones. Needs `DEEPGRAM_API_KEY`; talks only to the upstream
 * (default `https://api.deepgram.com`). Returns the exit status.
 */
export async function recordDeepgramCli(argv: readonly string[], env: Readonly<Record<string, string | undefined>> = process.env): Promise<number> {
  const args = parseRecorderArgs({ command: "record-deepgram", provider: "deepgram", extraValueFlags: ["--speed"] }, argv);
  if (args.isErr()) {
    process.stderr.write(`${args.error}\n`);
    return 2;
  }
  const { fixtures, outDir } = args.value;
  const upstream = args.value.upstream ?? "https://api.deepgram.com";
  const speed = Number(args.value.extra.get("--speed") ?? 1);
  const apiKey = env["DEEPGRAM_API_KEY"]?.trim();
  if (!apiKey) {
    process.stderr.write("record-deepgram: set DEEPGRAM_API_KEY to record from Deepgram.\n");
    return 2;
  }
  if (!(speed > 0 && speed <= 64)) {
    process.stderr.write("record-deepgram: --speed must be a number above 0 and at most 64.\n");
    return 2;
  }
  await mkdir(outDir, { recursive: true });
  for (const fixture of fixtures) {
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
