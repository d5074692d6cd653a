import { paceRealtime } from "@sttkit/core";
import { startAzureReplayServer, type RecordedAzureSession } from "@sttkit/conformance/azure";
import { clientFactory, SIDES, type OpenClient, type Side } from "./client.js";
import { type BenchAudio } from "./fixtures.js";
import { phraseCount } from "./azure-sessions.js";
import { PhraseArrivalProxy } from "./phrase-arrival-proxy.js";

/** Every sample of one side, and anything that makes the samples untrustworthy. */
export interface LatencySamples {
  /** Phrase bytes at the client → final in the application, ms, one per phrase. */
  readonly phraseToFinalMs: Record<Side, number[]>;
  /** The same, to the synchronous callback (adapter: `onEvent`; raw: `recognized`). */
  readonly phraseToCallbackMs: Record<Side, number[]>;
  /** Last audio byte written → the last final is in and the session is over, ms, one per run. */
  readonly lastAudioToDoneMs: Record<Side, number[]>;
  /** The same, up to the recognizer released as well (the adapter's `end()` includes that). */
  readonly lastAudioToReleasedMs: Record<Side, number[]>;
  readonly problems: string[];
}

interface RunOutcome {
  readonly phraseToFinalMs: number[];
  readonly phraseToCallbackMs: number[];
  readonly lastAudioToDoneMs: number;
  readonly lastAudioToReleasedMs: number;
}

/**
 * One stream of `audio` through one side, against a fresh replay server (a server keeps every
 * byte it received, so reusing one would let earlier runs weigh on later ones) behind a
 * {@link PhraseArrivalProxy}.
 */
async function runOnce(open: OpenClient, side: Side, audio: BenchAudio, session: RecordedAzureSession, speed: number, problems: string[]): Promise<RunOutcome> {
  const server = await startAzureReplayServer({ session });
  const proxy = await PhraseArrivalProxy.start(server.host);
  try {
    const client = open({ host: proxy.host, format: audio.format, throttleMs: 600_000 });
    let lastAudioAt = Number.NaN;
    let outcome: Omit<RunOutcome, "lastAudioToReleasedMs">;
    try {
      for await (const chunk of paceRealtime(audio.pcm, audio.format, { speed })) {
        const waiting = client.write(chunk);
        if (waiting) await waiting;
      }
      lastAudioAt = performance.now();
      await client.finish();
      const lastAudioToDoneMs = performance.now() - lastAudioAt;
      const arrivals = proxy.takeArrivals();
      const expected = phraseCount(session);
      if (arrivals.length !== expected || client.finalTimes.length !== expected) {
        problems.push(`${side}: ${arrivals.length} phrases on the wire, ${client.finalTimes.length} finals delivered, ${expected} expected`);
      }
      const sinceArrival = (times: readonly number[]): number[] =>
        Array.from({ length: Math.min(arrivals.length, times.length) }, (_, index) => (times[index] as number) - (arrivals[index] as number));
      outcome = { phraseToFinalMs: sinceArrival(client.finalTimes), phraseToCallbackMs: sinceArrival(client.finalCallbackTimes), lastAudioToDoneMs };
    } finally {
      await client.close();
    }
    return { ...outcome, lastAudioToReleasedMs: performance.now() - lastAudioAt };
  } finally {
    await proxy.close();
    await server.close();
  }
}

export interface LatencyPlan {
  /** Fixture and pace for the per-phrase latency (many phrases per run). */
  readonly phraseAudio: BenchAudio;
  readonly phraseSession: RecordedAzureSession;
  readonly phraseSpeed: number;
  readonly phraseRuns: number;
  /** Fixture and pace for the end-of-audio timing (one sample per run, so short runs). */
  readonly finishAudio: BenchAudio;
  readonly finishSession: RecordedAzureSession;
  readonly finishSpeed: number;
  readonly finishRuns: number;
}

/**
 * Goals 1a and 1b, adapter and raw SDK in this one process, runs alternating between the sides
 * so that load from elsewhere on the machine falls on both alike. One unmeasured run per side
 * first, so module loading and JIT warm-up are not charged to either.
 */
export async function measureAzureLatency(plan: LatencyPlan, progress: (line: string) => void): Promise<LatencySamples> {
  const open = { raw: await clientFactory("raw"), adapter: await clientFactory("adapter") };
  const samples: LatencySamples = {
    phraseToFinalMs: { raw: [], adapter: [] },
    phraseToCallbackMs: { raw: [], adapter: [] },
    lastAudioToDoneMs: { raw: [], adapter: [] },
    lastAudioToReleasedMs: { raw: [], adapter: [] },
    problems: [],
  };
  const ignored: string[] = [];
  for (const side of SIDES) await runOnce(open[side], side, plan.finishAudio, plan.finishSession, Number.POSITIVE_INFINITY, ignored);
  for (let run = 0; run < plan.phraseRuns; run++) {
    for (const side of run % 2 === 0 ? SIDES : [...SIDES].reverse()) {
      const outcome = await runOnce(open[side], side, plan.phraseAudio, plan.phraseSession, plan.phraseSpeed, samples.problems);
      samples.phraseToFinalMs[side].push(...outcome.phraseToFinalMs);
      samples.phraseToCallbackMs[side].push(...outcome.phraseToCallbackMs);
    }
    progress(`  1a phrase latency: run ${run + 1}/${plan.phraseRuns}`);
  }
  for (let run = 0; run < plan.finishRuns; run++) {
    for (const side of run % 2 === 0 ? SIDES : [...SIDES].reverse()) {
      const outcome = await runOnce(open[side], side, plan.finishAudio, plan.finishSession, plan.finishSpeed, samples.problems);
      samples.lastAudioToDoneMs[side].push(outcome.lastAudioToDoneMs);
      samples.lastAudioToReleasedMs[side].push(outcome.lastAudioToReleasedMs);
    }
  }
  progress(`  1b end of audio → done: ${plan.finishRuns} runs per side`);
  return samples;
}
