import { pathToFileURL } from "node:url";
import { bindFromConfig, SAMPLE } from "../shared.js";
import { transcribeMeeting } from "./app.js";

/**
 * Runs the same application code against whichever provider the configuration names:
 * `STT_PROVIDER=azure node examples/dist/swap-via-di/main.js` (or `--provider azure`).
 */
export async function run(options: { provider?: string; file?: string } = {}): Promise<{ provider: string; lines: string[] }> {
  const bound = await bindFromConfig(options.provider);
  try {
    const result = await transcribeMeeting(bound.stt, options.file ?? SAMPLE);
    const lines = result.segments.map((segment) => `[${result.provider}] ${(segment.startMs / 1000).toFixed(2)}-${(segment.endMs / 1000).toFixed(2)} s: ${segment.text}`);
    return { provider: result.provider, lines };
  } finally {
    await bound.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const flag = process.argv.indexOf("--provider");
  const { lines } = await run(flag >= 0 ? { provider: process.argv[flag + 1] ?? "offline" } : {});
  for (const line of lines) console.log(line);
}
