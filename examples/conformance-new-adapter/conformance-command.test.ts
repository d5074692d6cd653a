import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { checkConformanceReport, type ConformanceReport } from "@sttkit/conformance/cli";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodePng, findChromium, renderInChromium } from "../../conformance/src/testing/chromium.js";

const REPO = fileURLToPath(new URL("../..", import.meta.url));
const EXAMPLE = "examples/conformance-new-adapter/conformance-target.ts";
const BROKEN = "examples/conformance-new-adapter/broken-conformance-target.ts";
/** Two quick scenarios: the declaration, and one the broken copy fails. The whole suite is `conformance-new-adapter.test.ts`'s. */
const FILTER = "declares exactly|language option";
const LANGUAGE_SCENARIO = "the language option is honoured, and an unknown language is a typed error";
/** The most of the command's output kept (a run prints a few KB). */
const MAX_OUTPUT = 1024 * 1024;

interface CommandRun {
  readonly code: number | "killed";
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the `sttkit` command as a user would (`bin/sttkit.js`, from the build), in the repository.
 * Past `limitMs` it gets SIGTERM, on which it stops its own vitest, then SIGKILL.
 */
function sttkit(args: readonly string[], limitMs = 240_000): Promise<CommandRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(REPO, "cli/bin/sttkit.js"), ...args], { cwd: REPO, env: { ...process.env, NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout = (stdout + chunk).slice(0, MAX_OUTPUT)));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr = (stderr + chunk).slice(0, MAX_OUTPUT)));
    let killed = false;
    let hardKill: NodeJS.Timeout | undefined;
    const limit = setTimeout(() => {
      killed = true;
      child.kill("SIGTERM");
      hardKill = setTimeout(() => child.kill("SIGKILL"), 10_000);
    }, limitMs);
    child.on("close", (code) => {
      clearTimeout(limit);
      clearTimeout(hardKill);
      resolve({ code: killed ? "killed" : (code ?? -1), stdout, stderr });
    });
  });
}

/** Runs a build step in the repository; resolves with its exit status and output. */
function build(args: readonly string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(REPO, "node_modules/typescript/bin/tsc"), ...args], { cwd: REPO, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (data: Buffer) => (output = (output + data.toString()).slice(-MAX_OUTPUT)));
    child.stderr.on("data", (data: Buffer) => (output = (output + data.toString()).slice(-MAX_OUTPUT)));
    child.on("close", (code) => resolve({ code: code ?? -1, output }));
  });
}

async function readReport(dir: string): Promise<ConformanceReport> {
  return checkConformanceReport(JSON.parse(await readFile(join(dir, "report.json"), "utf8")))._unsafeUnwrap();
}

let dir = "";
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "sttkit-conformance-command-"));
  // The command runs from the build, as installed: build what changed (a no-op after npm run build).
  const built = await build(["-b", "cli", "conformance", "examples"]);
  expect(built, built.output).toMatchObject({ code: 0 });
}, 300_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("sttkit conformance --adapter MODULE", () => {
  it("runs the suite on the example adapter: progress per scenario, the matrix, the report in three formats, exit 0", async () => {
    const out = join(dir, "example");
    const run = await sttkit(["conformance", "--adapter", EXAMPLE, "-t", FILTER, "--out", out]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(`Conformance suite on ${EXAMPLE}, scenarios matching /${FILTER}/`);
    expect(run.stderr).toMatch(/2 of 21 scenarios to run/);
    expect(run.stderr).toMatch(/✓ \[1\/2\] declares exactly the capabilities it is held to \(\d+ ms\)/);
    expect(run.stderr).toMatch(/✓ \[2\/2\] the language option is honoured/);
    expect(run.stdout).toMatch(/^scenario\s+result\s+time\s+WER\s+latency$/m);
    expect(run.stdout).toMatch(/^declares exactly the capabilities it is held to\s+pass\s+\d+ ms$/m);
    expect(run.stdout).toContain("PASSED: 2 passed, 0 failed, 0 skipped (not declared), 19 not run (filter)");
    const report = await readReport(out);
    expect(report).toMatchObject({ verdict: "passed", source: EXAMPLE, scenarioFilter: FILTER, target: { name: "example: sentence-case adapter over the offline engine", capabilities: { ttfsP99LatencyMs: 1100 } } });
    expect(report.scenarios.filter((scenario) => scenario.status === "passed").map((scenario) => scenario.id)).toEqual(["capabilities", "language"]);
    expect(await readFile(join(out, "report.md"), "utf8")).toContain("**PASSED**: 2 passed");
    expect(await readFile(join(out, "report.html"), "utf8")).toContain('<span class="verdict passed" id="verdict">PASSED</span>');
  }, 300_000);

  describe("on a deliberately broken copy (the drop-language mutant)", () => {
    const out = () => join(dir, "broken");
    let run: CommandRun | undefined;
    beforeAll(async () => {
      run = await sttkit(["conformance", "--adapter", BROKEN, "-t", FILTER, "--out", out()]);
    }, 300_000);

    it("exits 1, and says which scenario failed and why, on the terminal and in every report", async () => {
      expect(run?.code, run?.stderr).toBe(1);
      const why = /final "[^"]+" does not report its language: expected undefined to be 'en-US'/;
      expect(run?.stderr).toMatch(new RegExp(`✗ \\[2/2\\] ${LANGUAGE_SCENARIO}`));
      expect(run?.stdout).toMatch(/^the language option is honoured, and an unknown language is a t…\s+FAIL\s+/m);
      expect(run?.stdout).toMatch(/^declares exactly the capabilities it is held to\s+pass/m);
      expect(run?.stdout).toMatch(new RegExp(`Failures:\\n\\n✗ ${LANGUAGE_SCENARIO}\\n    AssertionError: ${why.source}`));
      expect(run?.stdout).toContain("FAILED: 1 passed, 1 failed");
      const report = await readReport(out());
      expect(report.verdict).toBe("failed");
      const failed = report.scenarios.filter((scenario) => scenario.status === "failed");
      expect(failed.map((scenario) => scenario.title)).toEqual([LANGUAGE_SCENARIO]);
      expect(failed[0]?.failure).toMatch(why);
      expect(failed[0]?.failure).not.toContain("    at ");
      expect(await readFile(join(out(), "report.md"), "utf8")).toMatch(new RegExp(`## Failures\\n\\n### ${LANGUAGE_SCENARIO}\\n\\n\`\`\`text\\nAssertionError: ${why.source}`));
      const html = await readFile(join(out(), "report.html"), "utf8");
      expect(html).toContain('<tr class="failed" data-scenario="language">');
      expect(html).toMatch(new RegExp(`<article id="failure-language"><h3>${LANGUAGE_SCENARIO}</h3><pre>AssertionError: final &quot;`));
    });

    const chromium = findChromium();
    // CI installs Chromium and sets STTKIT_REQUIRE_CHROMIUM=1, so there this check never skips.
    const skip = !chromium && process.env["STTKIT_REQUIRE_CHROMIUM"] !== "1";
    it.skipIf(skip)("its HTML report renders in a real browser: the scenario table, the failure, the verdict in colour", async () => {
      expect(chromium, "STTKIT_REQUIRE_CHROMIUM=1, but no chromium on PATH").toBeDefined();
      const screenshot = join(out(), "report.png");
      const page = await renderInChromium(chromium as string, join(out(), "report.html"), { screenshot, width: 1400, height: 1000, limitMs: 120_000 });
      // The DOM after rendering: the scenario rows, the failing one marked, its message.
      expect(page.dom).toContain('<table id="scenarios">');
      expect(page.dom.match(/<tr class="[a-z-]+" data-scenario="/g)?.length).toBe(21);
      expect(page.dom).toContain('<tr class="failed" data-scenario="language">');
      expect(page.dom).toContain("does not report its language");
      // The screenshot: a page, not a blank: mostly white, with text, and the FAILED badge's red.
      const png = decodePng(page.png);
      expect([png.width, png.height]).toEqual([1400, 1000]);
      let dark = 0;
      let badgeRed = 0;
      for (let y = 0; y < png.height; y += 2) {
        for (let x = 0; x < png.width; x += 2) {
          const [r, g, b] = png.pixel(x, y);
          if (r + g + b < 200) dark++;
          if (r > 150 && g < 70 && b < 70) badgeRed++;
        }
      }
      expect(dark, "no text on the screenshot").toBeGreaterThan(1000);
      expect(badgeRed, "no red FAILED badge on the screenshot").toBeGreaterThan(100);
    }, 300_000);
  });

  it("takes a provider target: the DI provider definition, its settings and what it promises", async () => {
    const module = join(dir, "offline-provider.mjs");
    // A module outside the repository, as a user's would be: the packages by their built files.
    await writeFile(
      module,
      `import { offlineProvider, OFFLINE_SAMPLE_RATES, OFFLINE_TTFS_P99_MS } from ${JSON.stringify(join(REPO, "adapters/offline/dist/index.js"))};
export default {
  provider: offlineProvider,
  settings: { finishTimeoutMs: 20000 },
  capabilities: { streaming: true, interimResults: false, wordTimings: true, languageDetection: false, customVocabulary: false,
                  diarization: false, sampleRates: OFFLINE_SAMPLE_RATES, channels: [1], ttfsP99LatencyMs: OFFLINE_TTFS_P99_MS, reconnects: false },
  werBounds: { clean: 0.5 },
};
`,
    );
    const run = await sttkit(["conformance", "--adapter", module, "-t", "declares exactly|silence only", "--out", join(dir, "provider")]);
    expect(run.code, run.stderr).toBe(0);
    const report = await readReport(join(dir, "provider"));
    expect(report.target.name).toBe("offline");
    expect(report.target.fixtures).toBeGreaterThan(0);
    expect(report.scenarios.filter((scenario) => scenario.status === "passed").map((scenario) => scenario.id)).toEqual(["capabilities", "silence"]);
  }, 300_000);

  it("fails a run in which an error escapes the scenarios, though every scenario passed", async () => {
    const module = join(dir, "escaping-error.mjs");
    // An adapter that only declares (enough for the capabilities scenario) and lets a rejection escape.
    await writeFile(
      module,
      `import { loadFixtures } from ${JSON.stringify(join(REPO, "conformance/dist/index.js"))};
import { ok } from ${JSON.stringify(join(REPO, "node_modules/neverthrow/dist/index.es.js"))};
const capabilities = { streaming: true, interimResults: false, wordTimings: false, languageDetection: false, customVocabulary: false,
                       diarization: false, sampleRates: [16000], channels: [1], ttfsP99LatencyMs: 500, reconnects: false };
export const conformanceTarget = {
  name: "an adapter with an escaping rejection",
  fixtures: loadFixtures()._unsafeUnwrap().fixtures,
  capabilities,
  werBounds: { clean: 0.5 },
  async create() {
    setTimeout(() => Promise.reject(new Error("a rejection nobody handles")), 0);
    return ok({ stt: { provider: "escaping", capabilities } });
  },
};
`,
    );
    const run = await sttkit(["conformance", "--adapter", module, "-t", "declares exactly", "--out", join(dir, "escaping")]);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout).toMatch(/^declares exactly the capabilities it is held to\s+pass/m);
    expect(run.stdout).toContain("✗ outside the scenarios:\n    Error: a rejection nobody handles");
    expect(run.stdout).toContain("FAILED: 1 passed, 0 failed");
    const report = await readReport(join(dir, "escaping"));
    expect(report).toMatchObject({ verdict: "failed", problems: ["Error: a rejection nobody handles"] });
  }, 300_000);

  it("fails, with the reason, a run whose suite cannot start (a fixture's audio missing): no scenario runs, exit 1", async () => {
    const module = join(dir, "missing-audio.mjs");
    await writeFile(
      module,
      `import { conformanceTarget as example } from ${JSON.stringify(join(REPO, "examples/dist/conformance-new-adapter/conformance-target.js"))};
export const conformanceTarget = { ...example, fixtures: example.fixtures.slice(0, 1).map((fixture) => ({ ...fixture, audioPath: "/nonexistent/audio.wav" })) };
`,
    );
    const run = await sttkit(["conformance", "--adapter", module, "--out", join(dir, "missing-audio")]);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout).toMatch(/✗ outside the scenarios:\n {4}in suite "conformance: example: sentence-case adapter over the offline engine": Error: fixture [\w-]+: Cannot read audio file \/nonexistent\/audio\.wav/);
    expect((await readReport(join(dir, "missing-audio"))).summary).toMatchObject({ passed: 0, failed: 0 });
  }, 300_000);

  describe("stopped before the end: vitest and everything it started are gone", () => {
    /** Processes whose environment names `modulePath` as the module under test: the run's vitest and its workers. */
    async function processesRunning(modulePath: string): Promise<number[]> {
      const found: number[] = [];
      for (const pid of (await readdir("/proc")).filter((name) => /^\d+$/.test(name))) {
        try {
          const environ = await readFile(`/proc/${pid}/environ`, "latin1");
          if (environ.split("\0").includes(`STTKIT_CONFORMANCE_MODULE=${modulePath}`)) found.push(Number(pid));
        } catch {
          // Gone, or not ours to read.
        }
      }
      return found;
    }

    /**
     * Waits (at most 30 s) until no process of the run is left. vitest and its workers are killed with
     * their process group at once; the offline engine an adapter started runs in a process group of
     * its own (so that the adapter can stop it as a whole) and ends by itself once the killed
     * worker's pipe to it closes, after decoding what it was given.
     */
    async function leftAfterwards(modulePath: string): Promise<number[]> {
      for (let waited = 0; ; waited += 250) {
        const left = await processesRunning(modulePath);
        if (left.length === 0 || waited >= 30_000) return left;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }

    /** A module of its own (a unique path to look for), re-exporting the example's target. */
    async function uniqueModule(name: string): Promise<string> {
      const path = join(dir, `${name}.mjs`);
      await writeFile(path, `export { conformanceTarget } from ${JSON.stringify(join(REPO, EXAMPLE))};\n`);
      return path;
    }

    it.runIf(existsSync("/proc/self/environ"))("by --max-minutes: exit 1, the run's process group killed", async () => {
      const module = await uniqueModule("stopped-by-time");
      // The whole suite takes minutes; six seconds stop it wherever it is.
      const run = await sttkit(["conformance", "--adapter", module, "--max-minutes", "0.1", "--out", join(dir, "stopped")]);
      expect(run.code, run.stderr).toBe(1);
      expect(run.stderr).toContain("stopped: the run took longer than --max-minutes 0.1");
      expect(await leftAfterwards(module)).toEqual([]);
    }, 120_000);

    it.runIf(existsSync("/proc/self/environ"))("by Ctrl-C (SIGINT to sttkit only, as vitest runs in a group of its own): exit 1, the run's process group killed", async () => {
      const module = await uniqueModule("interrupted");
      const child = spawn(process.execPath, [join(REPO, "cli/bin/sttkit.js"), "conformance", "--adapter", module, "--out", join(dir, "interrupted")], { cwd: REPO, stdio: ["ignore", "ignore", "pipe"] });
      let stderr = "";
      const started = new Promise<void>((resolve) => {
        child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
          stderr = (stderr + chunk).slice(0, MAX_OUTPUT);
          // Once vitest runs (and has its workers), interrupt.
          if (/scenarios to run/.test(stderr)) resolve();
        });
      });
      const exited = new Promise<number | null>((resolve) => child.once("close", (code) => resolve(code)));
      try {
        await Promise.race([started, exited]);
        expect(await processesRunning(module), "vitest should be running by now").not.toEqual([]);
      } finally {
        // Interrupted in any case: a failed expectation must not leave the run going.
        child.kill("SIGINT");
      }
      expect(await exited, stderr).toBe(1);
      expect(stderr).toContain("stopped: the run was interrupted.");
      expect(await leftAfterwards(module)).toEqual([]);
    }, 180_000);
  });

  it("refuses, with exit 2 and a clear message: no module, a missing file, a module without a target, a filter that matches nothing", async () => {
    const none = await sttkit(["conformance"]);
    expect(none).toMatchObject({ code: 2, stderr: expect.stringContaining("Give the adapter module with --adapter MODULE.") });
    const missing = await sttkit(["conformance", "--adapter", "examples/no-such-adapter.js"]);
    expect(missing).toMatchObject({ code: 2, stderr: expect.stringContaining("examples/no-such-adapter.js: no such module file") });
    const notATarget = join(dir, "not-a-target.mjs");
    await writeFile(notATarget, "export const helper = 1;\n");
    const wrong = await sttkit(["conformance", "--adapter", notATarget, "--out", join(dir, "wrong")]);
    expect(wrong.code, wrong.stderr).toBe(2);
    expect(wrong.stderr).toContain("the module exports `helper`; export `conformanceTarget` (or a default export)");
    expect(existsSync(join(dir, "wrong"))).toBe(false);
    const nothing = await sttkit(["conformance", "--adapter", EXAMPLE, "-t", "no scenario is called this", "--out", join(dir, "nothing")]);
    expect(nothing.code, nothing.stderr).toBe(2);
    expect(nothing.stderr).toContain("no scenario title matches /no scenario is called this/. The scenarios are:\n  declares exactly the capabilities it is held to\n");
  }, 300_000);
});
