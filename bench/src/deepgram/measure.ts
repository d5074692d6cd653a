/**
 * Section 4: the Deepgram adapter against the raw `@deepgram/sdk` on the same local Deepgram
 * server in the same run. The rows and their verdicts are made by the common harness (`main.ts`).
 *
 * @module
 */
import { paceRealtime } from "@sttkit/core";
import { loadDeepgramSession, startDeepgramServer, type RecordedDeepgramSession } from "@sttkit/conformance/deepgram";
import { runScriptInChild } from "../child-run.js";
import { loadBenchAudio } from "../fixtures.js";
import type { WorkerReport } from "../worker-protocol.js";
import { deepgramClientFactory, type DeepgramSide } from "./clients.js";
import type { DeepgramWorkerJob } from "./worker-protocol.js";

/** How much of section 4 a run does. */
export interface DeepgramPlan {
  readonly latencyFixture: string;
  readonly latencySpeed: number;
  /** Runs per side; each gives one sample per final of the fixture. */
  readonly latencyRuns: number;
  readonly loadFixture: string;
  readonly levels: ReadonlyArray<{ readonly streams: number; readonly repetitions: number }>;
  /** Also run the adapter with recovery off, to show what the replay buffer costs. */
  readonly withoutReplay: boolean;
}

const LATENCY_SIDES: readonly DeepgramSide[] = ["raw", "adapter"];

export interface DeepgramLoadResult {
  readonly streams: number;
  readonly fixtureId: string;
  readonly reports: Record<DeepgramSide, WorkerReport[]>;
}

export interface DeepgramSamples {
  /** Server hands a final to its socket → the application has it, ms, one per final. */
  readonly latencyMs: Record<"raw" | "adapter", number[]>;
  readonly load: DeepgramLoadResult[];
}

function session(id: string): RecordedDeepgramSession {
  return loadDeepgramSession(id)._unsafeUnwrap();
}

/**
 * Added latency: from the local server handing a final to its socket to the application
 * receiving it (adapter: the `final` event from `for await`; raw: the SDK's message handler), on
 * one `performance.now()` clock (server and client share this process and its event loop, alike
 * for both sides). Sides alternate run by run, after one unmeasured warm-up run each.
 */
async function measureLatency(plan: DeepgramPlan, problems: string[], progress: (line: string) => void): Promise<DeepgramSamples["latencyMs"]> {
  const audio = loadBenchAudio(plan.latencyFixture);
  const sent: number[][] = [];
  const server = await startDeepgramServer({
    session: session(plan.latencyFixture),
    onMessageSent: (connection, message) => {
      const alternatives = (message["channel"] as { alternatives?: Array<{ transcript?: string }> } | undefined)?.alternatives;
      if (message.type === "Results" && message["is_final"] === true && (alternatives?.[0]?.transcript ?? "").trim().length > 0) {
        (sent[connection.attempt] ??= []).push(performance.now());
      }
    },
  });
  const samples: DeepgramSamples["latencyMs"] = { raw: [], adapter: [] };
  try {
    const order: Array<"raw" | "adapter"> = [];
    for (let run = 0; run < plan.latencyRuns; run++) order.push(...((run % 2 === 0 ? LATENCY_SIDES : [...LATENCY_SIDES].reverse()) as Array<"raw" | "adapter">));
    const open = { raw: await deepgramClientFactory("raw"), adapter: await deepgramClientFactory("adapter") };
    for (const [index, side] of [...(LATENCY_SIDES as Array<"raw" | "adapter">), ...order].entries()) {
      const attempt = server.connections.length;
      const client = open[side]({ baseUrl: server.baseUrl, format: audio.format });
      for await (const chunk of paceRealtime(audio.pcm, audio.format, { speed: plan.latencySpeed })) {
        const waiting = client.write(chunk);
        if (waiting) await waiting;
      }
      await client.finish();
      await client.close();
      const sentTimes = sent[attempt] ?? [];
      if (client.finalTimes.length !== sentTimes.length) problems.push(`deepgram latency ${side}: ${client.finalTimes.length} finals received, ${sentTimes.length} sent`);
      if (index >= LATENCY_SIDES.length) client.finalTimes.forEach((at, final) => samples[side].push(at - (sentTimes[final] as number)));
    }
    progress(`  4 latency: ${plan.latencyRuns} runs per side`);
  } finally {
    await server.close();
  }
  return samples;
}

/** Real-time streams per side at each level, each side in its own child process, ABAB order; the server stays here. */
async function measureLoad(plan: DeepgramPlan, problems: string[], progress: (line: string) => void): Promise<DeepgramLoadResult[]> {
  const results: DeepgramLoadResult[] = [];
  const sides: readonly DeepgramSide[] = plan.withoutReplay ? ["raw", "adapter", "adapter-no-replay"] : ["raw", "adapter"];
  for (const level of plan.levels) {
    const reports: Record<DeepgramSide, WorkerReport[]> = { raw: [], adapter: [], "adapter-no-replay": [] };
    for (let repetition = 0; repetition < level.repetitions; repetition++) {
      for (const side of repetition % 2 === 0 ? sides : [...sides].reverse()) {
        const server = await startDeepgramServer({ session: session(plan.loadFixture) });
        try {
          const job: DeepgramWorkerJob = { side, baseUrl: server.baseUrl, fixtureId: plan.loadFixture, streams: level.streams };
          const report = await runScriptInChild<WorkerReport>(new URL("./worker.js", import.meta.url), job, 600_000, `deepgram ${side} x${level.streams}`);
          if (report.finals === 0 || report.finals % level.streams !== 0) problems.push(`deepgram ${side} x${level.streams}: ${report.finals} finals over ${level.streams} streams`);
          reports[side].push(report);
        } finally {
          await server.close();
        }
      }
    }
    results.push({ streams: level.streams, fixtureId: plan.loadFixture, reports });
    progress(`  4 load: ${level.streams} streams, ${level.repetitions} repetitions per side`);
  }
  return results;
}

/** Section 4, every sample. */
export async function measureDeepgram(plan: DeepgramPlan, problems: string[], progress: (line: string) => void): Promise<DeepgramSamples> {
  const latencyMs = await measureLatency(plan, problems, progress);
  const load = await measureLoad(plan, problems, progress);
  return { latencyMs, load };
}
