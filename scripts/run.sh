#!/usr/bin/env bash
# The main job: installs what is missing, builds, then opens the studio when a display is
# available, otherwise prints the report of the default scenario. Extra arguments go to
# `cxsim run` (e.g. scripts/run.sh --reps 40).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)"
if [ -n "${DISPLAY:-}" ] && [ -x build/cxstudio ]; then
  exec build/cxstudio scenarios/default.toml
fi
exec build/cxsim run scenarios/default.toml "$@"
