import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadFixtures } from "./manifest/load.js";
import { loadAzureSession } from "./azure/session-format.js";
import { corpusWordErrorRate, normaliseWords, wordErrorRate, type WerResult } from "@sttkit/core/wer";
const run = promisify(execFile);
const LIBRIVOX = "/usr/share/pocketsphinx/test/data/librivox";
/** Debian's sctk installs sclite outside PATH. */
const SCLITE_DEBIAN_PATH = "/usr/lib/sctk/bin/sclite";

interface ScoredPair {
  /** sclite speaker (the part of the utterance id before `_`), grouping the pairs in its report. */
  readonly group: "real" | "edge" | "random";
  readonly id: string;
  readonly reference: string;
  readonly hypothesis: string;
}

interface Counts {
  readonly hits: number;
  readonly substitutions: number;
  readonly deletions: number;
  readonly insertions: number;
}

/** The sclite binary: on PATH, else where Debian's `sctk` puts it. */
function findSclite(): string | undefined {
  const onPath = (process.env.PATH ?? "").split(delimiter).map((dir) => join(dir, "sclite"));
  return [...onPath, SCLITE_DEBIAN_PATH].find((candidate) => existsSync(candidate));
}

/** LibriVox reference transcripts against PocketSphinx's output for the same clips, both as shipped by pocketsphinx-testdata. */
async function librivoxPairs(): Promise<ScoredPair[]> {
  const references = new Map<string, string>();
  for (const line of (await readFile(join(LIBRIVOX, "transcription"), "utf8")).split("\n")) {
    const match = /^<s>\s*(.*?)\s*<\/s>\s*\((.+)\)$/.exec(line.trim());
    if (match?.[1] !== undefined && match[2] !== undefined) references.set(match[2], match[1]);
  }
  const pairs: ScoredPair[] = [];
  for (const line of (await readFile(join(LIBRIVOX, "test-lm.match"), "utf8")).split("\n")) {
    const match = /^(.*?)\s*\((\S+)\s+-?\d+\)$/.exec(line.trim());
    const reference = match?.[2] === undefined ? undefined : references.get(match[2]);
    if (match?.[1] !== undefined && match[2] !== undefined && reference !== undefined) {
      pairs.push({ group: "real", id: match[2].replace(/^.*-/, "match-"), reference, hypothesis: match[1] });
    }
  }
  return pairs;
}

/**
 * Every fixture's reference against the words of its recorded Azure session (PocketSphinx's real
 * recognition of the fixture audio, for synthesized sessions): noisy, narrowband and long speech.
 */
function sessionPairs(): ScoredPair[] {
  const pairs: ScoredPair[] = [];
  for (const fixture of loadFixtures()._unsafeUnwrap().fixtures) {
    const session = loadAzureSession(fixture.id);
    if (session.isErr()) continue;
    const lexical = JSON.stringify(session.value).match(/"Lexical":"[^"]*"/g) ?? [];
    const hypothesis = lexical.map((field) => (JSON.parse(`{${field}}`) as { Lexical: string }).Lexical).join(" ");
    pairs.push({ group: "real", id: `session-${fixture.id}`, reference: fixture.reference, hypothesis });
  }
  return pairs;
}

const EDGE_PAIRS: readonly ScoredPair[] = [
  { group: "edge", id: "all-wrong", reference: "one two three", hypothesis: "four five six seven" },
  { group: "edge", id: "all-missing", reference: "nothing was heard here", hypothesis: "" },
  { group: "edge", id: "all-inserted", reference: "", hypothesis: "something out of silence" },
  { group: "edge", id: "reordered", reference: "a b c d e f", hypothesis: "b a c d f e" },
  { group: "edge", id: "repeated", reference: "the cat sat on the mat", hypothesis: "the the cat sat sat on the mat mat" },
  { group: "edge", id: "exact", reference: "he might even have been made amiable himself", hypothesis: "He might, even, have been made amiable himself." },
  { group: "edge", id: "shifted", reference: "x a b", hypothesis: "a b y" },
];

/** A small seeded generator (xorshift32), so the random pairs are the same on every run. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 0x1_0000_0000;
  };
}

/**
 * Random sentences over a four-word vocabulary: with so few words, equally cheap alignments with
 * different counts are common, which is where a scorer's tie-breaking shows.
 */
function randomPairs(count: number): ScoredPair[] {
  const random = seededRandom(20_240_917);
  const vocabulary = ["a", "b", "c", "d"];
  const sentence = (): string =>
    Array.from({ length: Math.floor(random() * 11) }, () => vocabulary[Math.floor(random() * vocabulary.length)]).join(" ");
  return Array.from({ length: count }, (_, index) => ({ group: "random", id: `r${index}`, reference: sentence(), hypothesis: sentence() }));
}

/** Per-utterance counts from sclite's `pra` report (`id: (...)` then `Scores: (#C #S #D #I) c s d i`). */
function parseSclitePra(report: string): Map<string, Counts> {
  const scores = new Map<string, Counts>();
  let id: string | undefined;
  for (const line of report.split("\n")) {
    const idMatch = /^id: \((.+)\)/.exec(line);
    if (idMatch) id = idMatch[1];
    const scoreMatch = /^Scores: \(#C #S #D #I\)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)/.exec(line);
    if (scoreMatch && id !== undefined) {
      const [hits, substitutions, deletions, insertions] = scoreMatch.slice(1).map(Number) as [number, number, number, number];
      scores.set(id, { hits, substitutions, deletions, insertions });
      id = undefined;
    }
  }
  return scores;
}

/** The `Sum` line of sclite's `rsum` report: `| Sum | #Snt #Wrd | Corr Sub Del Ins Err S.Err |`, in words. */
function parseScliteSum(report: string): Counts & { referenceWords: number; errors: number } {
  const numbers = /\|\s*Sum\s*\|([^|]+)\|([^|]+)\|/.exec(report);
  if (!numbers?.[1] || !numbers[2]) throw new Error(`no Sum line in sclite's report:\n${report}`);
  const [, referenceWords] = numbers[1].trim().split(/\s+/).map(Number) as [number, number];
  const [hits, substitutions, deletions, insertions, errors] = numbers[2].trim().split(/\s+/).map(Number) as [number, number, number, number, number];
  return { referenceWords, hits, substitutions, deletions, insertions, errors };
}

function countsOf(result: WerResult): Counts {
  return { hits: result.hits, substitutions: result.substitutions, deletions: result.deletions, insertions: result.insertions };
}

describe("wordErrorRate against NIST sclite", () => {
  let dir = "";
  let sclite: string | undefined;
  let pairs: ScoredPair[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "sttkit-sclite-"));
    sclite = findSclite();
    pairs = [...(existsSync(LIBRIVOX) ? await librivoxPairs() : []), ...sessionPairs(), ...EDGE_PAIRS, ...randomPairs(400)];
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** Scores every pair with sclite, which is given our normalised words (it does no normalisation of its own worth comparing). */
  async function scoreWithSclite(output: "pra" | "rsum"): Promise<string> {
    if (sclite === undefined) {
      throw new Error(`NIST sclite was not found on PATH nor at ${SCLITE_DEBIAN_PATH}: install the Debian package "sctk" (apt-get install sctk).`);
    }
    const trn = (side: "reference" | "hypothesis"): string =>
      pairs.map((pair) => `${normaliseWords(pair[side]).join(" ")} (${pair.group}_${pair.id})`).join("\n") + "\n";
    await writeFile(join(dir, "ref.trn"), trn("reference"));
    await writeFile(join(dir, "hyp.trn"), trn("hypothesis"));
    const args = ["-r", join(dir, "ref.trn"), "trn", "-h", join(dir, "hyp.trn"), "trn", "-i", "rm", "-o", output, "stdout"];
    const { stdout } = await run(sclite, args, { maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  }

  it("scores real recognition output, edge cases and random sentences", () => {
    expect(existsSync(LIBRIVOX), `LibriVox test data not found at ${LIBRIVOX}: install the Debian package "pocketsphinx-testdata"`).toBe(true);
    expect(pairs.filter((pair) => pair.group === "real").length).toBeGreaterThanOrEqual(10);
  });

  it("gives the same per-utterance counts as sclite", async () => {
    const sclitePerUtterance = parseSclitePra(await scoreWithSclite("pra"));
    expect(sclitePerUtterance.size).toBe(pairs.length);
    const disagreements = pairs.flatMap((pair) => {
      const ours = countsOf(wordErrorRate(pair.reference, pair.hypothesis));
      const theirs = sclitePerUtterance.get(`${pair.group}_${pair.id}`);
      return JSON.stringify(ours) === JSON.stringify(theirs) ? [] : [{ ...pair, ours, theirs }];
    });
    expect(disagreements).toEqual([]);
  });

  it("gives the same corpus totals as sclite's Sum line", async () => {
    const theirs = parseScliteSum(await scoreWithSclite("rsum"));
    const ours = corpusWordErrorRate(pairs);
    expect({ ...countsOf(ours), referenceWords: ours.referenceWords, errors: ours.substitutions + ours.deletions + ours.insertions }).toEqual(theirs);
    expect(ours.wer).toBeCloseTo(theirs.errors / theirs.referenceWords, 12);
  });
});
