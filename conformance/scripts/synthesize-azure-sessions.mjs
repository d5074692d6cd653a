#!/usr/bin/env node
// Builds the recorded Azure sessions (fixtures/sessions/azure/<id>.json) for fixtures that have no
// recording from the real service yet. There is no Azure here, so the words, their timings and the
// utterance boundaries come from a real offline recogniser, CMU PocketSphinx, run on each fixture;
// they are then written as the USP messages the service sends (turn.start, speech.startDetected,
// speech.hypothesis per word, speech.phrase with NBest and Words, speech.endDetected, turn.end),
// each tagged with the audio position at which the service would send it. Sessions recorded from
// the real service by the recorder (source.kind "service") are never overwritten.
//
// Usage: node conformance/scripts/synthesize-azure-sessions.mjs [fixture-id ...]
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const fixturesDir = join(dirname(fileURLToPath(import.meta.url)), "..", "fixtures");
const sessionsDir = join(fixturesDir, "sessions", "azure");
const TICKS_PER_MS = 10_000;
/** Service processing time between the end of an utterance and its phrase, as the service shows. */
const PHRASE_DELAY_MS = 300;
/** Words pocketsphinx emits that are not speech. */
const FILLER = /^(<s>|<\/s>|<sil>|\[[A-Z]+\]|\+\+.*\+\+)$/;

function pocketsphinxVersion() {
  try {
    return execFileSync("dpkg-query", ["-W", "-f=${Version}", "pocketsphinx"]).toString().trim();
  } catch {
    return "unknown";
  }
}

/** Runs pocketsphinx (on a 16 kHz copy for narrowband audio: the Debian model is 16 kHz) and parses utterances. */
function recognise(fixture) {
  const wav = join(fixturesDir, fixture.audio);
  const work = mkdtempSync(join(tmpdir(), "sttkit-synth-"));
  try {
    let input = wav;
    if (fixture.sampleRate !== 16000) {
      input = join(work, "16k.wav");
      execFileSync("sox", ["-R", "-V1", wav, "-r", "16000", input]);
    }
    const output = execFileSync("pocketsphinx_continuous", ["-infile", input, "-time", "yes", "-logfn", "/dev/null"]).toString();
    const utterances = [];
    let words = null;
    for (const line of output.split("\n")) {
      const timed = /^(\S+) (\d+\.\d+) (\d+\.\d+) (\d+\.\d+)$/.exec(line.trim());
      if (!timed) continue;
      const [, token, start, end, confidence] = timed;
      if (token === "<s>") words = [];
      else if (token === "</s>") {
        if (words?.length) utterances.push(words);
        words = null;
      } else if (words && !FILLER.test(token)) {
        words.push({ word: token.replace(/\(\d+\)$/, ""), startMs: Math.round(Number(start) * 1000), endMs: Math.round(Number(end) * 1000) + 10, confidence: Number(confidence) });
      }
    }
    return utterances;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const ticks = (ms) => Math.round(ms * TICKS_PER_MS);
const display = (words) => {
  const text = words.map((w) => w.word).join(" ");
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
};

function session(fixture, utterances, version) {
  const messages = [];
  const serviceTag = createHash("md5").update(fixture.id).digest("hex");
  messages.push({ path: "turn.start", atAudioMs: 0, body: { context: { serviceTag } } });
  for (const words of utterances) {
    const startMs = words[0].startMs;
    const endMs = words.at(-1).endMs;
    messages.push({ path: "speech.startDetected", atAudioMs: startMs, body: { Offset: ticks(startMs) } });
    for (let n = 1; n <= words.length; n++) {
      const heard = words.slice(0, n);
      messages.push({
        path: "speech.hypothesis",
        atAudioMs: heard.at(-1).endMs,
        body: { Text: heard.map((w) => w.word).join(" "), Offset: ticks(startMs), Duration: ticks(heard.at(-1).endMs - startMs) },
      });
    }
    const lexical = words.map((w) => w.word).join(" ");
    const confidence = Math.round((words.reduce((sum, w) => sum + w.confidence, 0) / words.length) * 1e4) / 1e4;
    messages.push({
      path: "speech.phrase",
      atAudioMs: endMs + PHRASE_DELAY_MS,
      body: {
        RecognitionStatus: "Success",
        DisplayText: display(words),
        Offset: ticks(startMs),
        Duration: ticks(endMs - startMs),
        NBest: [
          {
            Confidence: confidence,
            Lexical: lexical,
            ITN: lexical,
            MaskedITN: lexical,
            Display: display(words),
            Words: words.map((w) => ({ Word: w.word, Offset: ticks(w.startMs), Duration: ticks(w.endMs - w.startMs), Confidence: w.confidence })),
          },
        ],
      },
    });
  }
  // After the last audio the service reports the end of speech and closes the turn.
  messages.push({ path: "speech.endDetected", atAudioMs: fixture.durationMs, afterEndOfAudio: true, body: { Offset: ticks(fixture.durationMs) } });
  messages.push({ path: "turn.end", atAudioMs: fixture.durationMs, afterEndOfAudio: true, body: {} });
  return {
    format: "sttkit.recorded-session.v1",
    provider: "azure",
    fixture: fixture.id,
    source: {
      kind: "synthesized",
      description: `Synthesized offline in the Azure Speech wire format from CMU PocketSphinx ${version} (Debian pocketsphinx-en-us model) recognising the fixture: its words, word timings and utterance boundaries. Replace with a recording from the service (record-azure) when credentials are available.`,
    },
    request: { language: fixture.language, format: "detailed" },
    turns: [{ messages }],
  };
}

const manifest = JSON.parse(readFileSync(join(fixturesDir, "manifest.json"), "utf8"));
const only = new Set(process.argv.slice(2));
const version = pocketsphinxVersion();
mkdirSync(sessionsDir, { recursive: true });
for (const fixture of manifest.fixtures) {
  if (only.size > 0 && !only.has(fixture.id)) continue;
  const target = join(sessionsDir, `${fixture.id}.json`);
  if (existsSync(target) && JSON.parse(readFileSync(target, "utf8")).source?.kind === "service") {
    console.log(`${fixture.id}: recorded from the service, kept`);
    continue;
  }
  const utterances = recognise(fixture);
  writeFileSync(target, `${JSON.stringify(session(fixture, utterances, version), null, 1)}\n`);
  console.log(`${fixture.id}: ${utterances.length} utterance(s): ${utterances.map((u) => u.map((w) => w.word).join(" ")).join(" | ")}`);
}
