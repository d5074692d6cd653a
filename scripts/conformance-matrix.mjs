#!/usr/bin/env node
// Writes the docs page "Conformance matrix" (docs/guides/conformance-matrix.md): the conformance
// suite's results for every shipped adapter, scenarios as rows and adapters as columns, with
// their declared capabilities and measured latencies, and each adapter's own report (Markdown,
// JSON, HTML) into reports/conformance/<adapter>/. Everything comes from vitest's JSON report of
// a real run of the adapters' conformance test files: the scenarios leave their identity and what
// they measured in it (see @sttkit/conformance/cli).
//
//   node scripts/conformance-matrix.mjs --results FILE   # from a test run's JSON report (CI: npm test's, on Node 20)
//   node scripts/conformance-matrix.mjs                  # runs the adapters' conformance suites first (3-5 min),
//                                                        # keeping vitest's report in reports/conformance/
//
// Needs the build (npm run build). Exit status 1 when an adapter listed below has no results in
// the report (its test file did not run); an adapter whose scenarios failed is shown failing.
import { spawn } from "node:child_process";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import {
  checkVitestJsonReport,
  conformanceReportsFromVitest,
  readBoundedText,
  renderConformanceMatrix,
  writeConformanceReport,
  MAX_VITEST_REPORT_BYTES,
} from "../conformance/dist/cli/index.js";

const REPO = fileURLToPath(new URL("..", import.meta.url));

// The shipped adapters, in column order: the column's title, and the test file that runs the
// adapter's conformance suite. An adapter added later (Deepgram, OpenAI) is one more line here.
const ADAPTERS = [
  { title: "Azure", slug: "azure", testFile: "adapters/azure/src/azure.conformance.test.ts" },
  { title: "Deepgram", slug: "deepgram", testFile: "adapters/deepgram/src/deepgram.conformance.test.ts" },
  { title: "OpenAI (gpt-4o-transcribe)", slug: "openai", testFile: "adapters/openai/src/openai-realtime.conformance.test.ts" },
  { title: "OpenAI (whisper-1)", slug: "openai-whisper", testFile: "adapters/openai/src/openai-batch.conformance.test.ts" },
  { title: "Offline (PocketSphinx)", slug: "offline", testFile: "adapters/offline/src/offline.conformance.test.ts" },
];

const PAGE = join(REPO, "docs/guides/conformance-matrix.md");
const REPORTS = join(REPO, "reports/conformance");

function usage(message) {
  process.stderr.write(`conformance-matrix: ${message}\nUsage: node scripts/conformance-matrix.mjs [--results VITEST_JSON]\n`);
  process.exit(2);
}

/**
 * Runs the listed adapters' conformance test files with vitest's JSON reporter; resolves with the
 * report's path, named as CI names it (reports/conformance/vitest-<node version>.json), so that
 * `--results` can build the page from it again.
 */
async function runSuites() {
  await mkdir(REPORTS, { recursive: true });
  const output = join(REPORTS, `vitest-${process.versions.node}.json`);
  // Never a previous run's results, should this one die before writing its report.
  await rm(output, { force: true });
  const vitest = join(REPO, "node_modules/vitest/vitest.mjs");
  const args = [vitest, "run", "--reporter=default", "--reporter=json", `--outputFile.json=${output}`, ...ADAPTERS.map((adapter) => adapter.testFile)];
  process.stderr.write(`conformance-matrix: running ${ADAPTERS.map((adapter) => adapter.testFile).join(", ")}\n`);
  // vitest's output goes straight to ours; its own exit status says nothing here (the report does).
  const child = spawn(process.execPath, args, { cwd: REPO, stdio: ["ignore", "inherit", "inherit"] });
  const stop = () => child.kill("SIGTERM");
  process.once("SIGINT", stop);
  await new Promise((resolve) => child.once("close", resolve));
  process.off("SIGINT", stop);
  return output;
}

async function main() {
  const argv = process.argv.slice(2);
  let results;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--results" && argv[i + 1] !== undefined) results = argv[++i];
    else if (argv[i]?.startsWith("--results=")) results = argv[i].slice("--results=".length);
    else usage(`unknown argument ${argv[i]}`);
  }

  const source = results ?? (await runSuites());
  const json = checkVitestJsonReport(JSON.parse(await readBoundedText(source, MAX_VITEST_REPORT_BYTES)));
  if (json.isErr()) {
    process.stderr.write(`conformance-matrix: ${source}: ${json.error}\n`);
    process.exitCode = 1;
    return;
  }
  // The report is named after the Node.js version that ran it (vitest-20.20.2.json, by CI and by
  // runSuites): vitest's JSON does not say.
  const version = /vitest-(\d+\.\d+\.\d+)\.json$/.exec(basename(source))?.[1];
  const node = version !== undefined ? `v${version}` : "(unknown)";
  const reports = conformanceReportsFromVitest(json.value, { node });

  const columns = [];
  const missing = [];
  await mkdir(REPORTS, { recursive: true });
  for (const adapter of ADAPTERS) {
    const report = reports.find((candidate) => candidate.source.endsWith(adapter.testFile));
    if (report === undefined) {
      missing.push(adapter.testFile);
      continue;
    }
    const relativeReport = { ...report, source: adapter.testFile };
    columns.push({ title: adapter.title, report: relativeReport });
    await writeConformanceReport(relativeReport, join(REPORTS, adapter.slug));
  }
  if (missing.length > 0) {
    process.stderr.write(`conformance-matrix: no conformance results in ${source} for ${missing.join(", ")}: did those test files run?\n`);
    process.exitCode = 1;
    return;
  }

  const when = new Date(json.value.startTime).toISOString().replace(/:\d\d\.\d+Z$/, " UTC").replace("T", " ");
  const suites = ADAPTERS.map((adapter) => `${adapter.title}: \`${adapter.testFile}\``).join("; ");
  const provenance = [
    `Generated by \`node scripts/conformance-matrix.mjs\` from vitest's JSON report of a test run on Node.js ${node}, started ${when}; nothing on this page is written by hand.`,
    `CI (\`.ci/run\`) regenerates it from its own \`npm test\` run before it builds these docs.`,
    `Each column is one adapter's conformance suite in that run (${suites}); each adapter's full report, with every failure's message, is in \`reports/conformance/<adapter>/\` after a run.`,
    `To see the same for your adapter, run \`npx sttkit conformance --adapter ./my-adapter.js\` (see [Run the conformance suite](run-the-conformance-suite.md)).`,
  ].join(" ");
  const page = renderConformanceMatrix(columns, { frontMatter: { title: "Conformance matrix", category: "Guides" }, provenance });
  await mkdir(dirname(PAGE), { recursive: true });
  await writeFile(PAGE, page);
  process.stderr.write(`conformance-matrix: wrote ${relative(REPO, PAGE)} (${columns.map((column) => `${column.title}: ${column.report.verdict}`).join(", ")}) and reports/conformance/*/report.{md,json,html}\n`);
}

await main();
