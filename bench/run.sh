#!/usr/bin/env bash
# Runs the benchmarks, each row next to its same-run baseline, and writes
# bench/results/latest.json. As root, the whole run happens inside a throwaway "node" network
# namespace (with a veth pair as the macvlan uplink), so bridges and routes never touch the host.
# Pass-through args: --iterations N --warmup N --only version,add-del-static,...
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build -c Release bench/Plexus.Bench -v quiet --nologo >/dev/null
bench=(dotnet "artifacts/build/bin/Plexus.Bench/release/Plexus.Bench.dll")
if [ "$(id -u)" != 0 ]; then
  exec "${bench[@]}" "$@"
fi
node=plx-bench-node-$$
cleanup() {
  ip netns list | awk '/^plx-bench-/{print $1}' | xargs -r -n1 ip netns del 2>/dev/null || true
}
trap cleanup EXIT
ip netns add "$node"
ip -n "$node" link set lo up
ip -n "$node" link add uplink0 type veth peer name uplink0-peer
ip -n "$node" link set uplink0 up
ip -n "$node" link set uplink0-peer up
ip netns exec "$node" env PLEXUS_BENCH_NODE="$node" PLEXUS_BENCH_UPLINK=uplink0 "${bench[@]}" "$@"
