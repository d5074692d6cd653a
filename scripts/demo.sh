#!/usr/bin/env bash
# The main job: transcribe a shipped LibriVox recording with the default (offline) provider,
# printing each final transcript with its timing and the word error rate against the reference.
set -euo pipefail
cd "$(dirname "$0")/.."
sample=conformance/fixtures/audio/librivox-multi.wav
echo "sttkit: transcribing $sample (LibriVox, public domain) with the default provider" >&2
npx --no-install sttkit transcribe "$sample" --reference-file "${sample%.wav}.txt" "$@"
