#!/usr/bin/env bash
# The main job: transcribe a recording with the default (offline) provider, printing each final
# transcript with its timing and the word error rate against the reference. The recording is an
# everyday file: a 44.1 kHz stereo MP3 made here by ffmpeg from a shipped LibriVox fixture, which
# sttkit decodes with ffmpeg as it streams it to the engine.
set -euo pipefail
cd "$(dirname "$0")/.."
fixture=conformance/fixtures/audio/librivox-multi.wav
workdir=$(mktemp -d)
trap 'rm -rf "$workdir"' EXIT
sample="$workdir/librivox-multi.mp3"
ffmpeg -nostdin -loglevel error -i "$fixture" -ar 44100 -ac 2 -b:a 128k "$sample"
echo "sttkit: transcribing $sample (a 44.1 kHz stereo MP3 of $fixture, LibriVox, public domain) with the default provider" >&2
npx --no-install sttkit transcribe "$sample" --reference-file "${fixture%.wav}.txt" "$@"
