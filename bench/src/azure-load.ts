import { startAzureReplayServer, type RecordedAzureSession } from "@sttkit/conformance/azure";
import { runScriptInChild } from "./child-run.js";
import { SIDES, type Side } from "./client.js";
import { loadBenchAudio } from "./fixtures.js";
import { loadOneTurnSession, phraseCount, repeatSession } from "./azure-sessions.js";
import type { WorkerJob, WorkerReport } from "./worker-protocol.js";

/** The SDK sends this much audio at full speed before slowing to real time; set past the audio so a whole file goes at full speed. */
function throttleFor(audioMs: number): number {
  return Math.max(600_000, Math.ceil(audioMs) + 60_000);
}

/** A child gets this long before it is presumed hung: generous, since the machine may be shared. */
function childTimeoutMs(audioSeconds: number, paced: boolean): number {
  return (paced ? audioSeconds * 3_000 : audioSeconds * 1_000) + 120_000;
}

const WORKER = new URL("./worker.js", import.meta.url);

/** The reports of repeated runs, per side. */
export type SideReports = Record<Side, WorkerReport[]>;

/**
 * Runs a job for both sides `repetitions` times, alternating which goes first, each against a
 * fresh replay server in this process (the server's own work stays out of the child's figures).
 */
async function bothSides(
  session: RecordedAzureSession,
  repetitions: number,
  jobFor: (side: Side, host: string) => WorkerJob,
  timeoutMs: number,
  expectedFinals: number,
  problems: string[],
): Promise<SideReports> {
  const reports: SideReports = { raw: [], adapter: [] };
  for (let repetition = 0; repetition < repetitions; repetition++) {
    for (const side of repetition % 2 === 0 ? SIDES : [...SIDES].reverse()) {
      const server = await startAzureReplayServer({ session });
      try {
        const job = jobFor(side, server.host);
        const report = await runScriptInChild<WorkerReport>(WORKER, job, timeoutMs, `${job.kind}/${job.side}`);
        if (report.finals !== expectedFinals) problems.push(`${jobFor(side, server.host).kind}/${side}: ${report.finals} finals, ${expectedFinals} expected`);
        reports[side].push(report);
      } finally {
        await server.close();
      }
    }
  }
  return reports;
}

/** Goal 1c and the streams axis of 3: `streams` concurrent real-time streams of one fixture. */
export async function measureConcurrentStreams(fixtureId: string, streams: number, repetitions: number, problems: string[]): Promise<SideReports> {
  const session = loadOneTurnSession(fixtureId);
  const audio = loadBenchAudio(fixtureId);
  return bothSides(
    session,
    repetitions,
    (side, host) => ({ kind: "streams", side, host, fixtureId, streams, throttleMs: 600_000 }),
    childTimeoutMs(audio.durationMs / 1000, true),
    streams * phraseCount(session),
    problems,
  );
}

/** Goal 1d and the length axis of 3: the fixture repeated into one long recording, sent at full speed. */
export async function measureWholeFile(fixtureId: string, repeats: number, repetitions: number, problems: string[]): Promise<SideReports> {
  const audio = loadBenchAudio(fixtureId);
  const session = repeatSession(loadOneTurnSession(fixtureId), audio.durationMs, repeats);
  const audioMs = audio.durationMs * repeats;
  return bothSides(
    session,
    repetitions,
    (side, host) => ({ kind: "file", side, host, fixtureId, repeats, throttleMs: throttleFor(audioMs) }),
    childTimeoutMs(audioMs / 1000, false),
    phraseCount(session),
    problems,
  );
}
