import type { UserConsoleLog } from "vitest";
import type { Reporter, SerializedError, TestCase, TestModule } from "vitest/node";
import { PROGRESS_MARKER, type ProgressEvent } from "./progress-events.js";

/** The longest log or failure text sent in one progress line; the report has the full message. */
const MAX_TEXT = 2000;

const cut = (text: string): string => (text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text);

function emit(event: ProgressEvent): void {
  process.stdout.write(`${PROGRESS_MARKER}${JSON.stringify(event)}\n`);
}

/**
 * A vitest reporter for the `sttkit conformance` command's child run: it reports each scenario as
 * it starts and ends, what the adapter printed, and errors outside the scenarios, as marked JSON
 * lines on stdout that the runner turns into progress. The results themselves come from vitest's
 * JSON reporter, which runs alongside.
 */
export default class ConformanceProgressReporter implements Reporter {
  onTestModuleCollected(module: TestModule): void {
    const tests = [...module.children.allTests()];
    emit({ type: "collected", total: tests.length, toRun: tests.filter((test) => test.options.mode === "run" || test.options.mode === "only").length });
  }

  onTestCaseReady(test: TestCase): void {
    emit({ type: "start", title: test.name });
  }

  onTestCaseResult(test: TestCase): void {
    const result = test.result();
    const status = result.state === "passed" ? "passed" : result.state === "failed" ? "failed" : "skipped";
    const duration = test.diagnostic()?.duration;
    const failure = result.state === "failed" ? result.errors[0]?.message : undefined;
    emit({ type: "result", title: test.name, status, ...(duration !== undefined ? { durationMs: duration } : {}), ...(failure !== undefined ? { failure: cut(failure) } : {}) });
  }

  onUserConsoleLog(log: UserConsoleLog): void {
    emit({ type: "log", stream: log.type, content: cut(log.content) });
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError>): void {
    const describe = (error: SerializedError): string => cut(`${error.name ?? "Error"}: ${error.message}`);
    for (const error of unhandledErrors) emit({ type: "outside-error", where: "unhandled", message: describe(error) });
    // A failed hook fails its suite, not its tests: vitest's JSON report only shows them skipped.
    // (A test file that did not load is in the JSON report already, as the file's message.)
    for (const module of modules) {
      for (const suite of module.children.allSuites()) {
        for (const error of suite.errors()) emit({ type: "outside-error", where: `suite "${suite.name}"`, message: describe(error) });
      }
    }
  }
}
