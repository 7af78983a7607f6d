#!/usr/bin/env bash
# The node flow with a real runtime: podman (libcni inside) attaches busybox containers in a
# throwaway node netns, first with the primary conflist alone (the baseline, and proof that
# the harness works), then through Plexus. Every check prints ok/FAIL; the last line is a
# summary that scripts/test-summary.sh adds to `make test`'s total.
#
# Usage: e2e/node-flow.sh            (as root; installs podman & co. when missing)
# Env:   E2E_KEEP_LOGS=1 keeps $E2E_WORK/logs of a failed run.
set -euo pipefail
# shellcheck source=e2e/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=e2e/networks.sh
source "$(dirname "$0")/networks.sh"

if reason=$(e2e_unavailable_reason); then
  echo "e2e: SKIPPED: podman node flow not run: $reason"
  exit 0
fi

e2e_init
t_start=$(date +%s%N)
e2e_write_primary "$E2E_WORK/net.d/10-primary.conflist"

# --- stage 1: the primary network alone ------------------------------------------------
echo "## stage 1: podman -> primary conflist (bridge + host-local + portmap), no Plexus"
e2e_check "podman lists the primary network from the private conf dir" \
  e2e_podman_has_network "$PRIMARY_NET"
t_add=$(e2e_time e2e_run_container web --network "$PRIMARY_NET" -p "$HOST_PORT:80") ||
  e2e_die "podman run failed: $(tail -n 5 "$E2E_WORK/logs/commands.log")"
cid=$(e2e_podman inspect --format '{{.Id}}' web)
e2e_exec web sh -c 'mkdir -p /www && echo plexus-e2e > /www/index.html && httpd -p 80 -h /www'
ip=$(e2e_if_ipv4 web eth0)
e2e_check "eth0 has an address from the primary range ($ip)" e2e_in_subnet "$ip" "$PRIMARY_PREFIX"
e2e_check "container pings the primary gateway" e2e_exec web ping -c1 -W2 "$PRIMARY_GW"
e2e_check "portmap forwards node:$HOST_PORT to the container's port 80" \
  e2e_http_body_is "$PRIMARY_GW" "$HOST_PORT" plexus-e2e
e2e_check "node netns has the primary bridge and one veth" e2e_node_links_are "$PRIMARY_BRIDGE" 1
e2e_check "host-local reserved $ip in the private dataDir" test -f "$E2E_WORK/ipam/$PRIMARY_NET/$ip"
e2e_check "libcni cached the result" test -f "/var/lib/cni/results/$PRIMARY_NET-$cid-eth0"
e2e_check "host links, addresses, routes, sysctls and iptables unchanged while running" e2e_host_unchanged
sandbox=$(e2e_sandbox_key web)
t_del=$(e2e_time e2e_podman rm -f -t0 web)
e2e_check "DEL removed the veth (only the bridge is left)" e2e_node_links_are "$PRIMARY_BRIDGE" 0
e2e_check "DEL removed the pod netns $sandbox" test ! -e "$sandbox"
e2e_check "DEL released the host-local reservation" test ! -e "$E2E_WORK/ipam/$PRIMARY_NET/$ip"
e2e_check "DEL removed the libcni cache file" test ! -e "/var/lib/cni/results/$PRIMARY_NET-$cid-eth0"
e2e_check "DEL removed the port mapping rules" e2e_no_portmap_rules
echo "   podman run (ADD) ${t_add}s, podman rm (DEL) ${t_del}s"

e2e_cleanup_checks() {
  e2e_check "host unchanged at the end" e2e_host_unchanged
}
e2e_cleanup_checks
t_total=$(( ($(date +%s%N) - t_start) / 1000000 ))
echo "   node flow took $((t_total / 1000)).$(printf '%03d' $((t_total % 1000)))s"
e2e_summary "e2e/node-flow.sh (podman $(podman --version | awk '{print $3}'))"
