import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SpeechToText } from "@sttkit/core";
import { startAzureReplayServer } from "../../../conformance/src/azure/server.js";
import type { RecordedAzureSession } from "../../../conformance/src/azure/session-format.js";
import { createAzureSpeechToText } from "./index.js";

const KEY = "lifecycle-test-key";
const BYTES_PER_MS = 32; // 16 kHz, 16-bit mono
/** The SDK paces audio at 2x real time after 5 s; tests send faster. */
const UNTHROTTLED = { "SPEECH-TransmitLengthBeforThrottleMs": "600000" };
const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));

function oneUtteranceSession(): RecordedAzureSession {
  const offset = 2_000_000;
  const duration = 6_000_000;
  return {
    format: "sttkit.recorded-session.v1",
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
    const dir = await mkdtemp(join(tmpdir(), "sttkit-azure-exit-"));
    try {
      await writeFile(join(dir, "hooks.mjs"), TYPESCRIPT_HOOKS);
      await writeFile(join(dir, "child.mjs"), CHILD_SCRIPT);
      const child = spawn(process.execPath, [join(dir, "child.mjs")], {
        env: {
          ...process.env,
          STTKIT_REPO: REPO_ROOT,
          STTKIT_CORE: join(REPO_ROOT, "core/src/index.ts"),
          STTKIT_ADAPTER: pathToFileURL(join(REPO_ROOT, "adapters/azure/src/index.ts")).href,
          AZURE_TEST_HOST: server.host,
          AZURE_TEST_KEY: KEY,
          AZURE_TEST_FINISH: finish,
        },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let output = "";
      let errors = "";
      child.stdout.on("data", (data: Buffer) => (output += data.toString()));
      child.stderr.on("data", (data: Buffer) => (errors += data.toString()));
      const exit = await new Promise<number | "hung">((resolve) => {
        // A process kept alive by a forgotten socket or timer never exits: that is the failure.
        const hung = setTimeout(() => {
          child.kill("SIGKILL");
          resolve("hung");
        }, 20_000);
        child.on("exit", (code) => {
          clearTimeout(hung);
          resolve(code ?? -1);
        });
      });
      expect({ exit, errors }).toEqual({ exit: 0, errors: "" });
      const reported = JSON.parse(output) as { text?: string; error?: string };
      expect(reported).toEqual(finish === "end" ? { text: "Open and close." } : { error: "aborted" });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 30_000);
});

/** Node 20 cannot run TypeScript: these loader hooks transpile the workspace sources for the child. */
const TYPESCRIPT_HOOKS = `
import { readFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
const ts = createRequire(process.env.STTKIT_REPO + "/package.json")("typescript");
export async function resolve(specifier, context, next) {
  if (specifier === "@sttkit/core") return { url: pathToFileURL(process.env.STTKIT_CORE).href, shortCircuit: true };
  if (context.parentURL?.endsWith(".ts") && /^(\\.\\.?\\/|\\/)/.test(specifier) && specifier.endsWith(".js")) {
    const candidate = new URL(specifier.replace(/\\.js$/, ".ts"), context.parentURL);
    if (existsSync(fileURLToPath(candidate))) return { url: candidate.href, shortCircuit: true };
  }
  return next(specifier, context);
}
export async function load(url, context, next) {
  if (!url.endsWith(".ts")) return next(url, context);
  const fileName = fileURLToPath(url);
  const { outputText } = ts.transpileModule(await readFile(fileName, "utf8"), {
    fileName,
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, experimentalDecorators: true, emitDecoratorMetadata: true },
  });
  return { format: "module", source: outputText, shortCircuit: true };
}
`;

/** Uses the adapter once and returns, without exiting explicitly: the event loop must drain. */
const CHILD_SCRIPT = `
import { register } from "node:module";
register(new URL("./hooks.mjs", import.meta.url));
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
