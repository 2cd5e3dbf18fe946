#!/usr/bin/env bash
# Installs every Debian 12 package CX Sim builds, tests or runs with, skipping what is present.
# Works as root or through sudo; never asks a question. Usage: scripts/setup.sh [--gui-only|--quiet]
set -euo pipefail

packages=(
  build-essential cmake pkg-config python3
  libeigen3-dev doctest-dev libtomlplusplus-dev nlohmann-json3-dev libcli11-dev libfmt-dev
  libimgui-dev libglfw3-dev python3-glad libgl-dev libstb-dev fonts-dejavu-core
  libglpk-dev
  xvfb xauth libgl1-mesa-dri
  libbenchmark-dev
  libopenmpi-dev openmpi-bin
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  sudo_cmd=()
elif command -v sudo >/dev/null 2>&1; then
  sudo_cmd=(sudo -n)
  if ! sudo -n true 2>/dev/null; then sudo_cmd=(sudo); fi
else
  echo "setup: need root or sudo to install: ${missing[*]}" >&2
  exit 1
fi

echo "setup: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
"${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
