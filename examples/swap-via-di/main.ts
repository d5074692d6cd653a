import { pathToFileURL } from "node:url";
import { formatSttError, type SttError } from "@sttkit/core";
import type { Result } from "neverthrow";
import { bindFromConfig, SAMPLE } from "../shared.js";
import { transcribeMeeting } from "./app.js";

/** What the example prints for a transcribed meeting. */
export interface MeetingLines {
  /** The provider the configuration bound. */
  readonly provider: string;
  /** One line per final transcript. */
  readonly lines: string[];
}

/**
 * Runs the same application code against whichever provider the configuration names:
 * `STT_PROVIDER=azure node examples/dist/swap-via-di/main.js` (or `--provider azure`). The
 * application's Result comes back as it is: the lines, or the typed error.
 */
export async function run(options: { provider?: string; file?: string } = {}): Promise<Result<MeetingLines, SttError>> {
  const bound = await bindFromConfig(options.provider);
  try {
    const meeting = await transcribeMeeting(bound.stt, options.file ?? SAMPLE);
    return meeting.map(({ provider, segments }) => ({
      provider,
      lines: segments.map((segment) => `[${provider}] ${(segment.startMs / 1000).toFixed(2)}-${(segment.endMs / 1000).toFixed(2)} s: ${segment.text}`),
    }));
  } finally {
    await bound.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const flag = process.argv.indexOf("--provider");
  const file = process.argv.indexOf("--file");
  const result = await run({
    ...(flag >= 0 ? { provider: process.argv[flag + 1] ?? "offline" } : {}),
    ...(file >= 0 && process.argv[file + 1] ? { file: process.argv[file + 1] } : {}),
  });
  // Both outcomes handled: the transcript, or the typed error with an exit status.
  result.match(
    ({ lines }) => {
      for (const line of lines) console.log(line);
    },
    (error) => {
      console.error(`transcription failed: ${formatSttError(error)}`);
      process.exitCode = error.kind === "invalid-audio" || error.kind === "invalid-argument" ? 2 : 1;
    },
  );
}
