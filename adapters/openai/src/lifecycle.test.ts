import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repositoryFileUrl, runTypeScriptChild } from "../../../conformance/src/testing/typescript-child.js";
import { startLocalOpenAI, TEST_KEY, type LocalOpenAI } from "./local-server.test-support.js";

const BYTES_PER_MS = 32; // 16 kHz, 16-bit mono

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

/** Waits until the resources are back to `before` (sockets close a few turns later), at most `withinMs`. */
async function grownResources(before: Map<string, number>, withinMs: number): Promise<string[]> {
  const deadline = performance.now() + withinMs;
  for (;;) {
    const grown = [...openResources()].filter(([type, count]) => count > (before.get(type) ?? 0)).map(([type, count]) => `${type}: ${before.get(type) ?? 0} -> ${count}`);
    if (grown.length === 0 || performance.now() > deadline) return grown;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("OpenAI adapter life cycle", () => {
  let local: LocalOpenAI;

  beforeAll(async () => {
    local = await startLocalOpenAI("librivox-0880");
  });
  afterAll(async () => {
    await local?.server.close();
  });

  it("leaves no open handle and no listener behind after 200 open/close cycles", async () => {
    const stt = local.adapter();
    const warmUp = stt.stream()._unsafeUnwrap();
    warmUp.write(new Uint8Array(100 * BYTES_PER_MS));
    await warmUp.close();
    await grownResources(new Map(), 0);
    const before = openResources();
    const listenersBefore = processListeners();
    for (let cycle = 0; cycle < 200; cycle += 1) {
      const stream = stt.stream()._unsafeUnwrap();
      stream.write(new Uint8Array(20 * BYTES_PER_MS));
      // Close at every stage of the connection: before, during and after the handshake.
      if (cycle % 3 === 1) await new Promise((resolve) => setImmediate(resolve));
      if (cycle % 3 === 2) await new Promise((resolve) => setTimeout(resolve, 20));
      await stream.close();
    }
    expect(await grownResources(before, 5000)).toEqual([]);
    expect(processListeners()).toEqual(listenersBefore);
    expect(local.server.connections.length).toBeGreaterThan(0);
  }, 120_000);

  it.each(["stream-end", "stream-close", "transcribe"] as const)("lets a process that used the adapter (%s) exit by itself", async (use) => {
    const run = await runTypeScriptChild(CHILD_SCRIPT, {
      env: {
        STTKIT_ADAPTER: repositoryFileUrl("adapters/openai/src/index.ts"),
        OPENAI_TEST_BASE_URL: local.server.baseURL,
        OPENAI_TEST_CA: local.server.ca,
        OPENAI_TEST_KEY: TEST_KEY,
        OPENAI_TEST_USE: use,
        OPENAI_TEST_AUDIO: local.fixture.audioPath,
      },
      // A process kept alive by a forgotten socket or timer never exits: that is the failure.
      limitMs: 25_000,
    });
    expect({ exit: run.exit, errors: run.stderr }).toEqual({ exit: 0, errors: "" });
    const reported = JSON.parse(run.stdout) as { text?: string; error?: string };
    if (use === "stream-close") expect(reported).toEqual({ error: "aborted" });
    else expect(reported.text).toMatch(/young man/i);
  }, 40_000);
});

/** Uses the adapter once and returns, without exiting explicitly: the event loop must drain. */
const CHILD_SCRIPT = `
import { readFileSync } from "node:fs";
const { createOpenAISpeechToText } = await import(process.env.STTKIT_ADAPTER);
const stt = createOpenAISpeechToText({
  apiKey: process.env.OPENAI_TEST_KEY,
  baseURL: process.env.OPENAI_TEST_BASE_URL,
  ca: process.env.OPENAI_TEST_CA,
}, {})._unsafeUnwrap();
let result;
if (process.env.OPENAI_TEST_USE === "transcribe") {
  result = await stt.transcribe({ path: process.env.OPENAI_TEST_AUDIO });
} else {
  const wav = readFileSync(process.env.OPENAI_TEST_AUDIO);
  const stream = stt.stream()._unsafeUnwrap();
  const reading = (async () => { for await (const _event of stream) {} })();
  stream.write(new Uint8Array(wav.buffer, wav.byteOffset + 44, wav.byteLength - 44));
  if (process.env.OPENAI_TEST_USE === "stream-close") await new Promise((resolve) => setTimeout(resolve, 200));
  result = process.env.OPENAI_TEST_USE === "stream-end" ? await stream.end() : (await stream.close(), await stream.result());
  await stream.close();
  await reading;
}
console.log(JSON.stringify(result.isOk() ? { text: result.value.text } : { error: result.error.kind }));
`;
