import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { corpusWordErrorRate, normaliseWords, wordErrorRate } from "./wer.js";

const run = promisify(execFile);
const SCLITE = "/usr/lib/sctk/bin/sclite";
const LIBRIVOX = "/usr/share/pocketsphinx/test/data/librivox";

describe("wordErrorRate", () => {
  it("normalises case, punctuation, apostrophes and hyphens", () => {
    expect(normaliseWords("Hello, World! It's a well-known 'fact'.")).toEqual(["hello", "world", "it's", "a", "well", "known", "fact"]);
    expect(wordErrorRate("Hello world.", "hello WORLD").wer).toBe(0);
  });

  it("counts substitutions, deletions and insertions", () => {
    expect(wordErrorRate("a b c d", "a x c d")).toMatchObject({ substitutions: 1, deletions: 0, insertions: 0, hits: 3, wer: 0.25 });
    expect(wordErrorRate("a b c d", "a c d")).toMatchObject({ deletions: 1, wer: 0.25 });
    expect(wordErrorRate("a b", "a b c d")).toMatchObject({ insertions: 2, wer: 1 });
    expect(wordErrorRate("a b c", "")).toMatchObject({ deletions: 3, wer: 1 });
  });

  it("defines an empty reference: no error for an empty hypothesis, else the insertions", () => {
    expect(wordErrorRate("", "").wer).toBe(0);
    expect(wordErrorRate("...", "uh um")).toMatchObject({ insertions: 2, wer: 2, referenceWords: 0 });
  });

  it("sums errors over a corpus rather than averaging rates", () => {
    const corpus = corpusWordErrorRate([
      { reference: "a b c d", hypothesis: "a b c d" },
      { reference: "e f", hypothesis: "e" },
    ]);
    expect(corpus).toMatchObject({ deletions: 1, referenceWords: 6 });
    expect(corpus.wer).toBeCloseTo(1 / 6);
  });
});

/** Reference/hypothesis pairs: real LibriVox transcripts against a real recogniser's output, plus edge cases. */
async function scoringPairs(): Promise<Array<{ id: string; reference: string; hypothesis: string }>> {
  const references = new Map<string, string>();
  for (const line of (await readFile(join(LIBRIVOX, "transcription"), "utf8")).split("\n")) {
    const match = /^<s>\s*(.*?)\s*<\/s>\s*\((.+)\)$/.exec(line.trim());
    if (match?.[1] !== undefined && match[2]) references.set(match[2], match[1]);
  }
  const pairs: Array<{ id: string; reference: string; hypothesis: string }> = [];
  for (const line of (await readFile(join(LIBRIVOX, "test-lm.match"), "utf8")).split("\n")) {
    const match = /^(.*?)\s*\((\S+)\s+-?\d+\)$/.exec(line.trim());
    const reference = match?.[2] ? references.get(match[2]) : undefined;
    if (match?.[1] !== undefined && reference) pairs.push({ id: match[2] as string, reference, hypothesis: match[1] });
  }
  pairs.push(
    { id: "edge-all-wrong", reference: "one two three", hypothesis: "four five six seven" },
    { id: "edge-all-missing", reference: "nothing was heard here", hypothesis: "" },
    { id: "edge-reordered", reference: "a b c d e f", hypothesis: "b a c d f e" },
    { id: "edge-repeated", reference: "the cat sat on the mat", hypothesis: "the the cat sat sat on the mat mat" },
    { id: "edge-exact", reference: "he might even have been made amiable himself", hypothesis: "he might even have been made amiable himself" },
  );
  return pairs;
}

/** Per-utterance counts from sclite's `pra` report: `Scores: (#C #S #D #I) c s d i`. */
function parseSclitePra(report: string): Map<string, { hits: number; substitutions: number; deletions: number; insertions: number }> {
  const scores = new Map<string, { hits: number; substitutions: number; deletions: number; insertions: number }>();
  let id: string | undefined;
  for (const line of report.split("\n")) {
    const idMatch = /^id: \((.+)\)/.exec(line);
    if (idMatch) id = idMatch[1];
    const scoreMatch = /^Scores: \(#C #S #D #I\)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)/.exec(line);
    if (scoreMatch && id) {
      const [, c, s, d, i] = scoreMatch.map(Number);
      scores.set(id, { hits: c as number, substitutions: s as number, deletions: d as number, insertions: i as number });
    }
  }
  return scores;
}

describe("wordErrorRate against NIST sclite", () => {
  let dir = "";
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "sttkit-sclite-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("gives the same counts as sclite on the same pairs", async () => {
    expect(existsSync(SCLITE), `NIST sclite not found at ${SCLITE}: install the Debian package "sctk" (npm run setup does)`).toBe(true);
    expect(existsSync(LIBRIVOX), `LibriVox test data not found: install the Debian package "pocketsphinx-testdata"`).toBe(true);
    const pairs = await scoringPairs();
    expect(pairs.length).toBeGreaterThanOrEqual(10);
    // sclite reads one utterance per line; it scores words as given, so both sides get our normalisation.
    const trn = (side: "reference" | "hypothesis") =>
      pairs.map((pair) => `${normaliseWords(pair[side]).join(" ")} (spk_${pair.id})`).join("\n") + "\n";
    await writeFile(join(dir, "ref.trn"), trn("reference"));
    await writeFile(join(dir, "hyp.trn"), trn("hypothesis"));
    const { stdout } = await run(SCLITE, ["-r", join(dir, "ref.trn"), "trn", "-h", join(dir, "hyp.trn"), "trn", "-i", "rm", "-o", "pra", "stdout"]);
    const sclite = parseSclitePra(stdout);
    expect(sclite.size).toBe(pairs.length);
    for (const pair of pairs) {
      const ours = wordErrorRate(pair.reference, pair.hypothesis);
      const theirs = sclite.get(`spk_${pair.id}`);
      expect({ id: pair.id, hits: ours.hits, substitutions: ours.substitutions, deletions: ours.deletions, insertions: ours.insertions }).toEqual({ id: pair.id, ...theirs });
    }
  });
});
