/**
 * Measures every fixture's utterance spans from its audio and writes them into the manifest
 * (`fixtures/manifest.json`). `scripts/make-fixtures.sh` runs it after writing the manifest:
 *
 * ```sh
 * npx tsc -b conformance && node conformance/dist/manifest/write-spans.js
 * ```
 *
 * @module
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { readWavFile } from "@sttkit/core";
import { defaultFixturesDirectory } from "./load.js";
import type { FixtureManifest } from "./manifest-format.js";
import { measureSpeechSpans } from "./speech-spans.js";

/** Rewrites the manifest in `directory` with measured spans; returns the process exit code. */
export async function writeSpans(directory: string = defaultFixturesDirectory()): Promise<number> {
  const path = join(resolve(directory), "manifest.json");
  const manifest = JSON.parse(readFileSync(path, "utf8")) as FixtureManifest;
  const fixtures = [];
  for (const fixture of manifest.fixtures) {
    const wav = await readWavFile(join(resolve(directory), fixture.audio));
    if (wav.isErr()) {
      console.error(`${fixture.id}: ${wav.error.message}`);
      return 1;
    }
    const spans = measureSpeechSpans(wav.value.pcm, wav.value.format, fixture.utterances.length);
    if (spans.length !== fixture.utterances.length) {
      console.error(`${fixture.id}: found ${spans.length} stretches of speech for ${fixture.utterances.length} utterance(s)`);
      return 1;
    }
    console.log(`${fixture.id}: ${spans.map((span) => `${span.startMs}-${span.endMs} ms`).join(", ") || "no speech"}`);
    fixtures.push({ ...fixture, spans });
  }
  writeFileSync(path, `${JSON.stringify({ ...manifest, fixtures }, null, 2)}\n`);
  return 0;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await writeSpans(process.argv[2]);
}
