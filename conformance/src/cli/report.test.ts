import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONFORMANCE_META_KEYS, type ConformanceDeclaration, type ConformanceScenarioInfo, type ScenarioMeasurements } from "../suite/scenario-meta.js";
import { LineSplitter, readBoundedText, TailBuffer } from "./bounded.js";
import { checkVitestJsonReport, conformanceReportsFromVitest, failureMessage, type VitestJsonReport } from "./report.js";
import { renderConformanceMatrix, renderHtmlReport, renderMarkdownReport, renderTerminalReport } from "./render.js";

const declaration = (name: string, faults: ConformanceDeclaration["faults"] = {}): ConformanceDeclaration => ({
  name,
  capabilities: { streaming: true, interimResults: true, wordTimings: false, languageDetection: false, customVocabulary: false, diarization: false, sampleRates: [16000], channels: [1], ttfsP99LatencyMs: 900, reconnects: true },
  werBounds: { clean: 0.4, noisy: 0.6 },
  faults,
  fixtures: 7,
  exactFinals: false,
});

type Test = VitestJsonReport["testResults"][number]["assertionResults"][number];

function test(target: ConformanceDeclaration | undefined, info: ConformanceScenarioInfo | undefined, status: string, extra: { failure?: string; measured?: ScenarioMeasurements; duration?: number; title?: string } = {}): Test {
  return {
    ancestorTitles: target ? [`conformance: ${target.name}`] : [],
    title: extra.title ?? info?.label ?? "some other test",
    status,
    duration: extra.duration ?? 1234,
    failureMessages: extra.failure ? [extra.failure] : [],
    meta: {
      ...(target ? { [CONFORMANCE_META_KEYS.target]: target } : {}),
      ...(info ? { [CONFORMANCE_META_KEYS.scenario]: info } : {}),
      ...(extra.measured ? { [CONFORMANCE_META_KEYS.measured]: extra.measured } : {}),
    },
  };
}

const azure = declaration("azure", { "auth-rejected": { error: "authentication" }, "connection-dropped": { recover: true } });
const offline = declaration("offline");
const STACK = "AssertionError: \u001b[31mWER 0.700 over 3 fixture(s)\u001b[39m: expected 0.7 to be less than or equal to 0.4\n    at /work/conformance/src/suite/scenarios/recognition.ts:30:9\n    at processTicksAndRejections (node:internal)";

const json: VitestJsonReport = {
  startTime: Date.parse("2026-01-02T03:04:05Z"),
  success: false,
  testResults: [
    {
      name: "/repo/adapters/azure/src/azure.conformance.test.ts",
      status: "passed",
      message: "",
      startTime: Date.parse("2026-01-02T03:04:05Z"),
      endTime: Date.parse("2026-01-02T03:05:05Z"),
      assertionResults: [
        test(azure, { id: "capabilities", theme: "recognition", label: "declared capabilities" }, "passed"),
        test(azure, { id: "wer-single-utterance", theme: "recognition", label: "single utterance: WER within bound" }, "passed", { measured: { wer: 0.125, werBound: 0.4, fixtures: 3 } }),
        test(azure, { id: "fault-auth-rejected", theme: "faults", label: "fault: auth-rejected" }, "passed"),
        test(azure, { id: "latency-p99", theme: "latency", label: "end of speech to final, p99 within declared" }, "passed", { measured: { latencyP99Ms: 812.4, latencyP50Ms: 400, latencyFinals: 3, declaredP99Ms: 900, allowedP99Ms: 1600, connectMs: 12 } }),
      ],
    },
    {
      name: "/repo/adapters/offline/src/offline.conformance.test.ts",
      status: "failed",
      message: "",
      startTime: Date.parse("2026-01-02T03:04:05Z"),
      endTime: Date.parse("2026-01-02T03:08:05Z"),
      assertionResults: [
        test(offline, { id: "capabilities", theme: "recognition", label: "declared capabilities" }, "passed"),
        test(offline, { id: "wer-single-utterance", theme: "recognition", label: "single utterance: WER within bound" }, "failed", { failure: STACK, measured: { wer: 0.7, werBound: 0.4, fixtures: 3 }, title: "single utterance: final text | within the WER bound" }),
        test(offline, { id: "word-timings", theme: "recognition", label: "word timings", notApplicable: true }, "skipped"),
        test(offline, { id: "silence", theme: "recognition", label: "silence gives no text" }, "skipped"),
        test(undefined, undefined, "passed"),
      ],
    },
  ],
};

describe("conformance reports from vitest's JSON report", () => {
  it("finds each suite by the metadata its tests carry, ignoring other tests", () => {
    const reports = conformanceReportsFromVitest(checkVitestJsonReport(json)._unsafeUnwrap(), { node: "v20.0.0" });
    expect(reports.map((report) => report.target.name)).toEqual(["azure", "offline"]);
    const [azureReport, offlineReport] = reports;
    expect(azureReport).toMatchObject({ verdict: "passed", summary: { passed: 4, failed: 0, skipped: 0, notRun: 0 }, durationMs: 60_000, node: "v20.0.0", source: "/repo/adapters/azure/src/azure.conformance.test.ts", startedAt: "2026-01-02T03:04:05.000Z" });
    expect(offlineReport).toMatchObject({ verdict: "failed", summary: { passed: 1, failed: 1, skipped: 1, notRun: 1 } });
    expect(offlineReport?.scenarios.map((scenario) => [scenario.id, scenario.status])).toEqual([
      ["capabilities", "passed"],
      ["wer-single-utterance", "failed"],
      ["word-timings", "skipped"],
      ["silence", "not-run"],
    ]);
    expect(offlineReport?.scenarios[1]).toMatchObject({ failure: "AssertionError: WER 0.700 over 3 fixture(s): expected 0.7 to be less than or equal to 0.4", measurements: { wer: 0.7 }, durationMs: 1234 });
    expect(offlineReport?.scenarios[2]?.durationMs).toBeUndefined();
  });

  it("fails a run with errors outside the scenarios, or with no scenario run", () => {
    const withProblem = conformanceReportsFromVitest(json, { problems: ["Unhandled rejection: boom"] });
    expect(withProblem[0]).toMatchObject({ verdict: "failed", problems: ["Unhandled rejection: boom"] });
    const nothingRan = conformanceReportsFromVitest({ ...json, testResults: [{ ...json.testResults[1]!, assertionResults: [test(offline, { id: "silence", theme: "recognition", label: "silence" }, "skipped")] }] });
    expect(nothingRan[0]?.verdict).toBe("failed");
  });

  it("refuses what is not a vitest report", () => {
    expect(checkVitestJsonReport({ testResults: [{ name: "x", assertionResults: [{ title: "t" }] }] })._unsafeUnwrapErr()).toContain("lacks title, status");
    expect(checkVitestJsonReport([])._unsafeUnwrapErr()).toContain("not a vitest JSON report");
  });

  it("keeps a failure's message and drops its stack and colours, within a bound", () => {
    expect(failureMessage("Error: first\nsecond line\n    at foo (x.ts:1:1)")).toBe("Error: first\nsecond line");
    expect(failureMessage("x".repeat(10_000))).toHaveLength(4000);
  });
});

describe("rendering a report", () => {
  const [azureReport, offlineReport] = conformanceReportsFromVitest(json, { node: "v20.0.0", scenarioFilter: "single|word" });

  it("on the terminal: a row per scenario run, each failure with its message, the verdict", () => {
    const text = renderTerminalReport(offlineReport!, { color: false });
    expect(text).not.toContain("\u001b[");
    expect(text).toMatch(/single utterance: final text \| within the WER bound\s+FAIL\s+1\.2 s\s+70\.0 % \(≤ 40\.0 %\)/);
    expect(text).toMatch(/word timings\s+skip/);
    expect(text).not.toMatch(/^silence/m); // left out by the filter: counted, not listed
    expect(text).toContain("✗ single utterance: final text | within the WER bound\n    AssertionError: WER 0.700 over 3 fixture(s)");
    expect(text).toContain("FAILED: 1 passed, 1 failed, 1 skipped (not declared), 1 not run (filter), in 4 min 00 s");
    expect(renderTerminalReport(azureReport!, { color: true })).toContain("\u001b[32m");
    expect(renderTerminalReport(azureReport!, { color: false })).toMatch(/p99 812 ms over 3 finals \(declared 900 ms\)/);
    // The measured latency, once more, where the eye lands: above the verdict.
    expect(renderTerminalReport(azureReport!, { color: false })).toContain("End of speech to final, in real time: p99 812 ms over 3 finals (declared 900 ms); the stream reported connect 12 ms.\n\nPASSED");
    expect(renderHtmlReport(azureReport!)).toContain('<p id="latency">End of speech to final, in real time: p99 812 ms');
    expect(renderMarkdownReport(azureReport!)).toContain("\nEnd of speech to final, in real time: p99 812 ms");
  });

  it("as Markdown: table cells escaped, failure messages fenced", () => {
    const markdown = renderMarkdownReport(offlineReport!);
    expect(markdown).toContain("| single utterance: final text \\| within the WER bound | ✗ failed | 1.2 s | 70.0 % (≤ 40.0 %) |  |");
    expect(markdown).toContain("## Failures\n\n### single utterance: final text | within the WER bound\n\n```text\nAssertionError: WER 0.700");
    expect(markdown.indexOf("## Failures")).toBeLessThan(markdown.indexOf("## Scenarios"));
    expect(markdown).toContain("| sample rates (Hz) | 16000 |");
    const fenceInMessage = renderMarkdownReport({ ...offlineReport!, scenarios: [{ ...offlineReport!.scenarios[1]!, failure: "a ``` fence" }] });
    expect(fenceInMessage).toContain("````text\na ``` fence\n````");
  });

  it("as one self-contained HTML page, every text escaped", () => {
    const hostile = { ...offlineReport!, scenarios: [{ ...offlineReport!.scenarios[1]!, failure: '<script>alert("x")</script> & <img src=x>' }] };
    const html = renderHtmlReport(hostile);
    expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;img src=x&gt;");
    // Nothing the page loads from elsewhere: no script, stylesheet, image or frame, no URL in the style.
    expect(html).not.toMatch(/<(script|link|img|iframe|object|embed)\b|@import|url\(|\ssrc=["']|\shref=["'](?!#)/i);
    expect(html).toContain('<tr class="failed" data-scenario="wer-single-utterance">');
    expect(html).toContain('<table id="scenarios">');
  });

  it("as a matrix of adapters: a row per scenario id, a column per adapter", () => {
    const matrix = renderConformanceMatrix(
      [
        { title: "Azure", report: azureReport! },
        { title: "Offline", report: offlineReport! },
      ],
      { frontMatter: { title: "Conformance matrix", category: "Guides" }, provenance: "From a test run." },
    );
    expect(matrix.startsWith("---\ntitle: Conformance matrix\ncategory: Guides\n---\n\n# Conformance matrix\n\nFrom a test run.\n")).toBe(true);
    expect(matrix).toContain("| scenario | Azure | Offline |");
    expect(matrix).toContain("| declared capabilities | ✓ (1.2 s) | ✓ (1.2 s) |");
    expect(matrix).toContain("| single utterance: WER within bound | ✓ WER 12.5 % (≤ 40.0 %) (1.2 s) | ✗ WER 70.0 % (≤ 40.0 %) (1.2 s) |");
    expect(matrix).toContain("| fault: auth-rejected | ✓ `authentication` (1.2 s) | — not staged |");
    expect(matrix).toContain("| word timings | — | — not declared |");
    expect(matrix).toContain("| measured p99 (finals) | 812 ms (3) | — |");
    expect(matrix).toContain("| end of speech to final, p99 within declared | ✓ p99 812 ms (1.2 s) | — |");
    const slow = { ...azureReport!, scenarios: azureReport!.scenarios.map((scenario) => (scenario.id === "latency-p99" ? { ...scenario, measurements: { ...scenario.measurements, latencyP99Ms: 1200 } } : scenario)) };
    expect(renderConformanceMatrix([{ title: "Azure", report: slow }], { provenance: "" })).toContain("| ✓ p99 1200 ms ⚠ above the declared 900 ms (1.2 s) |");
    expect(matrix).toContain("### Offline: single utterance: final text | within the WER bound");
  });
});

describe("bounded reading", () => {
  let dir = "";
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "sttkit-bounded-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("reads a file up to its bound, and refuses a larger one", async () => {
    const file = join(dir, "report.json");
    await writeFile(file, "x".repeat(200_000));
    expect(await readBoundedText(file, 200_000)).toHaveLength(200_000);
    await expect(readBoundedText(file, 199_999)).rejects.toThrow("more than the 199999 bytes allowed");
  });

  it("splits output into lines, cutting a line past its bound, and keeps only the last lines", () => {
    const lines: string[] = [];
    const splitter = new LineSplitter(5, (line) => lines.push(line));
    splitter.push("ab\r\ncdefghij");
    splitter.push("kl\nmn");
    splitter.end();
    expect(lines).toEqual(["ab", "cdefg… (cut)", "mn"]);
    const tail = new TailBuffer(2);
    for (const line of ["1", "2", "3"]) tail.push(line);
    expect(tail.text()).toBe("2\n3");
  });
});
