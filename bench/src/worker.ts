import { bytesPerSecond } from "@sttkit/core";
import { BENCH_KEY, clientFactory, type OpenClient } from "./client.js";
import { loadBenchAudio, repeatPcm, type BenchAudio } from "./fixtures.js";
import { replyToParent } from "./child-run.js";
import { measureStartup, measureWork, oneStream, parallelStreams, warmUpAudio } from "./measure.js";
import type { WorkerJob, WorkerReport } from "./worker-protocol.js";

/** One complete stream of `audio` through the side under test. */
function streamOf(open: OpenClient, job: WorkerJob, audio: Pick<BenchAudio, "format" | "pcm">, paced: boolean): Promise<number> {
  return oneStream(() => open({ host: job.host, format: audio.format, throttleMs: job.throttleMs }), audio, paced);
}

/** `transcribe()` for the adapter (goal 1d names it); the raw SDK is fed the same 100 ms chunks. */
async function wholeFile(open: OpenClient, job: WorkerJob, audio: Pick<BenchAudio, "format" | "pcm">): Promise<number> {
  if (job.side === "raw") return streamOf(open, job, audio, false);
  const { createAzureSpeechToText } = await import("@sttkit/azure");
  const stt = createAzureSpeechToText(
    // Real time: this compares the adapter's stream with the raw SDK's (azure-fast compares the REST path).
    { host: job.host, apiKey: BENCH_KEY, transcribeWith: "realtime", sdkProperties: { "SPEECH-TransmitLengthBeforThrottleMs": String(job.throttleMs) } },
    {},
  )._unsafeUnwrap();
  const transcript = await stt.transcribe({ pcm: audio.pcm, format: audio.format });
  if (transcript.isErr()) throw new Error(`transcribe failed: ${transcript.error.kind}: ${transcript.error.message}`);
  return transcript.value.segments.length;
}

async function run(job: WorkerJob): Promise<WorkerReport> {
  const fixture = loadBenchAudio(job.fixtureId);
  const audio = job.kind === "file" ? { format: fixture.format, pcm: repeatPcm(fixture.pcm, job.repeats) } : fixture;
  // Warm-up: loading the side and its first stream (first connection, JIT compilation) are paid once, measured apart.
  const { client: open, startup } = await measureStartup(
    () => clientFactory(job.side),
    (loaded) => streamOf(loaded, job, warmUpAudio(audio), false),
  );
  const streams = job.kind === "streams" ? job.streams : 1;
  return measureWork(startup, (streams * audio.pcm.byteLength) / bytesPerSecond(audio.format), () =>
    job.kind === "streams" ? parallelStreams(job.streams, () => streamOf(open, job, audio, true)) : wholeFile(open, job, audio),
  );
}

const job = JSON.parse(process.argv[2] ?? "null") as WorkerJob;
replyToParent(run(job));
