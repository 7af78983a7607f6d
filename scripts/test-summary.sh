#!/usr/bin/env bash
# Closes a test run with its failures, compactly (CI may show only the tail of the log): each failed test's name,
# the first lines of its error message and its first stack frame, each test a hung or crashed test host was running,
# and each failed e2e check; then the per-assembly totals `dotnet test` prints, added up into one plain line.
set -euo pipefail
log=$1
awk '
  /^  Failed / { print "FAILED TEST:" substr($0, 9); mode = "head"; shown = 0; next }
  /^  FAIL / { print "FAILED CHECK:" substr($0, 7); next }
  /^The tests? running when the crash occurred:/ { mode = "aborted"; aborted++; next }
  mode == "aborted" && /^This test may/ { mode = ""; next }
  mode == "aborted" && NF > 0 { print "ABORTED (hung past the blame timeout, or crashed) while running: " $0; next }
  mode == "head" && /^  Error Message:/ { mode = "message"; next }
  mode == "message" && /^  Stack Trace:/ { mode = "stack"; next }
  mode == "message" && shown < 4 { print "    " substr($0, 1, 240); shown++; next }
  mode == "stack" { sub(/^ +/, ""); print "    " substr($0, 1, 240); mode = ""; next }
  /^(Passed|Failed)!/ {
    mode = ""
    for (i = 1; i <= NF; i++) {
      if ($i == "Failed:") f += $(i+1) + 0
      if ($i == "Passed:") p += $(i+1) + 0
      if ($i == "Skipped:") s += $(i+1) + 0
    }
  }
  END {
    printf "%d passed, %d failed, %d skipped", p, f, s
    if (aborted) printf ", %d test runs aborted (their assemblies are missing from the totals)", aborted
    printf "\n"
  }' "$log"
