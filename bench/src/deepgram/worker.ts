import { bytesPerSecond, chunkPcm, paceRealtime, type AudioFormat } from "@sttkit/core";
import { replyToParent } from "../child-run.js";
import { loadBenchAudio } from "../fixtures.js";
import { deepgramClientFactory, type OpenDeepgramClient } from "./clients.js";
import type { DeepgramWorkerJob, DeepgramWorkerReport } from "./worker-protocol.js";

const RSS_SAMPLE_MS = 20;
const WARM_UP_MS = 3_000;

async function oneStream(open: OpenDeepgramClient, baseUrl: string, audio: { format: AudioFormat; pcm: Uint8Array }, paced: boolean): Promise<number> {
  const client = open({ baseUrl, format: audio.format });
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

async function run(job: DeepgramWorkerJob): Promise<DeepgramWorkerReport> {
  const open = await deepgramClientFactory(job.side);
  const audio = loadBenchAudio(job.fixtureId);
  // Warm-up: module initialisation and JIT compilation are paid before measuring, on both sides.
  const warmUp = audio.pcm.subarray(0, Math.min(audio.pcm.byteLength, Math.round((WARM_UP_MS / 1000) * bytesPerSecond(audio.format))));
  await oneStream(open, job.baseUrl, { format: audio.format, pcm: warmUp }, false);
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
    finals = (await Promise.all(Array.from({ length: job.streams }, () => oneStream(open, job.baseUrl, audio, true)))).reduce((sum, count) => sum + count, 0);
  } finally {
    clearInterval(sampler);
  }
  const cpu = process.cpuUsage(cpuBefore);
  return {
    wallMs: performance.now() - started,
    cpuMs: (cpu.user + cpu.system) / 1000,
    baselineRssBytes,
    peakRssBytes: Math.max(peakRssBytes, process.memoryUsage.rss()),
    audioSeconds: (job.streams * audio.pcm.byteLength) / bytesPerSecond(audio.format),
    finals,
  };
}

replyToParent(run(JSON.parse(process.argv[2] ?? "null") as DeepgramWorkerJob));
