import { pathToFileURL } from "node:url";
import { formatSttError } from "@sttkit/core";
import { parseRecorderArgs } from "../sessions/recorder-args.js";
import { recordFixtureSessions } from "./record-sessions.js";

/**
 * `npm run record-azure -- [--upstream URL] [--out DIR] [fixture-id ...]` (after `npm run build`):
 * refreshes the recorded Azure sessions from the real service (needs `AZURE_SPEECH_API_KEY` and
 * `AZURE_SPEECH_REGION`). Returns the exit status: 2 for bad arguments, missing or refused
 * credentials, 1 for other failures.
 */
export async function recordCli(argv: readonly string[], env: Readonly<Record<string, string | undefined>> = process.env): Promise<number> {
  const args = parseRecorderArgs({ command: "record-azure", provider: "azure" }, argv);
  if (args.isErr()) {
    process.stderr.write(`${args.error}\n`);
    return 2;
  }
  const { fixtures, outDir, upstream } = args.value;
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
