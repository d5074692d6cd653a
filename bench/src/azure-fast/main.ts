/**
 * Goal 1e on its own: `npm run bench:azure-fast [-- --quick]`. The table to stdout, every sample to
 * `bench/results/azure-fast-latest.json`.
 *
 * @module
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { comparisonTable, renderTable } from "../report.js";
import { measureFastTranscription } from "./measure.js";

const quick = process.argv.includes("--quick");
const loadBefore = loadavg();
const result = await measureFastTranscription(quick, (line) => process.stderr.write(`${line}\n`));
console.log(renderTable(comparisonTable(result.rows, (row) => (row.metric.includes("RSS") ? 1 : 0))));
console.log(`\nmachine: ${cpus().length} CPUs, load ${loadBefore.map((l) => l.toFixed(2)).join(" ")} before, ${loadavg().map((l) => l.toFixed(2)).join(" ")} after`);
mkdirSync(new URL("../../results/", import.meta.url), { recursive: true });
writeFileSync(
  new URL("../../results/azure-fast-latest.json", import.meta.url),
  `${JSON.stringify({ quick, rows: result.rows, samples: result.samples, loadBefore, loadAfter: loadavg() }, null, 1)}\n`,
);
