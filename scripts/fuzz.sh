#!/usr/bin/env bash
# Long fuzz run: bash scripts/fuzz.sh [cases-per-test] [channel-cases] (defaults 100000 and
# cases/100, at least 200). The channel fuzz (test/fuzz/channel.fuzz.test.ts) replays a whole
# channel life per case, so it gets its own, smaller count.
# The seed is printed; rerun a failure with LW_FUZZ_SEED=<seed> bash scripts/fuzz.sh <cases> [channel-cases].
set -euo pipefail
cd "$(dirname "$0")/.."
export LW_FUZZ_SEED="${LW_FUZZ_SEED:-$(( $(date +%s) % 4294967296 ))}"
CASES="${1:-100000}"
CHANNEL_CASES="${2:-$(( CASES / 100 > 200 ? CASES / 100 : 200 ))}"
echo "fuzz: LW_FUZZ_CASES=${CASES} (channel: ${CHANNEL_CASES}) LW_FUZZ_SEED=${LW_FUZZ_SEED}"
LW_FUZZ_CASES="${CASES}" npx vitest run test/fuzz --exclude test/fuzz/channel.fuzz.test.ts
LW_FUZZ_CASES="${CHANNEL_CASES}" npx vitest run test/fuzz/channel.fuzz.test.ts
