#!/usr/bin/env bash
# Adds up the per-assembly totals `dotnet test` prints into one plain closing line.
set -euo pipefail
log=$1
awk '
  /^(Passed|Failed)!/ {
    for (i = 1; i <= NF; i++) {
      if ($i == "Failed:") f += $(i+1) + 0
      if ($i == "Passed:") p += $(i+1) + 0
      if ($i == "Skipped:") s += $(i+1) + 0
    }
  }
  END { printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$log"
