import { fork } from "node:child_process";
import type { WorkerJob, WorkerMessage, WorkerReport } from "./worker-protocol.js";

const WORKER = new URL("./worker.js", import.meta.url);

/**
 * Runs one {@link WorkerJob} in a fresh child process (with `--expose-gc`, so it can take a clean
 * memory baseline) and returns its report. A child that outlives `timeoutMs` is killed.
 */
export function runInChild(job: WorkerJob, timeoutMs: number): Promise<WorkerReport> {
  return new Promise((resolve, reject) => {
    const child = fork(WORKER, [JSON.stringify(job)], { execArgv: ["--expose-gc"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
    let answer: WorkerMessage | undefined;
    const killer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("message", (message: WorkerMessage) => {
      answer = message;
    });
    child.on("error", (error) => {
      clearTimeout(killer);
      reject(error);
    });
    child.on("exit", (code, signal) => {
      clearTimeout(killer);
      if (answer?.ok) resolve(answer.report);
      else if (answer) reject(new Error(`${job.kind}/${job.side} child failed: ${answer.error}`));
      else reject(new Error(`${job.kind}/${job.side} child exited (${signal ?? code}) without a report${signal === "SIGKILL" ? ` after ${timeoutMs} ms` : ""}`));
    });
  });
}
