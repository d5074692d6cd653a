/**
 * The Deepgram benchmark: the adapter against the raw `@deepgram/sdk` on the same local Deepgram
 * server in the same run. `npm run bench:deepgram [-- --quick]`. Tables to stdout, every sample
 * to `bench/results/deepgram-latest.json`.
 *
 * @module
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { paceRealtime } from "@sttkit/core";
import { loadDeepgramSession, startDeepgramServer, type DeepgramServer, type RecordedDeepgramSession } from "@sttkit/conformance/deepgram";
import { runScriptInChild } from "../child-run.js";
import { loadBenchAudio } from "../fixtures.js";
import { comparisonTable, formatNumber, renderTable, type ComparisonRow, type Table } from "../report.js";
import { median, summarise } from "../stats.js";
import { deepgramClientFactory, type DeepgramSide } from "./clients.js";
import type { WorkerReport } from "../worker-protocol.js";
import type { DeepgramWorkerJob } from "./worker-protocol.js";

const QUICK = process.argv.includes("--quick");
const LATENCY_FIXTURE = "espeak-long-60s";
const LATENCY_SPEED = 10;
const LATENCY_RUNS = QUICK ? 2 : 6;
const LOAD_FIXTURE = QUICK ? "librivox-0870" : "librivox-multi";
const LEVELS: ReadonlyArray<{ streams: number; repetitions: number }> = QUICK
  ? [{ streams: 1, repetitions: 1 }, { streams: 10, repetitions: 1 }, { streams: 100, repetitions: 1 }]
  : [{ streams: 1, repetitions: 3 }, { streams: 10, repetitions: 2 }, { streams: 100, repetitions: 3 }];
const SIDES: readonly DeepgramSide[] = ["raw", "adapter"];
/** The load measurement also runs the adapter without recovery, to show what the replay buffer costs. */
const LOAD_SIDES: readonly DeepgramSide[] = ["raw", "adapter", "adapter-no-replay"];
const MB = 1024 * 1024;

function progress(line: string): void {
  process.stderr.write(`${line}\n`);
}

function session(id: string): RecordedDeepgramSession {
  return loadDeepgramSession(id)._unsafeUnwrap();
}

/**
 * Added latency: from the local server handing a final to its socket to the application
 * receiving it (adapter: the `final` event from `for await`; raw: the SDK's message handler), on
 * one `performance.now()` clock (server and client share this process and its event loop, alike
 * for both sides). Sides alternate run by run.
 */
async function measureLatency(): Promise<Record<DeepgramSide, number[]>> {
  const audio = loadBenchAudio(LATENCY_FIXTURE);
  const sent: number[][] = [];
  const server = await startDeepgramServer({
    session: session(LATENCY_FIXTURE),
    onMessageSent: (connection, message) => {
      const alternatives = (message["channel"] as { alternatives?: Array<{ transcript?: string }> } | undefined)?.alternatives;
      if (message.type === "Results" && message["is_final"] === true && (alternatives?.[0]?.transcript ?? "").trim().length > 0) {
        (sent[connection.attempt] ??= []).push(performance.now());
      }
    },
  });
  const samples: Record<DeepgramSide, number[]> = { raw: [], adapter: [], "adapter-no-replay": [] };
  try {
    const order: DeepgramSide[] = [];
    for (let run = 0; run < LATENCY_RUNS; run++) order.push(...(run % 2 === 0 ? SIDES : [...SIDES].reverse()));
    // One unmeasured warm-up per side.
    for (const side of [...SIDES, ...order]) {
      const attempt = server.connections.length;
      const open = await deepgramClientFactory(side);
      const client = open({ baseUrl: server.baseUrl, format: audio.format });
      for await (const chunk of paceRealtime(audio.pcm, audio.format, { speed: LATENCY_SPEED })) {
        const waiting = client.write(chunk);
        if (waiting) await waiting;
      }
      await client.finish();
      await client.close();
      const sentTimes = sent[attempt] ?? [];
      if (client.finalTimes.length !== sentTimes.length) throw new Error(`${side}: ${client.finalTimes.length} finals received, ${sentTimes.length} sent`);
      if (attempt >= SIDES.length) client.finalTimes.forEach((at, index) => samples[side].push(at - (sentTimes[index] as number)));
      progress(`latency: ${side} run done (${client.finalTimes.length} finals)`);
    }
  } finally {
    await server.close();
  }
  return samples;
}

/** 1, 10, 100 real-time streams per side, each side in its own child process; the server stays here. */
async function measureLoad(): Promise<Array<{ streams: number; side: DeepgramSide; report: WorkerReport }>> {
  const results: Array<{ streams: number; side: DeepgramSide; report: WorkerReport }> = [];
  for (const level of LEVELS) {
    for (let repetition = 0; repetition < level.repetitions; repetition++) {
      for (const side of repetition % 2 === 0 ? LOAD_SIDES : [...LOAD_SIDES].reverse()) {
        const server: DeepgramServer = await startDeepgramServer({ session: session(LOAD_FIXTURE) });
        try {
          const job: DeepgramWorkerJob = { side, baseUrl: server.baseUrl, fixtureId: LOAD_FIXTURE, streams: level.streams };
          const report = await runScriptInChild<WorkerReport>(new URL("./worker.js", import.meta.url), job, 600_000, `${side} x${level.streams}`);
          results.push({ streams: level.streams, side, report });
          progress(`load: ${side} x${level.streams}: cpu ${formatNumber(report.cpuMs)} ms, peak rss ${formatNumber(report.peakRssBytes / MB)} MB, ${report.finals} finals`);
        } finally {
          await server.close();
        }
      }
    }
  }
  return results;
}

async function main(): Promise<void> {
  const loadBefore = loadavg();
  const latency = await measureLatency();
  const load = await measureLoad();
  const rows: ComparisonRow[] = [];
  const raw = summarise(latency.raw);
  const adapter = summarise(latency.adapter);
  rows.push({
    goal: "latency",
    metric: `added latency to a final, ms (${LATENCY_FIXTURE} at ${LATENCY_SPEED}x)`,
    raw,
    adapter,
    comparison: `p99 ${adapter.p99 - raw.p99 >= 0 ? "+" : ""}${formatNumber(adapter.p99 - raw.p99, 3)} ms`,
    target: "p99 <= raw + 1 ms",
    verdict: adapter.p99 <= raw.p99 + 1 ? "met" : "MISSED",
  });
  const scalingRows: string[][] = [];
  const scalingHeader = [
    "streams",
    "raw CPU s / audio min",
    "adapter CPU s / audio min",
    "CPU ratio",
    "raw peak RSS / stream MB",
    "adapter peak RSS / stream MB",
    "RSS ratio",
    "verdict",
    "no-replay CPU ratio",
    "no-replay RSS ratio",
  ];
  for (const level of LEVELS) {
    const of = (side: DeepgramSide) => load.filter((entry) => entry.streams === level.streams && entry.side === side).map((entry) => entry.report);
    const cpu = (reports: WorkerReport[]) => median(reports.map((r) => r.cpuMs / 1000 / (r.audioSeconds / 60)));
    const rss = (reports: WorkerReport[]) => median(reports.map((r) => r.peakRssBytes / level.streams / MB));
    const cpuRatio = cpu(of("adapter")) / cpu(of("raw"));
    const rssRatio = rss(of("adapter")) / rss(of("raw"));
    scalingRows.push([
      String(level.streams),
      formatNumber(cpu(of("raw")), 3),
      formatNumber(cpu(of("adapter")), 3),
      `${formatNumber(cpuRatio)}x`,
      formatNumber(rss(of("raw")), 2),
      formatNumber(rss(of("adapter")), 2),
      `${formatNumber(rssRatio)}x`,
      cpuRatio <= 1.1 && rssRatio <= 1.1 ? "met" : "MISSED",
      `${formatNumber(cpu(of("adapter-no-replay")) / cpu(of("raw")))}x`,
      `${formatNumber(rss(of("adapter-no-replay")) / rss(of("raw")))}x`,
    ]);
  }
  const scaling: Table = { title: `Concurrent real-time streams (${LOAD_FIXTURE}), medians over repetitions`, header: scalingHeader, rows: scalingRows };
  process.stdout.write(`${renderTable(comparisonTable(rows, () => 3))}\n\n${renderTable(scaling)}\n`);
  mkdirSync(new URL("../../results/", import.meta.url), { recursive: true });
  writeFileSync(
    new URL("../../results/deepgram-latest.json", import.meta.url),
    `${JSON.stringify({ mode: QUICK ? "quick" : "full", cpus: cpus().length, loadBefore, loadAfter: loadavg(), latency, load, rows, scaling }, null, 1)}\n`,
  );
}

await main();
