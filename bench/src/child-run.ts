import { fork } from "node:child_process";

/** What a child process sends back: its report, or why it failed. */
export type ChildMessage<Report> = { readonly ok: true; readonly report: Report } | { readonly ok: false; readonly error: string };

/**
 * Runs `script` in a fresh child process (with `--expose-gc`, so it can take a clean memory
 * baseline), hands it `job` as its one argument, and returns the report it sends back. A child
 * that outlives `timeoutMs` is killed. `label` names the job in errors.
 */
export function runScriptInChild<Report>(script: URL, job: unknown, timeoutMs: number, label: string): Promise<Report> {
  return new Promise((resolve, reject) => {
    const child = fork(script, [JSON.stringify(job)], { execArgv: ["--expose-gc", ...profileFlags()], stdio: ["ignore", "inherit", "inherit", "ipc"] });
    let answer: ChildMessage<Report> | undefined;
    const killer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("message", (message: ChildMessage<Report>) => {
      answer = message;
    });
    child.on("error", (error) => {
      clearTimeout(killer);
      reject(error);
    });
    child.on("exit", (code, signal) => {
      clearTimeout(killer);
      if (answer?.ok) resolve(answer.report);
      else if (answer) reject(new Error(`${label} child failed: ${answer.error}`));
      else reject(new Error(`${label} child exited (${signal ?? code}) without a report${signal === "SIGKILL" ? ` after ${timeoutMs} ms` : ""}`));
    });
  });
}

/**
 * `BENCH_PROFILE_DIR=DIR` profiles every child: a CPU profile (`--cpu-prof`) per child in DIR, to
 * find where a side's time goes; `BENCH_PROFILE_INTERVAL_US=N` samples every N µs instead of
 * every 1000 (a side's few hundred ms of CPU need finer samples to compare functions). Off by
 * default: profiling slows both sides.
 */
function profileFlags(): string[] {
  const directory = process.env["BENCH_PROFILE_DIR"];
  if (!directory) return [];
  const interval = Number(process.env["BENCH_PROFILE_INTERVAL_US"]);
  return ["--cpu-prof", `--cpu-prof-dir=${directory}`, ...(Number.isInteger(interval) && interval > 0 ? [`--cpu-prof-interval=${interval}`] : [])];
}

/** Sends the child's outcome to the parent, then disconnects so the child exits by itself. */
export function replyToParent<Report>(outcome: Promise<Report>): void {
  outcome.then(
    (report) => send({ ok: true, report }),
    (error: unknown) => send({ ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
  );
}

function send<Report>(message: ChildMessage<Report>): void {
  process.send?.(message, () => process.disconnect());
}
