import { setMaxListeners } from "node:events";
import type { SpeechToText } from "@sttkit/core";
import { bytesPerSecond, paceRealtime, type AudioFormat } from "@sttkit/core";
import { BENCH_KEY, type BenchClient } from "./client.js";
import { replyToParent } from "./child-run.js";
import { loadBenchAudio, repeatPcm } from "./fixtures.js";
import type { SoakJob, SoakReport, SoakSample, SoakStreamOutcome } from "./soak-protocol.js";

const MB = 1024 * 1024;
/** Audio in the unmeasured warm-up stream, ms. */
const WARM_UP_MS = 5_000;

/** One stream's audio; `seed` makes it unique (see {@link uniqueChunks}). */
interface SoakAudio {
  readonly pcm: Uint8Array;
  readonly format: AudioFormat;
  readonly seed: number;
}

/**
 * The audio paced at `speed`, each chunk a copy with its samples' lowest bit flipped by a
 * pseudo-random sequence of the stream's own: inaudible, but every stream's audio, and every
 * minute of it, is then unique. The replay server tells a stream continuing on a new recognizer
 * (a rotation, a recovery) from a new one by the audio, which identical streams of a repeated
 * recording would make ambiguous. One chunk at a time, so memory does not grow with the streams.
 */
async function* uniqueChunks(audio: SoakAudio, speed: number, signal: AbortSignal): AsyncGenerator<Uint8Array> {
  let state = (audio.seed * 2_654_435_761) >>> 0 || 1;
  for await (const chunk of paceRealtime(audio.pcm, audio.format, { speed, signal })) {
    const copy = chunk.slice();
    for (let index = 0; index < copy.byteLength; index += 2) {
      state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
      copy[index]! ^= state >>> 31;
    }
    yield copy;
  }
}

/** Runs one stream from start to end against `host`; never throws. */
type RunStream = (audio: SoakAudio, speed: number, faulty: boolean, deadline: AbortSignal, sent: { bytes: number }) => Promise<SoakStreamOutcome>;

/**
 * The streams' runner for the job's side, loaded only for that side: the raw child never loads
 * the adapter, so its memory is the SDK's alone.
 */
async function runnerFor(job: SoakJob, host: string, throttleMs: number): Promise<RunStream> {
  if (job.side === "raw") {
    const { openRawClient } = await import("./raw-client.js");
    return (audio, speed, faulty, deadline, sent) => rawStream(() => openRawClient({ host, format: audio.format, throttleMs }), audio, speed, faulty, deadline, sent);
  }
  const { createAzureSpeechToText } = await import("@sttkit/azure");
  const stt = createAzureSpeechToText(
    {
      host,
      apiKey: BENCH_KEY,
      connectTimeoutMs: 30_000,
      finishTimeoutMs: 30_000,
      rotateRecognizerAfterSeconds: job.rotateSeconds,
      sdkProperties: { "SPEECH-TransmitLengthBeforThrottleMs": String(throttleMs) },
    },
    {},
  )._unsafeUnwrap();
  return (audio, speed, faulty, deadline, sent) => oneStream(stt, audio, speed, faulty, deadline, sent);
}

/** One stream through the Speech SDK directly, paced like the adapter's; never throws. */
async function rawStream(
  open: () => BenchClient & { readonly finalTexts: readonly string[] },
  audio: SoakAudio,
  speed: number,
  faulty: boolean,
  deadline: AbortSignal,
  sent: { bytes: number },
): Promise<SoakStreamOutcome> {
  const client = open();
  try {
    for await (const chunk of uniqueChunks(audio, speed, deadline)) {
      await client.write(chunk);
      sent.bytes += chunk.byteLength;
    }
    await client.finish();
    return { finals: [...client.finalTexts], recovered: 0, faulty };
  } catch (error) {
    return { finals: [...client.finalTexts], recovered: 0, faulty, error: String(error) };
  } finally {
    await client.close();
  }
}

/** One stream from start to end, as an application would run it; never throws. */
async function oneStream(stt: SpeechToText, audio: SoakAudio, speed: number, faulty: boolean, deadline: AbortSignal, sent: { bytes: number }): Promise<SoakStreamOutcome> {
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
    for await (const chunk of uniqueChunks(audio, speed, deadline)) {
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
  // The SDK slows its upload to twice real time once this much audio is sent on a recognizer. A
  // soak faster than that would then fall behind its pace and push the backlog in one burst when
  // a rotation gives it a fresh recognizer: a stall and a burst no real-time source makes. So
  // never within a stream's audio.
  const throttleMs = Math.max(600_000, fixture.durationMs * job.repeats + 60_000);
  const clean = await runnerFor(job, job.cleanHost, throttleMs);
  const faulty = await runnerFor(job, job.faultyHost, throttleMs);
  const sent = { bytes: 0 };
  const warmUp = new AbortController();
  const warmUpBytes = Math.round((WARM_UP_MS / 1000) * bytesPerSecond(fixture.format));
  await clean({ pcm: pcm.subarray(0, warmUpBytes), format: fixture.format, seed: job.streams + 1 }, Number.POSITIVE_INFINITY, false, warmUp.signal, { bytes: 0 });
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
      heapTotalMb: memory.heapTotal / MB,
      externalMb: memory.external / MB,
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
        const outcome = await (isFaulty ? faulty : clean)({ pcm, format: fixture.format, seed: index + 1 }, job.speed, isFaulty, deadline, sent);
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
