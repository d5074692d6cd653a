import { bytesPerSecond, chunkPcm, paceRealtime } from "@sttkit/core";
import { BENCH_KEY, clientFactory, type BenchClient, type OpenClient } from "./client.js";
import { loadBenchAudio, repeatPcm, type BenchAudio } from "./fixtures.js";
import { replyToParent } from "./child-run.js";
import type { WorkerJob, WorkerReport } from "./worker-protocol.js";

/** RSS is sampled this often; peaks shorter than this can be missed, on both sides alike. */
const RSS_SAMPLE_MS = 20;
/** Audio sent in the unmeasured warm-up stream. */
const WARM_UP_MS = 3_000;

async function sendAll(client: BenchClient, chunks: Iterable<Uint8Array> | AsyncIterable<Uint8Array>): Promise<void> {
  for await (const chunk of chunks) {
    const waiting = client.write(chunk);
    if (waiting) await waiting;
  }
}

/** One complete stream: open, send, wait for the last final, release. Returns the finals received. */
async function oneStream(open: OpenClient, job: WorkerJob, audio: Pick<BenchAudio, "format" | "pcm">, paced: boolean): Promise<number> {
  const client = open({ host: job.host, format: audio.format, throttleMs: job.throttleMs });
  try {
    await sendAll(client, paced ? paceRealtime(audio.pcm, audio.format) : chunkPcm(audio.pcm, audio.format));
    await client.finish();
    return client.finalTimes.length;
  } finally {
    await client.close();
  }
}

/** `transcribe()` for the adapter (goal 1d names it); the raw SDK is fed the same 100 ms chunks. */
async function wholeFile(open: OpenClient, job: WorkerJob, audio: Pick<BenchAudio, "format" | "pcm">): Promise<number> {
  if (job.side === "raw") return oneStream(open, job, audio, false);
  const { createAzureSpeechToText } = await import("@sttkit/azure");
  const stt = createAzureSpeechToText(
    { host: job.host, apiKey: BENCH_KEY, sdkProperties: { "SPEECH-TransmitLengthBeforThrottleMs": String(job.throttleMs) } },
    {},
  )._unsafeUnwrap();
  const transcript = await stt.transcribe({ pcm: audio.pcm, format: audio.format });
  if (transcript.isErr()) throw new Error(`transcribe failed: ${transcript.error.kind}: ${transcript.error.message}`);
  return transcript.value.segments.length;
}

function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

async function run(job: WorkerJob): Promise<WorkerReport> {
  const open = await clientFactory(job.side);
  const fixture = loadBenchAudio(job.fixtureId);
  const audio = job.kind === "file" ? { format: fixture.format, pcm: repeatPcm(fixture.pcm, job.repeats) } : fixture;
  // Warm-up: the first stream pays for module initialisation and JIT compilation, on both sides.
  const warmUpBytes = Math.min(audio.pcm.byteLength, Math.round((WARM_UP_MS / 1000) * bytesPerSecond(audio.format)));
  await oneStream(open, job, { format: audio.format, pcm: audio.pcm.subarray(0, warmUpBytes) }, false);
  collectGarbage();
  const baselineRssBytes = process.memoryUsage.rss();
  let peakRssBytes = baselineRssBytes;
  const sampler = setInterval(() => {
    peakRssBytes = Math.max(peakRssBytes, process.memoryUsage.rss());
  }, RSS_SAMPLE_MS);
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  let finals: number;
  try {
    finals =
      job.kind === "streams"
        ? (await Promise.all(Array.from({ length: job.streams }, () => oneStream(open, job, audio, true)))).reduce((sum, count) => sum + count, 0)
        : await wholeFile(open, job, audio);
  } finally {
    clearInterval(sampler);
  }
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  peakRssBytes = Math.max(peakRssBytes, process.memoryUsage.rss());
  const streams = job.kind === "streams" ? job.streams : 1;
  return {
    wallMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    baselineRssBytes,
    peakRssBytes,
    audioSeconds: (streams * audio.pcm.byteLength) / bytesPerSecond(audio.format),
    finals,
  };
}

const job = JSON.parse(process.argv[2] ?? "null") as WorkerJob;
replyToParent(run(job));
