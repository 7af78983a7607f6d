#!/usr/bin/env bash
# `make fuzz`: builds the fuzz driver, instruments Plexus's assemblies with SharpFuzz and runs
# AFL++ on every target (or those named in FUZZ_TARGETS) for FUZZ_SECONDS each. New crashes and
# hangs are copied into tests/Plexus.Fuzz/crashers/<target>/, where Plexus.Fuzz.Tests replays them.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
seconds="${FUZZ_SECONDS:-60}"
out="$root/artifacts/fuzz"
bin="$out/bin"
bash "$root/scripts/install-deps.sh" afl++
cd "$here"
dotnet tool restore >/dev/null
rm -rf "$bin"
dotnet publish Plexus.Fuzz.csproj -c Release -o "$bin" --nologo -v quiet
# Only Plexus's own code is instrumented: coverage of the BCL and the Kubernetes client would
# drown the signal that matters and slow every execution.
for dll in Plexus.Cni Plexus.Core Plexus.Daemon Plexus.Daemon.Protocol Plexus.Http Plexus.Kube Plexus.Kubelet; do
  dotnet sharpfuzz "$bin/$dll.dll" >/dev/null
done
targets="${FUZZ_TARGETS:-$(ls "$here/corpus")}"
export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_NO_AFFINITY=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1
# AFL++ ends the driver with SIGKILL, and SharpFuzz's worker process dies on every crash and hang: a
# JIT runtime ended that way leaves its debugger pipes and diagnostics socket in /tmp for good, and
# fuzzing needs neither.
export DOTNET_EnableDiagnostics=0
summary="$out/summary.txt"
printf '%-12s %10s %8s %6s %6s\n' target execs paths crash hang > "$summary"
for target in $targets; do
  findings="$out/findings/$target"
  rm -rf "$findings" && mkdir -p "$out/findings"
  # -t: a parse that takes over 5 s on this input is a hang (the whole process starts in well under that).
  timeout $((seconds + 120)) afl-fuzz -V "$seconds" -t 5000 -m none -i "$here/corpus/$target" -o "$findings" \
    -- dotnet "$bin/Plexus.Fuzz.dll" "$target" > "$out/$target.log" 2>&1 || true
  stats="$findings/default/fuzzer_stats"
  stat() { awk -F' *: *' -v k="$1" '$1 == k { print $2 }' "$stats" 2>/dev/null || true; }
  crashes=0
  for kind in crashes hangs; do
    for f in "$findings"/default/$kind/id:*; do
      [ -e "$f" ] || continue
      mkdir -p "$here/crashers/$target"
      cp "$f" "$here/crashers/$target/$(sha1sum "$f" | cut -c1-16)"
      crashes=$((crashes + 1))
    done
  done
  printf '%-12s %10s %8s %6s %6s\n' "$target" "$(stat execs_done)" "$(stat corpus_count)" \
    "$(stat saved_crashes)" "$(stat saved_hangs)" >> "$summary"
done
cat "$summary"
