import { bytesPerSecond, chunkPcm, paceRealtime, type AudioFormat } from "@sttkit/core";
import type { StartupCost, WorkerReport } from "./worker-protocol.js";

/** RSS is sampled this often; peaks shorter than this can be missed, on both sides alike. */
const RSS_SAMPLE_MS = 20;
/** Audio sent in the unmeasured warm-up stream. */
const WARM_UP_MS = 3_000;

/** What every bench client, Azure or Deepgram, adapter or raw SDK, offers the measuring loop. */
export interface StreamingClient {
  /** Sends one chunk; a promise only when the side asks the writer to wait (backpressure). */
  write(chunk: Uint8Array): Promise<void> | undefined;
  /** Declares the audio complete and resolves once the last final transcript is in. */
  finish(): Promise<void>;
  /** Releases the recognizer and its connection. */
  close(): Promise<void>;
  /** `performance.now()` when the application received each final transcript with text. */
  readonly finalTimes: readonly number[];
}

/** One complete stream: open, send (paced at real time, or as fast as accepted), wait for the last final, release. Returns the finals received. */
export async function oneStream(open: () => StreamingClient, audio: { readonly format: AudioFormat; readonly pcm: Uint8Array }, paced: boolean): Promise<number> {
  const client = open();
  try {
    for await (const chunk of paced ? paceRealtime(audio.pcm, audio.format) : chunkPcm(audio.pcm, audio.format)) {
      const waiting = client.write(chunk);
      if (waiting) await waiting;
    }
    await client.finish();
    return client.finalTimes.length;
  } finally {
    await client.close();
  }
}

/** The first {@link WARM_UP_MS} of the audio: the unmeasured stream that pays for module initialisation and JIT compilation. */
export function warmUpAudio(audio: { readonly format: AudioFormat; readonly pcm: Uint8Array }): { format: AudioFormat; pcm: Uint8Array } {
  const bytes = Math.min(audio.pcm.byteLength, Math.round((WARM_UP_MS / 1000) * bytesPerSecond(audio.format)));
  return { format: audio.format, pcm: audio.pcm.subarray(0, bytes) };
}

/**
 * The one-time start-up of a side in a fresh process: `load` imports its client, `first` runs the
 * first (warm-up) stream with it. Timed apart so that neither weighs on the per-audio-minute cost.
 */
export async function measureStartup<Client>(load: () => Promise<Client>, first: (client: Client) => Promise<unknown>): Promise<{ client: Client; startup: StartupCost }> {
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const client = await load();
  const loaded = performance.now();
  await first(client);
  const cpu = process.cpuUsage(cpuBefore);
  return { client, startup: { moduleLoadMs: loaded - started, firstStreamMs: performance.now() - loaded, cpuMs: (cpu.user + cpu.system) / 1000 } };
}

/**
 * Measures `work` in this process: wall time, user + system CPU, RSS after a full GC before it and
 * the highest RSS sampled during it. `audioSeconds` is the audio the work recognises; the work
 * returns the finals it received.
 */
export async function measureWork(startup: StartupCost, audioSeconds: number, work: () => Promise<number>): Promise<WorkerReport> {
  (globalThis as { gc?: () => void }).gc?.();
  const baselineRssBytes = process.memoryUsage.rss();
  let peakRssBytes = baselineRssBytes;
  const sampler = setInterval(() => {
    peakRssBytes = Math.max(peakRssBytes, process.memoryUsage.rss());
  }, RSS_SAMPLE_MS);
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  let finals: number;
  try {
    finals = await work();
  } finally {
    clearInterval(sampler);
  }
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  return {
    startup,
    wallMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    baselineRssBytes,
    peakRssBytes: Math.max(peakRssBytes, process.memoryUsage.rss()),
    audioSeconds,
    finals,
  };
}

/** Runs `count` copies of one stream at once and sums their finals. */
export async function parallelStreams(count: number, stream: () => Promise<number>): Promise<number> {
  return (await Promise.all(Array.from({ length: count }, stream))).reduce((sum, finals) => sum + finals, 0);
}
