#!/usr/bin/env bash
# Long fuzz run: bash scripts/fuzz.sh [cases-per-test] (default 100000).
# The seed is printed; rerun a failure with LW_FUZZ_SEED=<seed> bash scripts/fuzz.sh <cases>.
set -euo pipefail
cd "$(dirname "$0")/.."
export LW_FUZZ_SEED="${LW_FUZZ_SEED:-$(( $(date +%s) % 4294967296 ))}"
echo "fuzz: LW_FUZZ_CASES=${1:-100000} LW_FUZZ_SEED=${LW_FUZZ_SEED}"
LW_FUZZ_CASES="${1:-100000}" npx vitest run test/fuzz
