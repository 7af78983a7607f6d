#!/usr/bin/env bash
# Runs the benchmarks, each row next to its same-run baseline, prints one table and writes
# bench/results/latest.json. As root, the whole run happens inside a throwaway "node" network
# namespace (with a veth pair as the macvlan uplink), so bridges, routes and plexusd's metrics
# port never touch the host; pod namespaces are created beside it and all are removed on exit.
# Pass-through args: --iterations N --warmup N --throughput-iterations N
#                    --only version,add-del,api-requests,throughput,daemon,agent
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build -c Release bench/Plexus.Bench -v quiet --nologo >/dev/null
bench=(dotnet "artifacts/build/bin/Plexus.Bench/release/Plexus.Bench.dll")
if [ "$(id -u)" != 0 ]; then
  exec "${bench[@]}" "$@"
fi
run=$$
node=plx-bench-$run-node
cleanup() {
  # A bench killed mid-run may leave plexusd or a plugin behind in the node namespace.
  ip netns pids "$node" 2>/dev/null | xargs -r kill -9 2>/dev/null || true
  # Only this run's namespaces: the node and the pods the bench names plx-bench-<run>-*.
  ip netns list 2>/dev/null | awk -v p="plx-bench-$run-" 'index($1, p) == 1 {print $1}' | xargs -r -n1 ip netns del 2>/dev/null || true
}
trap cleanup EXIT
ip netns add "$node"
ip -n "$node" link set lo up
ip -n "$node" link add uplink0 type veth peer name uplink0-peer
ip -n "$node" link set uplink0 up
ip -n "$node" link set uplink0-peer up
ip netns exec "$node" env PLEXUS_BENCH_NODE="$node" PLEXUS_BENCH_RUN="$run" PLEXUS_BENCH_UPLINK=uplink0 "${bench[@]}" "$@"
