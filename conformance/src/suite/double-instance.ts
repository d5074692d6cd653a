import type { SpeechToText, SttError } from "@sttkit/core";
import { err, ok, type Result } from "neverthrow";
import type { ConformanceInstance } from "./target.js";

/** A vendor's running test double, as a conformance target holds it: what it saw wrong, and how to stop it. */
export interface LocalServiceDouble {
  /** Protocol problems in what the adapter sent; a conforming adapter leaves this empty. */
  readonly violations: readonly string[];
  /** Stops the double and releases its sockets. */
  close(): Promise<void>;
}

/**
 * The instance a target's `create()` returns when a local test double stands in for the service:
 * the adapter built against it (passed through `wrap`, where a mutant suite breaks it), or the
 * error building it gave (the double is then closed). Disposing it closes the double, and fails
 * the scenario when the double saw a protocol violation.
 */
export async function instanceOnDouble(
  double: LocalServiceDouble,
  stt: Result<SpeechToText, SttError>,
  wrap: (stt: SpeechToText) => SpeechToText = (adapter) => adapter,
): Promise<Result<ConformanceInstance, SttError>> {
  if (stt.isErr()) {
    await double.close();
    return err(stt.error);
  }
  return ok({
    stt: wrap(stt.value),
    async dispose() {
      const problems = double.violations;
      await double.close();
      if (problems.length > 0) throw new Error(`protocol violations: ${problems.join("; ")}`);
    },
  });
}
