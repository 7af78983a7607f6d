#!/usr/bin/env bash
# Regeneration latency of `plexus config watch`: how long after a primary CNI config changes
# on disk the new 00-plexus.conflist is in place. Each round replaces the primary atomically
# (temp + rename, as CNI installers do) with a new marker value, then waits for the marker to
# appear in Plexus's config. Reports median and p99 over the rounds (includes the 10 ms debounce).
# Usage: bench/agent-regen.sh [ROUNDS]   (needs artifacts/bin/plexus: `make publish`)
set -euo pipefail
cd "$(dirname "$0")/.."
PLEXUS=${PLEXUS:-$PWD/artifacts/bin/plexus}
ROUNDS=${1:-200}
[[ -x $PLEXUS ]] || { echo "agent-regen: $PLEXUS not found; run make publish first" >&2; exit 2; }
work=$(mktemp -d /tmp/plexus-agent-bench.XXXXXX)
agent=""
cleanup() {
  [[ -n $agent ]] && kill "$agent" 2>/dev/null && wait "$agent" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/net.d"
cp tests/Plexus.NodeAgent.Tests/TestData/confdirs/rke2-canal/10-canal.conflist "$work/net.d/"
"$PLEXUS" config watch --conf-dir "$work/net.d" --backup-dir "$work/backups" 2>"$work/agent.log" &
agent=$!
python3 - "$work/net.d" "$ROUNDS" <<'PY'
import json, os, statistics, sys, time
conf_dir, rounds = sys.argv[1], int(sys.argv[2])
primary = os.path.join(conf_dir, "10-canal.conflist")
output = os.path.join(conf_dir, "00-plexus.conflist")
base = json.load(open(primary))

def wait_for(marker, limit=10.0):
    deadline = time.perf_counter() + limit
    while time.perf_counter() < deadline:
        try:
            with open(output, "rb") as f:
                if marker in f.read():
                    return True
        except FileNotFoundError:
            pass
        time.sleep(0.0002)
    return False

if not wait_for(b'"k8s-pod-network"'):
    sys.exit("agent-regen: the agent never wrote its first config")
latencies = []
for i in range(rounds + 10):
    marker = f"round-{i}-{time.time_ns()}"
    base["plugins"][0]["nodename"] = marker
    temp = primary + ".tmp"
    with open(temp, "w") as f:
        json.dump(base, f)
    start = time.perf_counter()
    os.rename(temp, primary)
    if not wait_for(marker.encode()):
        sys.exit(f"agent-regen: round {i}: config not regenerated within 10 s")
    if i >= 10:  # the first rounds warm up the agent
        latencies.append((time.perf_counter() - start) * 1000)
    time.sleep(0.03)
latencies.sort()
p99 = latencies[min(len(latencies) - 1, int(round(0.99 * len(latencies))) - 1)]
print(f"plexus config watch: regeneration after a primary change, {len(latencies)} rounds: "
      f"median {statistics.median(latencies):.1f} ms, p99 {p99:.1f} ms, max {latencies[-1]:.1f} ms")
PY
