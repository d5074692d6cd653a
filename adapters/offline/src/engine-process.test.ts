import { randomBytes } from "node:crypto";
import { chmod, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ErrorEvent, RecognitionStream, SpeechEvent } from "@sttkit/core";
import { createOfflineSpeechToText } from "./index.js";

const BYTES_PER_MS = 32; // 16 kHz, 16-bit mono
const ENGINE = "/usr/bin/pocketsphinx_continuous";

interface ProcessInfo {
  readonly pid: number;
  readonly comm: string;
  readonly state: string;
  readonly ppid: number;
  readonly pgid: number;
}

/** Every process on the machine, zombies included, from /proc. */
async function processes(): Promise<ProcessInfo[]> {
  const found: ProcessInfo[] = [];
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = await readFile(`/proc/${entry}/stat`, "utf8");
      // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses.
      const close = stat.lastIndexOf(")");
      const [state, ppid, pgid] = stat.slice(close + 2).split(" ");
      found.push({ pid: Number(entry), comm: stat.slice(stat.indexOf("(") + 1, close), state: state ?? "", ppid: Number(ppid), pgid: Number(pgid) });
    } catch {
      // The process ended while being listed.
    }
  }
  return found;
}

/** Waits, up to a generous limit, for `condition`; the limit only turns a hang into a failure. */
async function eventually<T>(probe: () => Promise<T | undefined> | T | undefined, limitMs = 15_000): Promise<T | undefined> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined || Date.now() >= deadline) return value;
    await sleep(25);
  }
}

/**
 * Watches the engine's process group until it is gone. Besides what is left at the end, it
 * reports any member seen orphaned (its parent gone, so adopted by another process): whoever
 * started a process must reap it, since an adoptive reaper may be slow or missing (zombies).
 */
async function watchGroupUntilGone(pgid: number, limitMs = 15_000): Promise<{ readonly orphaned: string[]; readonly left: ProcessInfo[] }> {
  const orphaned = new Set<string>();
  const deadline = Date.now() + limitMs;
  for (;;) {
    const group = (await processes()).filter((info) => info.pgid === pgid);
    const members = new Set(group.map((info) => info.pid));
    // The group leader's parent is this process; every other member's parent is in the group.
    for (const info of group) if (info.pid !== pgid && !members.has(info.ppid)) orphaned.add(`${info.comm} (pid ${info.pid}, parent ${info.ppid})`);
    if (group.length === 0 || Date.now() >= deadline) return { orphaned: [...orphaned], left: group };
    await sleep(10);
  }
}

let dir = "";
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "sttkit-engine-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The real engine under a name no other process has, so the test can find it (and its group) in /proc. */
async function uniqueEngine(): Promise<{ readonly path: string; readonly name: string }> {
  const name = `eng-${randomBytes(4).toString("hex")}`;
  const path = join(dir, name);
  await symlink(ENGINE, path);
  return { path, name };
}

/** Writes silence in 100 ms chunks until `until` says stop; returns the write results. */
async function feed(stream: RecognitionStream, until: () => boolean, limit = 600): Promise<boolean[]> {
  const results: boolean[] = [];
  for (let chunk = 0; chunk < limit && !until(); chunk += 1) {
    const written = stream.write(new Uint8Array(100 * BYTES_PER_MS));
    results.push(written.isOk());
    if (written.isOk() && !written.value) await stream.drained();
    await sleep(20);
  }
  return results;
}

function collect(stream: RecognitionStream): { readonly events: SpeechEvent[]; readonly done: Promise<void> } {
  const events: SpeechEvent[] = [];
  const done = (async () => {
    for await (const event of stream) events.push(event);
  })();
  return { events, done };
}

const fatalOf = (events: readonly SpeechEvent[]): ErrorEvent | undefined =>
  events.find((event): event is ErrorEvent => event.type === "error" && event.fatal);

describe("the offline engine's process", () => {
  it("killed mid-stream: a fatal error at once with its exit status, write() fails, and its process group is reaped", async () => {
    const engine = await uniqueEngine();
    const stream = createOfflineSpeechToText({ binary: engine.path })._unsafeUnwrap().stream()._unsafeUnwrap();
    const { events, done } = collect(stream);
    let running: ProcessInfo | undefined;
    const feeding = feed(stream, () => fatalOf(events) !== undefined);
    running = await eventually(async () => (await processes()).find((info) => info.comm === engine.name));
    expect(running, "the engine never started").toBeDefined();
    process.kill(running!.pid, "SIGKILL");

    // The stream is still being written to: the failure must come without waiting for end().
    const fatal = await eventually(() => fatalOf(events));
    expect(fatal?.error).toMatchObject({ kind: "provider", provider: "offline" });
    expect(fatal?.error.message).toMatch(/SIGKILL/);
    expect(stream.write(new Uint8Array(100 * BYTES_PER_MS)).isErr()).toBe(true);
    await feeding;
    expect((await stream.end())._unsafeUnwrapErr()).toBe(fatal?.error);
    const watching = watchGroupUntilGone(running!.pgid);
    await stream.close();
    await done;
    expect(await watching).toEqual({ orphaned: [], left: [] });
  }, 60_000);

  it("closed mid-stream: the engine, its cat and their shell are all reaped", async () => {
    const engine = await uniqueEngine();
    const stream = createOfflineSpeechToText({ binary: engine.path })._unsafeUnwrap().stream()._unsafeUnwrap();
    const { done } = collect(stream);
    let running: ProcessInfo | undefined;
    const feeding = feed(stream, () => running !== undefined);
    running = await eventually(async () => (await processes()).find((info) => info.comm === engine.name));
    await feeding;
    expect(running, "the engine never started").toBeDefined();
    // Closed while the engine waits for audio (its model loaded), as a live stream mostly is.
    await eventually(async () => ((await processes()).find((info) => info.pid === running!.pid)?.state === "S" ? true : undefined));
    const watching = watchGroupUntilGone(running!.pgid);
    await stream.close();
    await done;
    expect(await watching).toEqual({ orphaned: [], left: [] });
  }, 60_000);

  it("closed while the engine takes its time to stop: the shell waits and reaps it, no zombie", async () => {
    // A stand-in engine that, like a decoder finishing its work, ignores SIGTERM and exits a little
    // after its input ends: whoever started it must still be there to reap it.
    const name = `slow-${randomBytes(4).toString("hex")}`;
    const path = join(dir, name);
    await writeFile(path, ["#!/bin/sh", "trap '' TERM", "cat >/dev/null", "sleep 0.3", "exit 0"].join("\n"));
    await chmod(path, 0o755);
    const stream = createOfflineSpeechToText({ binary: path })._unsafeUnwrap().stream()._unsafeUnwrap();
    const { done } = collect(stream);
    let running: ProcessInfo | undefined;
    const feeding = feed(stream, () => running !== undefined);
    running = await eventually(async () => (await processes()).find((info) => info.comm === name));
    await feeding;
    expect(running, "the engine never started").toBeDefined();
    const watching = watchGroupUntilGone(running!.pgid);
    await stream.close();
    await done;
    expect(await watching).toEqual({ orphaned: [], left: [] });
  }, 60_000);

  it("failing on its own: the error names its exit status and its own last message, kept from its stderr", async () => {
    // A stand-in engine that reads a second of audio, complains as PocketSphinx does, and exits.
    const path = join(dir, `fake-${randomBytes(4).toString("hex")}`);
    await writeFile(
      path,
      [
        "#!/bin/sh",
        "head -c 32000 >/dev/null",
        'echo "INFO: fake_engine.c(1): reading audio" >&2',
        'echo "ERROR: \\"acmod.c\\", line 78: the acoustic model broke" >&2',
        'echo "INFO: fake_engine.c(2): giving up" >&2',
        "exit 3",
      ].join("\n"),
    );
    await chmod(path, 0o755);
    const stream = createOfflineSpeechToText({ binary: path })._unsafeUnwrap().stream()._unsafeUnwrap();
    const { events, done } = collect(stream);
    // Fed until the failure shows (or far longer than the engine's second of audio: 1,000 chunks, 20 s at least).
    const results = await feed(stream, () => fatalOf(events) !== undefined, 1_000);
    const fatal = await eventually(() => fatalOf(events));
    expect(fatal?.error.message).toMatch(/status 3/);
    expect(fatal?.error.message).toContain('ERROR: "acmod.c", line 78: the acoustic model broke');
    expect(fatal?.error.detail).toContain("giving up");
    // The failure arrived while audio was still being written, not at end().
    expect(results.length).toBeLessThan(1_000);
    expect((await stream.end()).isErr()).toBe(true);
    await stream.close();
    await done;
  }, 60_000);
});
