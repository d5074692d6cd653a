import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repositoryFileUrl, runTypeScriptChild } from "../../conformance/src/testing/typescript-child.js";

const audio = fileURLToPath(new URL("../../conformance/fixtures/audio/librivox-0880.wav", import.meta.url));

/** The CLI as bin/sttkit.js runs it: its exit status is set, never forced with process.exit(). */
const CLI_SCRIPT = `
const { main } = await import(process.env.STTKIT_CLI);
process.exitCode = await main(JSON.parse(process.env.STTKIT_ARGV), { stdout: process.stdout, stderr: process.stderr, env: process.env });
`;

let dir = "";
const sockets = new Set<Socket>();
/** An Azure endpoint that accepts TCP connections and never answers (neither the WebSocket upgrade nor a REST request). */
const silent = createServer((socket) => {
  sockets.add(socket);
  socket.resume();
  socket.on("close", () => sockets.delete(socket));
});

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "sttkit-cli-exit-"));
  await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => silent.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

/** Through a real-time stream (the upgrade never answered), and through the fast transcription API (the POST never answered). */
const WAYS = [
  ["realtime", { transcribeWith: "realtime", connectTimeoutMs: 1_000 }],
  ["fast", { transcribeWith: "fast", fastTranscription: { responseTimeoutMs: 1_000 } }],
] as const;

describe("sttkit transcribe against an endpoint that never answers", () => {
  it.each(WAYS)("%s: prints the timeout and exits by itself, its sockets released", async (way, settings) => {
    const address = silent.address();
    const port = typeof address === "object" && address ? address.port : 0;
    const config = join(dir, `stt-${way}.json`);
    await writeFile(config, JSON.stringify({ provider: "azure", azure: { host: `ws://127.0.0.1:${port}`, apiKey: "k", ...settings } }));
    const run = await runTypeScriptChild(CLI_SCRIPT, {
      env: { STTKIT_CLI: repositoryFileUrl("cli/src/main.ts"), STTKIT_ARGV: JSON.stringify(["transcribe", audio]), STT_CONFIG: config },
      // Generous: starting the child (transpiling the sources) is slow on a busy machine. Before
      // the fix the process never exited while the endpoint kept the connection open.
      limitMs: 60_000,
    });
    expect(run.stderr).toContain("timeout (azure)");
    expect(run.exit, `still running ${Math.round(run.endedAt - (run.firstStderrAt ?? run.endedAt))} ms after its error`).toBe(1);
  }, 90_000);
});
