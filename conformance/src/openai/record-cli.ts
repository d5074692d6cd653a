import { pathToFileURL } from "node:url";
import { formatSttError } from "@sttkit/core";
import { parseRecorderArgs } from "../sessions/recorder-args.js";
import { recordOpenAISessions } from "./record-sessions.js";

/**
 * `node conformance/dist/openai/record-cli.js [--upstream URL] [--out DIR] [fixture-id ...]`
 * (`npm run record-openai -w @sttkit/conformance`): refreshes the recorded OpenAI sessions from the
 * real service (needs `OPENAI_API_KEY`). Returns the exit status: 2 without a key or with bad
 * arguments, 1 when recording failed.
 */
export async function recordOpenAICli(argv: readonly string[], env: Readonly<Record<string, string | undefined>> = process.env): Promise<number> {
  const args = parseRecorderArgs({ command: "record-openai", provider: "openai" }, argv);
  if (args.isErr()) {
    process.stderr.write(`${args.error}\n`);
    return 2;
  }
  const { fixtures, outDir, upstream } = args.value;
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
