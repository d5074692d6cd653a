#!/usr/bin/env bash
# Rebuilds the conformance audio fixtures and fixtures/manifest.json (format: see
# src/manifest/manifest-format.ts) from Debian packages: pocketsphinx-testdata (real LibriVox
# recordings, public domain, see fixtures/LICENSE-audio.md), sox and espeak-ng.
#
#   conformance/scripts/make-fixtures.sh              audio, manifest and reference .txt files
#   conformance/scripts/make-fixtures.sh --sessions   also rebuilds the synthesized Azure, Deepgram and OpenAI sessions
#                                                     (needs pocketsphinx and a build of conformance)
#
# Every WAV is 16-bit PCM mono. Durations and sample rates in the manifest are measured with soxi.
# The outputs are committed, so tests never need these tools; run this only to change fixtures.
# Idempotent: sox runs with -R (fixed random seed for dither and noise) and espeak-ng's output is
# stable for a given version, so a rerun rewrites byte-identical files.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
repo="$(cd "$here/.." && pwd)"
out="$here/fixtures"
audio="$out/audio"
librivox=/usr/share/pocketsphinx/test/data/librivox
with_sessions=false
for arg in "$@"; do
  case "$arg" in
    --sessions) with_sessions=true ;;
    *) echo "usage: $0 [--sessions]" >&2; exit 2 ;;
  esac
done
mkdir -p "$audio"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

for tool in sox espeak-ng; do
  command -v "$tool" >/dev/null || { echo "make-fixtures: $tool is missing (apt-get install sox espeak-ng)" >&2; exit 1; }
done
[ -d "$librivox" ] || { echo "make-fixtures: $librivox is missing (apt-get install pocketsphinx-testdata)" >&2; exit 1; }

sox_r() { sox -R -V1 "$@"; }
clip() { echo "$librivox/sense_and_sensibility_01_austen_64kb-$1.wav"; }

# Real read speech, one sentence each.
for id in 0870 0880 0890 0930; do
  sox_r "$(clip $id)" -b 16 -c 1 -r 16000 "$audio/librivox-$id.wav"
done

# Several sentences with pauses between them, as a speaker taking breaths.
sox_r -n -r 16000 -c 1 -b 16 "$work/gap.wav" trim 0 1.2
sox_r "$(clip 0880)" "$work/gap.wav" "$(clip 0890)" "$work/gap.wav" "$(clip 0930)" -b 16 "$audio/librivox-multi.wav"

# Silence: a near-silent noise floor, as a quiet room gives (pure zeros are not what microphones send).
sox_r -n -r 16000 -c 1 -b 16 "$audio/silence-3s.wav" synth 3 whitenoise vol 0.0003

# Telephone band: the same kind of speech at 8 kHz.
sox_r "$(clip 0920)" -b 16 -c 1 "$audio/librivox-0920-8k.wav" rate -v 8000

# Noisy: pink noise mixed in at 15 dB SNR, the ratio of RMS levels over the whole clip.
speech_rms=$(sox_r "$(clip 0920)" -n stat 2>&1 | awk '/RMS +amplitude/ {print $3}')
duration=$(soxi -D "$(clip 0920)")
sox_r -n -r 16000 -c 1 -b 16 "$work/noise-raw.wav" synth "$duration" pinknoise
noise_rms=$(sox_r "$work/noise-raw.wav" -n stat 2>&1 | awk '/RMS +amplitude/ {print $3}')
gain=$(awk -v s="$speech_rms" -v n="$noise_rms" 'BEGIN { printf "%.6f", (s / 10 ^ (15 / 20)) / n }')
sox_r "$work/noise-raw.wav" "$work/noise.wav" vol "$gain"
sox_r -m -v 1 "$(clip 0920)" -v 1 "$work/noise.wav" -b 16 "$audio/librivox-0920-noisy.wav"

# Long: synthetic speech, sentence after sentence with pauses, about a minute.
long_sentences=(
  "the weather was fine on the morning we left the house"
  "we walked along the river until the sun was high"
  "my brother carried the bread and i carried the water"
  "at noon we sat under a large tree and ate our lunch"
  "a small boat came down the river with two men in it"
  "they asked us the way to the old mill near the bridge"
  "we told them to follow the path past the green field"
  "in the afternoon the wind grew cold and the sky turned grey"
  "we turned back and reached home just before the rain"
  "that evening we read by the fire and spoke about the day"
)
long_parts=()
for i in "${!long_sentences[@]}"; do
  espeak-ng -v en-us -s 140 -w "$work/long-$i-raw.wav" "${long_sentences[$i]}"
  sox_r "$work/long-$i-raw.wav" -b 16 -c 1 -r 16000 "$work/long-$i.wav"
  long_parts+=("$work/long-$i.wav" "$work/gap.wav")
done
sox_r "${long_parts[@]}" "$work/gap.wav" "$work/gap.wav" -b 16 "$work/long-body.wav"
# Pad to exactly a minute so the fixture's length is stable.
sox_r "$work/long-body.wav" "$audio/espeak-long-60s.wav" pad 0 60 trim 0 60

reference() { grep "($(basename "$(clip "$1")" .wav))" "$librivox/transcription" | sed -e 's/^<s> *//' -e 's/ *<\/s>.*$//'; }

node --input-type=module - "$out" "$(reference 0870)" "$(reference 0880)" "$(reference 0890)" "$(reference 0920)" "$(reference 0930)" "${long_sentences[@]}" <<'NODE'
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
const [out, r0870, r0880, r0890, r0920, r0930, ...long] = process.argv.slice(2);
const librivoxOrigin = (clip) =>
  `LibriVox recording of "Sense and Sensibility" by Jane Austen, chapter 1, clip ${clip}, public domain; as shipped in Debian's pocketsphinx-testdata (see LICENSE-audio.md)`;
const info = (file) => ({
  sampleRate: Number(execFileSync("soxi", ["-r", join(out, file)]).toString().trim()),
  durationMs: Math.round(Number(execFileSync("soxi", ["-D", join(out, file)]).toString().trim()) * 1000),
});
const fixture = (id, kind, file, utterances, origin) => ({
  id, kind, audio: file, language: "en-US", ...info(file),
  reference: utterances.join(" "), utterances, origin,
});
const fixtures = [
  fixture("librivox-0870", "single-utterance", "audio/librivox-0870.wav", [r0870], librivoxOrigin("0870")),
  fixture("librivox-0880", "single-utterance", "audio/librivox-0880.wav", [r0880], librivoxOrigin("0880")),
  fixture("librivox-0890", "single-utterance", "audio/librivox-0890.wav", [r0890], librivoxOrigin("0890")),
  fixture("librivox-0930", "single-utterance", "audio/librivox-0930.wav", [r0930], librivoxOrigin("0930")),
  fixture("librivox-multi", "multi-utterance", "audio/librivox-multi.wav", [r0880, r0890, r0930], `${librivoxOrigin("0880, 0890 and 0930")}, joined with 1.2 s pauses by sox`),
  fixture("silence-3s", "silence", "audio/silence-3s.wav", [], "Generated by sox: 3 s of a very low white-noise floor"),
  fixture("librivox-0920-8k", "narrowband", "audio/librivox-0920-8k.wav", [r0920], `${librivoxOrigin("0920")}, resampled to 8 kHz by sox`),
  fixture("librivox-0920-noisy", "noisy", "audio/librivox-0920-noisy.wav", [r0920], `${librivoxOrigin("0920")}, mixed with pink noise at 15 dB SNR by sox`),
  fixture("espeak-long-60s", "long", "audio/espeak-long-60s.wav", long, "Generated by espeak-ng (voice en-us, 140 words per minute) and sox: ten sentences with 1.2 s pauses, padded to 60 s"),
];
writeFileSync(join(out, "manifest.json"), JSON.stringify({ format: "sttkit.fixtures.v1", fixtures }, null, 2) + "\n");
// Plain-text references beside the audio, for `sttkit transcribe --reference-file`.
for (const fixture of fixtures) writeFileSync(join(out, "audio", `${fixture.id}.txt`), `${fixture.reference}\n`);
console.log(`make-fixtures: wrote ${fixtures.length} fixtures to ${join(out, "manifest.json")}`);
NODE

# Where each utterance lies in the audio: measured once, kept in the manifest as the truth finals are checked against.
# (The synthesizer and the span measurement are TypeScript built with the package.)
(cd "$repo" && npx tsc -b conformance && node conformance/dist/manifest/write-spans.js "$out")

if $with_sessions; then
  # The synthesizer is TypeScript built with the package; it runs PocketSphinx on every fixture.
  (cd "$repo" && npx tsc -b conformance && node conformance/dist/azure/synthesize-sessions.js && node conformance/dist/deepgram/synthesize-sessions.js && node conformance/dist/openai/synthesize-sessions.js)
else
  echo "make-fixtures: if the audio changed, rebuild the Azure, Deepgram and OpenAI sessions too: $0 --sessions"
fi
