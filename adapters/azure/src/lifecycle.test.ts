import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SpeechToText } from "@sttkit/core";
import { startAzureReplayServer } from "../../../conformance/src/azure/server.js";
import { repositoryFileUrl, runTypeScriptChild } from "../../../conformance/src/testing/typescript-child.js";
import type { RecordedAzureSession } from "../../../conformance/src/azure/session-format.js";
import { createAzureSpeechToText } from "./index.js";

const KEY = "lifecycle-test-key";
const BYTES_PER_MS = 32; // 16 kHz, 16-bit mono
/** The SDK paces audio at 2x real time after 5 s; tests send faster. */
const UNTHROTTLED = { "SPEECH-TransmitLengthBeforThrottleMs": "600000" };

function oneUtteranceSession(): RecordedAzureSession {
  const offset = 2_000_000;
  const duration = 6_000_000;
  return {
    format: "sttkit.recorded-session.v2",
    audio: { file: "generated", sha256: "", durationMs: 0 },
    provider: "azure",
    fixture: "lifecycle",
    source: { kind: "synthesized", description: "one short utterance, built by the adapter's lifecycle test" },
    request: { language: "en-US", format: "simple" },
    turns: [
      {
        messages: [
          { path: "turn.start", atAudioMs: 0, body: { context: { serviceTag: "lifecycle" } } },
          { path: "speech.startDetected", atAudioMs: 200, body: { Offset: offset } },
          { path: "speech.phrase", atAudioMs: 900, body: { RecognitionStatus: "Success", DisplayText: "Open and close.", Offset: offset, Duration: duration } },
          { path: "speech.endDetected", atAudioMs: 900, body: { Offset: offset + duration } },
          { path: "turn.end", atAudioMs: 1_000 },
        ],
      },
    ],
  };
}

/** Resources a leak would leave behind, counted by type. */
function openResources(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const type of process.getActiveResourcesInfo()) counts.set(type, (counts.get(type) ?? 0) + 1);
  return counts;
}

const WATCHED_PROCESS_EVENTS = ["exit", "beforeExit", "uncaughtException", "unhandledRejection", "warning", "SIGINT", "SIGTERM"] as const;

function processListeners(): number[] {
  return WATCHED_PROCESS_EVENTS.map((event) => process.listenerCount(event));
}

async function settled(ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
}

describe("Azure adapter life cycle against the replay server", () => {
  let server: Awaited<ReturnType<typeof startAzureReplayServer>>;
  let stt: SpeechToText;

  beforeAll(async () => {
    server = await startAzureReplayServer({ session: oneUtteranceSession(), expectedKey: KEY });
    stt = createAzureSpeechToText({ host: server.host, apiKey: KEY, sdkProperties: UNTHROTTLED }, {})._unsafeUnwrap();
  });

  afterAll(async () => {
    await server?.close();
  });

  it("leaves no open handle and no listener behind after 1,000 open/close cycles", async () => {
    // A warm-up cycle loads the SDK's lazily created singletons, which are not leaks. It waits for
    // the connection: closing a stream aborts a connection still being set up.
    const warmUp = stt.stream()._unsafeUnwrap();
    warmUp.write(new Uint8Array(100 * BYTES_PER_MS));
    for (let waited = 0; server.connections.length === 0 && waited < 10_000; waited += 10) await settled(10);
    await warmUp.close();
    await settled(200);
    const resourcesBefore = openResources();
    const listenersBefore = processListeners();

    for (let cycle = 0; cycle < 1_000; cycle += 1) {
      const stream = stt.stream()._unsafeUnwrap();
      stream.write(new Uint8Array(20 * BYTES_PER_MS));
      await stream.close();
    }
    await settled(500);

    const grown = [...openResources()]
      .filter(([type, count]) => count > (resourcesBefore.get(type) ?? 0))
      .map(([type, count]) => `${type}: ${resourcesBefore.get(type) ?? 0} -> ${count}`);
    expect(grown).toEqual([]);
    expect(processListeners()).toEqual(listenersBefore);
    expect(server.connections.length).toBeGreaterThan(0);
  }, 120_000);

  it.each(["end", "close"] as const)("lets a process that used a stream (%s) exit by itself", async (finish) => {
    // A process kept alive by a forgotten socket or timer never exits: that is the failure.
    const run = await runTypeScriptChild(CHILD_SCRIPT, {
      env: { STTKIT_ADAPTER: repositoryFileUrl("adapters/azure/src/index.ts"), AZURE_TEST_HOST: server.host, AZURE_TEST_KEY: KEY, AZURE_TEST_FINISH: finish },
      limitMs: 20_000,
    });
    expect({ exit: run.exit, errors: run.stderr }).toEqual({ exit: 0, errors: "" });
    const reported = JSON.parse(run.stdout) as { text?: string; error?: string };
    expect(reported).toEqual(finish === "end" ? { text: "Open and close." } : { error: "aborted" });
  }, 30_000);
});

/** Uses the adapter once and returns, without exiting explicitly: the event loop must drain. */
const CHILD_SCRIPT = `
const { createAzureSpeechToText } = await import(process.env.STTKIT_ADAPTER);
const stt = createAzureSpeechToText({
  host: process.env.AZURE_TEST_HOST,
  apiKey: process.env.AZURE_TEST_KEY,
  sdkProperties: { "SPEECH-TransmitLengthBeforThrottleMs": "600000" },
}, {})._unsafeUnwrap();
const stream = stt.stream()._unsafeUnwrap();
const reading = (async () => { for await (const _event of stream) {} })();
for (let chunk = 0; chunk < 12; chunk += 1) stream.write(new Uint8Array(${100 * BYTES_PER_MS}));
if (process.env.AZURE_TEST_FINISH === "close") await new Promise((resolve) => setTimeout(resolve, 200));
const result = process.env.AZURE_TEST_FINISH === "end" ? await stream.end() : (await stream.close(), await stream.result());
await stream.close();
await reading;
console.log(JSON.stringify(result.isOk() ? { text: result.value.text } : { error: result.error.kind }));
`;
