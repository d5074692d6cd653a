import { setMaxListeners } from "node:events";
import { createAzureSpeechToText } from "@sttkit/azure";
import { bytesPerSecond, paceRealtime, type AudioFormat, type SpeechToText } from "@sttkit/core";
import { BENCH_KEY } from "./client.js";
import { replyToParent } from "./child-run.js";
import { loadBenchAudio, repeatPcm } from "./fixtures.js";
import type { SoakJob, SoakReport, SoakSample, SoakStreamOutcome } from "./soak-protocol.js";

const MB = 1024 * 1024;
/** Audio in the unmeasured warm-up stream, ms. */
const WARM_UP_MS = 5_000;

function adapterFor(host: string, throttleMs: number): SpeechToText {
  return createAzureSpeechToText(
    { host, apiKey: BENCH_KEY, connectTimeoutMs: 30_000, finishTimeoutMs: 30_000, sdkProperties: { "SPEECH-TransmitLengthBeforThrottleMs": String(throttleMs) } },
    {},
  )._unsafeUnwrap();
}

/** One stream from start to end, as an application would run it; never throws. */
async function oneStream(stt: SpeechToText, audio: { readonly pcm: Uint8Array; readonly format: AudioFormat }, speed: number, faulty: boolean, deadline: AbortSignal, sent: { bytes: number }): Promise<SoakStreamOutcome> {
  const opened = stt.stream({ format: audio.format, signal: deadline });
  if (opened.isErr()) return { finals: [], error: opened.error.message, recovered: 0, faulty };
  const stream = opened.value;
  const finals: string[] = [];
  let recovered = 0;
  const reading = (async () => {
    for await (const event of stream) {
      if (event.type === "final") finals.push(event.segment.text);
      else if (event.type === "error" && !event.fatal) recovered += 1;
    }
  })();
  try {
    for await (const chunk of paceRealtime(audio.pcm, audio.format, { speed, signal: deadline })) {
      const written = stream.write(chunk);
      if (written.isErr()) break;
      sent.bytes += chunk.byteLength;
      if (!written.value) await stream.drained();
    }
    const ended = await stream.end();
    return { finals, recovered, faulty, ...(ended.isErr() ? { error: `${ended.error.kind}: ${ended.error.message}` } : {}) };
  } finally {
    await stream.close();
    await reading;
  }
}

async function run(job: SoakJob): Promise<SoakReport> {
  const fixture = loadBenchAudio(job.fixtureId);
  const pcm = repeatPcm(fixture.pcm, job.repeats);
  const throttleMs = 600_000;
  const clean = adapterFor(job.cleanHost, throttleMs);
  const faulty = adapterFor(job.faultyHost, throttleMs);
  const sent = { bytes: 0 };
  const warmUp = new AbortController();
  const warmUpBytes = Math.round((WARM_UP_MS / 1000) * bytesPerSecond(fixture.format));
  await oneStream(clean, { pcm: pcm.subarray(0, warmUpBytes), format: fixture.format }, Number.POSITIVE_INFINITY, false, warmUp.signal, { bytes: 0 });
  (globalThis as { gc?: () => void }).gc?.();
  const baselineRssMb = process.memoryUsage.rss() / MB;

  const samples: SoakSample[] = [];
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  let open = job.streams;
  const sample = (): void => {
    const memory = process.memoryUsage();
    samples.push({
      atSeconds: (performance.now() - started) / 1000,
      rssMb: memory.rss / MB,
      heapUsedMb: memory.heapUsed / MB,
      audioSeconds: sent.bytes / bytesPerSecond(fixture.format),
      openStreams: open,
    });
  };
  const sampler = setInterval(sample, job.sampleMs);
  const deadline = AbortSignal.timeout(job.timeLimitMs);
  // One deadline shared by every stream (and its pacing) is how an application would bound them all.
  setMaxListeners(0, deadline);
  try {
    const outcomes = await Promise.all(
      Array.from({ length: job.streams }, async (_, index) => {
        const isFaulty = index < job.faultyStreams;
        const outcome = await oneStream(isFaulty ? faulty : clean, { pcm, format: fixture.format }, job.speed, isFaulty, deadline, sent);
        open -= 1;
        return outcome;
      }),
    );
    sample();
    const cpu = process.cpuUsage(cpuBefore);
    return { baselineRssMb, samples, outcomes, wallSeconds: (performance.now() - started) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
  } finally {
    clearInterval(sampler);
  }
}

replyToParent(run(JSON.parse(process.argv[2] ?? "null") as SoakJob));
