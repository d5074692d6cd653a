import type { IncomingMessage, ServerResponse } from "node:http";
import { deepgramErrorBody } from "./faults.js";
import type { ObservedDeepgramRequest } from "./observed.js";
import { queryProblems } from "./query-checks.js";
import type { RecordedDeepgramSession } from "./session-format.js";

/** The largest pre-recorded upload accepted, in bytes: beyond it the answer is 413, as the service's limit. */
export const MAX_UPLOAD_BYTES = 64 * 1024 * 1024;

/** What the pre-recorded endpoint needs from its server. */
export interface PrerecordedContext {
  readonly session: RecordedDeepgramSession;
  readonly violations: string[];
  /** Why the credentials were refused, or `undefined` when accepted. */
  readonly authorizationProblem: string | undefined;
  /** A status to answer with instead of the recording (a fault). */
  readonly restStatus: number | undefined;
}

function answer(response: ServerResponse, observed: ObservedDeepgramRequest, status: number, body: unknown): void {
  observed.status = status;
  const text = JSON.stringify(body);
  response.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...(status === 429 ? { "retry-after": "1" } : {}) });
  response.end(text);
}

/**
 * Serves `POST /v1/listen` as Deepgram's pre-recorded endpoint: checks the path, query and
 * credentials, reads the upload (bounded), and answers with the session's recorded `batch`
 * answer, or with Deepgram's error body for a fault or a refused request.
 */
export function answerPrerecorded(request: IncomingMessage, response: ServerResponse, observed: ObservedDeepgramRequest, context: PrerecordedContext): void {
  const where = `request #${observed.path}`;
  if (request.method !== "POST" || observed.path !== "/v1/listen") {
    context.violations.push(`${where}: ${request.method ?? "?"} ${observed.path} is not the pre-recorded endpoint`);
    request.resume();
    return answer(response, observed, 404, deepgramErrorBody(404));
  }
  const problems = queryProblems(observed.query, false);
  for (const problem of problems) context.violations.push(`pre-recorded request: ${problem}`);
  let tooLarge = false;
  request.on("data", (chunk: Buffer) => {
    observed.bodyBytes += chunk.byteLength;
    if (observed.bodyBytes > MAX_UPLOAD_BYTES && !tooLarge) {
      tooLarge = true;
      answer(response, observed, 413, deepgramErrorBody(413));
      request.destroy();
    }
  });
  request.on("error", () => undefined);
  request.on("end", () => {
    if (tooLarge) return;
    if (context.restStatus !== undefined) return answer(response, observed, context.restStatus, deepgramErrorBody(context.restStatus));
    if (context.authorizationProblem !== undefined) return answer(response, observed, 401, deepgramErrorBody(401));
    if (problems.length > 0 || observed.bodyBytes === 0) return answer(response, observed, 400, deepgramErrorBody(400));
    const batch = context.session.batch;
    if (!batch) return answer(response, observed, 500, deepgramErrorBody(500));
    answer(response, observed, batch.status, batch.body);
  });
}
