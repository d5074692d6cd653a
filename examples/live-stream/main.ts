import { pathToFileURL } from "node:url";
import { paceRealtime, readWavFile } from "@sttkit/core";
import { bindFromConfig, SAMPLE } from "../shared.js";

/** What the live example prints, line by line (interim lines start with "…"). */
export interface LiveRun {
  /** The provider that answered. */
  readonly provider: string;
  /** Everything printed, in order. */
  readonly lines: string[];
}

/**
 * Feeds a WAV file in real time (or `speed` times faster), as a microphone or a phone call would,
 * and prints interim transcripts as they change and finals with their times as they arrive.
 */
export async function run(options: { provider?: string; file?: string; speed?: number; print?: (line: string) => void } = {}): Promise<LiveRun> {
  const lines: string[] = [];
  const print = (line: string): void => {
    lines.push(line);
    options.print?.(line);
  };
  const bound = await bindFromConfig(options.provider);
  try {
    const audio = await readWavFile(options.file ?? SAMPLE, { requireMono: true });
    if (audio.isErr()) throw new Error(audio.error.message);
    const opened = bound.stt.stream({ format: audio.value.format, interimResults: true });
    if (opened.isErr()) throw new Error(opened.error.message);
    const stream = opened.value;
    const printing = (async () => {
      for await (const event of stream) {
        if (event.type === "interim") print(`… ${event.text}`);
        if (event.type === "final") print(`[${(event.segment.startMs / 1000).toFixed(2)} → ${(event.segment.endMs / 1000).toFixed(2)}] ${event.segment.text}`);
        if (event.type === "error") print(`! ${event.error.kind}: ${event.error.message}`);
      }
    })();
    for await (const chunk of paceRealtime(audio.value.pcm, audio.value.format, { chunkMs: 100, speed: options.speed ?? 1 })) {
      const written = stream.write(chunk);
      if (written.isErr()) break;
      if (!written.value) await stream.drained(); // the provider is behind: wait instead of buffering without bound
    }
    const transcript = await stream.end(); // resolves only after the last final
    await printing;
    if (transcript.isErr()) throw new Error(`${transcript.error.kind}: ${transcript.error.message}`);
    return { provider: bound.stt.provider, lines };
  } finally {
    await bound.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const arg = (name: string): string | undefined => {
    const at = process.argv.indexOf(name);
    return at >= 0 ? process.argv[at + 1] : undefined;
  };
  const provider = arg("--provider");
  await run({ ...(provider ? { provider } : {}), speed: Number(arg("--speed") ?? 1), print: (line) => console.log(line) });
}
