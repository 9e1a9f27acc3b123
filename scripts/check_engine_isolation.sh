#!/usr/bin/env bash
# Boundary rule 1: patentbridge_engine never imports django or patentbridge.
set -euo pipefail
cd "$(dirname "$0")/.."
if grep -rnE '^\s*(import|from)\s+(django|patentbridge)(\.|\s|$)' src/patentbridge_engine; then
  echo "error: patentbridge_engine imports Django or the web project" >&2
  exit 1
fi
echo "engine isolation: ok"
