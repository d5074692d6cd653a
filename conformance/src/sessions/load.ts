import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { err, ok, type Result } from "neverthrow";
import type { SttError } from "@sttkit/core";
import { defaultFixturesDirectory, invalidFixtures, SAFE_NAME, type ResolvedFixture } from "../manifest/load.js";
import { RECORDED_SESSION_FORMAT, type RecordedAudioReference, type RecordedSession } from "./envelope.js";

/** The largest session file read: the longest shipped one is well under a megabyte. */
export const MAX_SESSION_FILE_BYTES = 32 * 1024 * 1024;

/** The path of a provider's recorded session for a fixture, `sessions/<provider>/<fixture id>.json`. */
export function recordedSessionPath(fixtureId: string, provider: string, directory: string = defaultFixturesDirectory()): string {
  return join(resolve(directory), "sessions", provider, `${fixtureId}.json`);
}

/** What a session records of the fixture's audio: its file, SHA-256 and duration. */
export function audioReferenceOf(fixture: ResolvedFixture, directory: string = defaultFixturesDirectory()): RecordedAudioReference {
  return {
    file: relative(resolve(directory), fixture.audioPath),
    sha256: createHash("sha256").update(readFileSync(fixture.audioPath)).digest("hex"),
    durationMs: fixture.durationMs,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Checks the envelope (not the vendor's messages, which each vendor's replay checks); the error is the problem. */
export function checkRecordedSession(value: unknown, provider: string, fixtureId: string): Result<RecordedSession, string> {
  if (!isRecord(value)) return err("not a JSON object");
  if (value["format"] !== RECORDED_SESSION_FORMAT) return err(`format must be "${RECORDED_SESSION_FORMAT}", not ${JSON.stringify(value["format"])}`);
  if (value["provider"] !== provider) return err(`provider must be "${provider}", not ${JSON.stringify(value["provider"])}`);
  if (value["fixture"] !== fixtureId) return err(`fixture must be "${fixtureId}", not ${JSON.stringify(value["fixture"])}`);
  const source = value["source"];
  if (!isRecord(source) || (source["kind"] !== "service" && source["kind"] !== "synthesized") || typeof source["description"] !== "string") {
    return err('source must be { kind: "service" | "synthesized", description }');
  }
  const audio = value["audio"];
  if (!isRecord(audio) || typeof audio["file"] !== "string" || typeof audio["sha256"] !== "string" || typeof audio["durationMs"] !== "number") {
    return err("audio must be { file, sha256, durationMs }");
  }
  if (!isRecord(value["request"])) return err("request must be an object");
  const turns = value["turns"];
  if (!Array.isArray(turns)) return err("turns must be an array");
  for (const [index, turn] of turns.entries()) {
    const messages = isRecord(turn) ? turn["messages"] : undefined;
    if (!Array.isArray(messages)) return err(`turn #${index} must have messages`);
    const bad = messages.findIndex((message) => !isRecord(message) || typeof message["atAudioMs"] !== "number" || !Number.isFinite(message["atAudioMs"]));
    if (bad >= 0) return err(`turn #${index}, message #${bad}: every message needs a finite atAudioMs`);
  }
  const batch = value["batch"];
  if (batch !== undefined && (!isRecord(batch) || typeof batch["status"] !== "number")) return err("batch must be { status, body }");
  return ok(value as unknown as RecordedSession);
}

/**
 * Reads and checks a recorded provider session, `sessions/<provider>/<fixtureId>.json` under
 * `directory` (default: the package's fixtures). The envelope is checked here; the vendor's
 * messages inside are the vendor double's to check. A missing, oversized, unparsable or
 * malformed file, or an id or provider that is not a plain file name, is an `invalid-argument`
 * error on `fixtures`.
 */
export function loadRecordedSession(fixtureId: string, provider: string, directory: string = defaultFixturesDirectory()): Result<RecordedSession, SttError> {
  if (!SAFE_NAME.test(fixtureId) || !SAFE_NAME.test(provider)) {
    return invalidFixtures(`Recorded sessions are named by fixture id and provider (lower-case letters, digits, dashes); got ${JSON.stringify(provider)}/${JSON.stringify(fixtureId)}.`);
  }
  const path = recordedSessionPath(fixtureId, provider, directory);
  let text: string;
  try {
    const size = statSync(path).size;
    if (size > MAX_SESSION_FILE_BYTES) return invalidFixtures(`The recorded ${provider} session ${path} has ${size} bytes, more than the ${MAX_SESSION_FILE_BYTES} a session may have.`);
    text = readFileSync(path, "utf8");
  } catch (cause) {
    return invalidFixtures(`There is no recorded ${provider} session for fixture ${fixtureId} (${path}).`, cause);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    return invalidFixtures(`The recorded ${provider} session ${path} is not valid JSON.`, cause);
  }
  return checkRecordedSession(parsed, provider, fixtureId).orElse((problem) => invalidFixtures(`The recorded ${provider} session ${path}: ${problem}.`));
}
