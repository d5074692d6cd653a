#!/usr/bin/env bash
# Sets up a fresh Debian/Ubuntu machine for sttkit: the Debian packages the offline engine, the
# fixtures and the WER cross-check need, the npm workspaces, and a build of every package.
set -euo pipefail
cd "$(dirname "$0")/.."

# openssl: the OpenAI test double makes a TLS certificate for each test run.
# ffmpeg: transcribe() and the CLI decode every non-WAV file (MP3, M4A, FLAC, Ogg, WebM, video) with it.
debian_packages=(pocketsphinx pocketsphinx-en-us pocketsphinx-testdata sctk espeak-ng sox openssl ffmpeg)

missing=()
for package in "${debian_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]} > 0)); then
  if command -v apt-get >/dev/null 2>&1; then
    sudo_cmd=()
    [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
    echo "setup: installing Debian packages: ${missing[*]}" >&2
    "${sudo_cmd[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "setup: please install these packages with your system's package manager: ${missing[*]}" >&2
    exit 1
  fi
fi

npm ci --no-audit --no-fund
npm run build
