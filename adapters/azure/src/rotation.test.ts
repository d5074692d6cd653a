import { describe, expect, it } from "vitest";
import type { SpeechToText } from "@sttkit/core";
import { readWavFile } from "@sttkit/core";
import { loadFixtures } from "@sttkit/conformance";
import { startAzureReplayServer, type AzureReplayServer } from "../../../conformance/src/azure/server.js";
import { expectedAzureFinals, loadAzureSession } from "../../../conformance/src/azure/session-format.js";
import type { AzureFaults } from "../../../conformance/src/azure/faults.js";
import type { ObservedConnection } from "../../../conformance/src/azure/observed.js";
import { createAzureSpeechToText, type AzureConfig } from "./index.js";
import { validateAzureConfig } from "./validate-config.js";
import { checkHandlesAfterEach, errorsOf, expectedSegments, runStream, segmentsOf, sessionOf } from "./synthetic-session.test-support.js";

const KEY = "rotation-test-key";
const UNTHROTTLED = { "SPEECH-TransmitLengthBeforThrottleMs": "600000" };

const cleanups: Array<() => Promise<void>> = [];
// Rotated-out recognizers end in the background: none may outlive the stream.
checkHandlesAfterEach(cleanups);

async function serve(count: number, faults?: AzureFaults, retainAudioMs?: number): Promise<AzureReplayServer> {
  const server = await startAzureReplayServer({ session: sessionOf(count), expectedKey: KEY, ...(faults ? { faults } : {}), ...(retainAudioMs ? { retainAudioMs } : {}) });
  cleanups.push(() => server.close());
  return server;
}

function adapter(server: AzureReplayServer, config: AzureConfig): SpeechToText {
  return createAzureSpeechToText({ host: server.host, apiKey: KEY, sdkProperties: UNTHROTTLED, reconnect: { maxAttempts: 0 }, ...config }, {})._unsafeUnwrap();
}

/** The connections that carried recognition (refused or empty ones aside), in order. */
function recognizing(server: AzureReplayServer): ObservedConnection[] {
  return server.connections.filter((connection) => connection.turns.length > 0);
}

/**
 * What tells a rotation apart in the double's record: every connection after the first has a new
 * X-ConnectionId, continues the one before it as "rotated" (that one was healthy: no fault ended
 * it), starts exactly at the end of a phrase delivered on it (a final boundary), and that one
 * ended its turn cleanly: it sent the end of the audio and was not dropped.
 */
function expectRotations(connections: readonly ObservedConnection[], finalEnds: readonly number[]): void {
  expect(new Set(connections.map((connection) => connection.connectionId)).size).toBe(connections.length);
  connections.slice(1).forEach((connection, index) => {
    const previous = connections[index] as ObservedConnection;
    expect(connection.continues).toMatchObject({ attempt: previous.attempt, kind: "rotated", atFinalBoundary: true });
    expect(finalEnds.some((endMs) => Math.abs(endMs - (connection.continues?.atMs ?? -1)) <= 1)).toBe(true);
    expect(connection.turns[0]?.startMs).toBe(connection.continues?.atMs);
    expect(previous.turns.at(-1)?.endOfAudio).toBe(true);
    expect(previous.closed).not.toBe("dropped");
    expect(previous.faulted).toBeUndefined();
  });
}

describe("recognizer rotation at final boundaries", () => {
  it("every 2 s of audio: a new recognizer at a final, every final once, in order, on the stream's time line", async () => {
    const server = await serve(8);
    const { result, events } = await runStream(adapter(server, { rotateRecognizerAfterSeconds: 2 }), 8_000);
    const expected = expectedSegments(8);
    expect(segmentsOf(events)).toEqual(expected);
    expect(result._unsafeUnwrap().segments.map(({ text, startMs, endMs }) => ({ text, startMs, endMs }))).toEqual(expected);
    expect(errorsOf(events)).toEqual([]);
    // Speech boundaries once each, as without rotation.
    expect(events.filter((event) => event.type === "speech-started")).toHaveLength(8);
    expect(events.filter((event) => event.type === "speech-ended")).toHaveLength(8);
    const connections = recognizing(server);
    expect(connections.length).toBeGreaterThanOrEqual(3);
    expectRotations(connections, expected.map((segment) => segment.endMs));
    expect(server.violations).toEqual([]);
  });

  it("the double's audio check: each rotated connection's audio is the stream's from the boundary on, none lost", async () => {
    const server = await serve(6);
    await runStream(adapter(server, { rotateRecognizerAfterSeconds: 1.5 }), 6_000);
    const connections = recognizing(server);
    expect(connections.length).toBeGreaterThanOrEqual(2);
    // The last connection received the audio from its start to the very end of the stream.
    const last = connections.at(-1) as ObservedConnection;
    const lastBytes = server.pcmOf(last).byteLength;
    expect(last.turns[0]!.startMs + lastBytes / 32).toBe(6_000);
  });

  it("is not done with rotation turned off (0), nor on a short stream with the default 10 minutes", async () => {
    for (const config of [{ rotateRecognizerAfterSeconds: 0 }, {}]) {
      const server = await serve(4);
      const { events } = await runStream(adapter(server, config), 4_000);
      expect(segmentsOf(events)).toEqual(expectedSegments(4));
      expect(recognizing(server)).toHaveLength(1);
    }
  });

  it("the double tells a resumed stream (after a failure) from a rotated one", async () => {
    const server = await serve(5, { closeAfterPhrases: { phrases: 2, code: 4000 }, connections: 1 });
    const { events } = await runStream(adapter(server, { reconnect: { maxAttempts: 2, backoffMs: 10 }, rotateRecognizerAfterSeconds: 0 }), 5_000);
    expect(segmentsOf(events)).toEqual(expectedSegments(5));
    const continued = recognizing(server).filter((connection) => connection.continues !== undefined);
    expect(continued.length).toBeGreaterThanOrEqual(1);
    expect(continued.every((connection) => connection.continues?.kind === "resumed")).toBe(true);
  });

  it("a double keeping only the last seconds of each turn's audio still tells rotations and resumes apart", async () => {
    // What lets the soak run 100 streams for half an hour: the double holds 2 s of audio per turn, not all of it.
    const rotated = await serve(8, undefined, 2_000);
    const { events } = await runStream(adapter(rotated, { rotateRecognizerAfterSeconds: 3 }), 8_000);
    expect(segmentsOf(events)).toEqual(expectedSegments(8));
    const connections = recognizing(rotated);
    expect(connections.length).toBeGreaterThanOrEqual(2);
    expect(connections.some((connection) => (connection.turns[0]?.pcmDroppedBytes ?? 0) > 0)).toBe(true);
    expectRotations(connections, expectedSegments(8).map((segment) => segment.endMs));

    const resumed = await serve(6, { closeAfterPhrases: { phrases: 4, code: 4000 }, connections: 1 }, 2_000);
    const after = await runStream(adapter(resumed, { reconnect: { maxAttempts: 2, backoffMs: 10 }, rotateRecognizerAfterSeconds: 0 }), 6_000);
    expect(segmentsOf(after.events)).toEqual(expectedSegments(6));
    expect(recognizing(resumed)[0]?.turns[0]?.pcmDroppedBytes).toBeGreaterThan(0);
    const continued = recognizing(resumed).filter((connection) => connection.continues !== undefined);
    expect(continued.length).toBeGreaterThanOrEqual(1);
    expect(continued.every((connection) => connection.continues?.kind === "resumed")).toBe(true);
  });

  it("on every recorded fixture (real speech), rotating every 2 s gives exactly the recorded finals", async () => {
    const fixtures = loadFixtures()._unsafeUnwrap().fixtures;
    const rotatedIn = new Set<string>();
    for (const fixture of fixtures) {
      const session = loadAzureSession(fixture.id);
      if (session.isErr()) continue;
      const server = await startAzureReplayServer({ session: session.value, expectedKey: KEY });
      cleanups.push(() => server.close());
      const audio = (await readWavFile(fixture.audioPath))._unsafeUnwrap();
      // Streamed as a live source would be: finals arrive while audio is still being written.
      const { result, events } = await runStream(adapter(server, { rotateRecognizerAfterSeconds: 2 }), 0, { audio });
      const want = expectedAzureFinals(session.value).map(({ text, startMs, endMs }) => ({ text, startMs, endMs }));
      expect(segmentsOf(events), fixture.id).toEqual(want);
      expect(result._unsafeUnwrap().segments, fixture.id).toHaveLength(want.length);
      const connections = recognizing(server);
      expectRotations(connections, want.map((segment) => segment.endMs));
      if (connections.length > 1) rotatedIn.add(fixture.id);
    }
    // The long ones have finals well before their end: they must have rotated.
    expect(rotatedIn).toContain("librivox-multi");
    expect(rotatedIn).toContain("espeak-long-60s");
  });

  it("rejects a negative interval", () => {
    expect(validateAzureConfig({ host: "ws://127.0.0.1:1", rotateRecognizerAfterSeconds: -1 }, {})._unsafeUnwrapErr()).toMatchObject({
      kind: "invalid-argument",
      argument: "azure.rotateRecognizerAfterSeconds",
    });
  });
});
