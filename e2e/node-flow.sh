#!/usr/bin/env bash
# The node flow with a real runtime: podman (libcni inside) attaches busybox containers in a
# throwaway node netns, first with the primary conflist alone (the baseline, and proof that
# the harness works), then through Plexus: the node agent generates Plexus's config around the
# primary and Plexus attaches the primary plus two static extra networks. Every check prints
# ok/FAIL; the last line is a summary that scripts/test-summary.sh adds to `make test`'s total.
#
# Usage: e2e/node-flow.sh            (as root, after `make publish`; installs podman & co.)
# Env:   E2E_KEEP_LOGS=1 keeps $E2E_WORK/logs of a failed run.
set -euo pipefail
# shellcheck source=e2e/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=e2e/networks.sh
source "$(dirname "$0")/networks.sh"
# shellcheck source=e2e/plexus.sh
source "$(dirname "$0")/plexus.sh"

# ADD/DEL of one container on NETWORK through podman; sets CID, SANDBOX and the T_* timings.
stage_primary() {
  echo "## stage 1: podman -> primary conflist (bridge + host-local + portmap), no Plexus"
  e2e_check "podman lists the primary network from the private conf dir" e2e_podman_has_network "$PRIMARY_NET"
  local t_add t_del cid ip sandbox
  t_add=$(e2e_time e2e_run_container web --network "$PRIMARY_NET" -p "$HOST_PORT:80") ||
    e2e_die "podman run failed: $(tail -n 5 "$E2E_WORK/logs/commands.log")"
  cid=$(e2e_podman inspect --format '{{.Id}}' web)
  e2e_serve web
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
  e2e_check "DEL released the host-local reservation" e2e_no_reservations "$PRIMARY_NET"
  e2e_check "DEL removed the libcni cache file" test ! -e "/var/lib/cni/results/$PRIMARY_NET-$cid-eth0"
  e2e_check "DEL removed the port mapping rules" e2e_no_portmap_rules
  echo "   timing: podman run (ADD) ${t_add}s, podman rm (DEL) ${t_del}s"
}

stage_plexus_config() {
  echo "## stage 2: the node agent generates Plexus's config around the primary"
  local generated=$E2E_WORK/net.d/00-plexus.conflist
  e2e_check "plexus config generate writes 00-plexus.conflist" e2e_agent_generate
  e2e_check "it wraps the primary as the cluster network (delegates[0])" \
    jq -e '.plugins[0].type == "plexus" and (.plugins[0].delegates | length) == 1
           and .plugins[0].delegates[0].name == "primary"' "$generated"
  e2e_check "it is written 0600" test "$(stat -c %a "$generated")" = 600
  e2e_check "plexus doctor finds the node's conf dir healthy" e2e_doctor
  e2e_write_static "$generated" "$E2E_WORK/net.d/50-$STATIC_NET.conflist"
  e2e_check "plexus doctor flags the second Plexus config (exit 1, foreign-meta-config)" e2e_doctor_flags_static
  e2e_check "podman lists Plexus's network and the static one" \
    e2e_podman_has_network "$PLEXUS_NET" "$STATIC_NET"
  GENERATED_IDENTITY=$(e2e_file_identity "$generated")
}

# Ten agent restarts (watch, SIGTERM) must neither change nor rewrite the generated config, even
# with another Plexus config (the static one) in the conf dir.
stage_agent_restarts() {
  local generated=$E2E_WORK/net.d/00-plexus.conflist ok=0
  for _ in $(seq 10); do
    e2e_agent_restart >>"$E2E_WORK/logs/agent.log" 2>&1 || continue
    [ "$(e2e_file_identity "$generated")" = "$GENERATED_IDENTITY" ] && ok=$((ok + 1))
  done
  e2e_check "10 agent restarts: config byte-identical and never rewritten ($ok/10)" test "$ok" = 10
}

stage_plexus_attach() {
  echo "## stage 3: podman -> plexus -> primary (eth0) + static macvlan (net1) + bridge (net2)"
  e2e_make_uplink
  local t_add t_del cid sandbox plain_sandbox ip0 ip1 ip2
  e2e_check "a container on the agent's own config gets eth0 from the primary" \
    e2e_run_container plain --network "$PLEXUS_NET"
  e2e_check "  and pings the primary gateway" e2e_exec plain ping -c1 -W2 "$PRIMARY_GW"
  plain_sandbox=$(e2e_sandbox_key plain || echo /nonexistent)
  t_add=$(e2e_time e2e_run_container multi --network "$STATIC_NET" -p "$HOST_PORT:80") ||
    e2e_die "podman run through Plexus failed: $(tail -n 5 "$E2E_WORK/logs/commands.log")"
  cid=$(e2e_podman inspect --format '{{.Id}}' multi)
  sandbox=$(e2e_sandbox_key multi)
  e2e_serve multi
  ip0=$(e2e_if_ipv4 multi eth0) ip1=$(e2e_if_ipv4 multi net1) ip2=$(e2e_if_ipv4 multi net2)
  e2e_check "eth0 is on the primary ($ip0)" e2e_in_subnet "$ip0" "$PRIMARY_PREFIX"
  e2e_check "net1 is the macvlan ($ip1)" e2e_in_subnet "$ip1" "$MACVLAN_PREFIX"
  e2e_check "net2 is the second bridge ($ip2)" e2e_in_subnet "$ip2" "$BRIDGE2_PREFIX"
  e2e_check "pings the primary gateway over eth0" e2e_exec multi ping -c1 -W2 -I eth0 "$PRIMARY_GW"
  e2e_check "pings the uplink gateway over net1" e2e_exec multi ping -c1 -W2 -I net1 "$MACVLAN_PREFIX.1"
  e2e_check "pings the second bridge's gateway over net2" e2e_exec multi ping -c1 -W2 -I net2 "$BRIDGE2_PREFIX.1"
  e2e_check "the default route is the primary's only" e2e_default_route_only_via multi eth0
  e2e_check "port mapping through Plexus reaches the container" e2e_http_body_is "$PRIMARY_GW" "$HOST_PORT" plexus-e2e
  e2e_check "node netns: both bridges, the uplink pair and 3 veths (plain eth0, multi eth0 + net2)" \
    e2e_node_links_are "$PRIMARY_BRIDGE" "$BRIDGE2" "$UPLINK" "$UPLINK-gw" 3
  e2e_check "host-local reserved one address per network" \
    test -f "$E2E_WORK/ipam/$PRIMARY_NET/$ip0" -a -f "$E2E_WORK/ipam/$MACVLAN_NET/$ip1" -a -f "$E2E_WORK/ipam/$BRIDGE2_NET/$ip2"
  e2e_check "Plexus cached the delegates for DEL" e2e_plexus_cache_has "$cid"
  e2e_check "Plexus logged that podman's CNI_ARGS carry no pod namespace (K8S_POD_NAME=multi only)" \
    e2e_plexus_logged_no_namespace
  e2e_check "libcni cached Plexus's result" test -f "/var/lib/cni/results/$STATIC_NET-$cid-eth0"
  stage_agent_restarts
  e2e_check "host unchanged while attached through Plexus" e2e_host_unchanged
  t_del=$(e2e_time e2e_podman rm -f -t0 multi)
  e2e_podman rm -f -t0 plain >/dev/null
  e2e_check "DEL removed every veth (bridges and uplink stay)" \
    e2e_node_links_are "$PRIMARY_BRIDGE" "$BRIDGE2" "$UPLINK" "$UPLINK-gw" 0
  e2e_check "DEL removed both pod netns" test ! -e "$sandbox" -a ! -e "$plain_sandbox"
  e2e_check "DEL released every host-local reservation" \
    e2e_no_reservations "$PRIMARY_NET" "$MACVLAN_NET" "$BRIDGE2_NET"
  e2e_check "DEL removed libcni's and Plexus's cache files" e2e_no_cache_for "$cid"
  e2e_check "DEL removed the port mapping rules" e2e_no_portmap_rules
  echo "   timing: podman run through Plexus (ADD, 3 networks) ${t_add}s, podman rm (DEL) ${t_del}s"
  stage_plexus_rollback
}

# A failing second attachment: podman run fails with an error naming the network, and the
# primary attached before it is rolled back (no veth, no reservation, no cache left).
stage_plexus_rollback() {
  echo "## stage 4: podman -> plexus with a broken extra network (macvlan over a missing uplink)"
  e2e_write_broken "$E2E_WORK/net.d/00-plexus.conflist" "$E2E_WORK/net.d/60-$BROKEN_NET.conflist"
  local out
  if out=$(e2e_podman run -d --name broken --cgroup-parent "$E2E_CGROUP" --network "$BROKEN_NET" \
    --rootfs "$E2E_WORK/rootfs" /bin/sleep 600 2>&1); then
    e2e_check "podman run fails when an extra network cannot attach" false
  else
    e2e_check "podman run fails and the error names the failed network" grep -q "$MACVLAN_NET" <<<"$out"
  fi
  echo "   error: $(tail -n 1 <<<"$out" | cut -c1-300)"
  e2e_podman rm -f -t0 broken >/dev/null 2>&1 || true
  e2e_check "rollback left no veth" e2e_node_links_are "$PRIMARY_BRIDGE" "$BRIDGE2" "$UPLINK" "$UPLINK-gw" 0
  e2e_check "rollback released the primary's address" e2e_no_reservations "$PRIMARY_NET" "$MACVLAN_NET" "$BRIDGE2_NET"
  e2e_check "no pod netns left behind" e2e_no_pod_netns
  # Issue 4: the runtime's DEL after a rolled-back ADD must succeed and leave nothing.
  e2e_check "the runtime's DEL after the rollback left no Plexus cache file" e2e_plexus_cache_empty
}

e2e_serve() {
  e2e_exec "$1" sh -c 'mkdir -p /www && echo plexus-e2e > /www/index.html && httpd -p 80 -h /www'
}

if reason=$(e2e_unavailable_reason); then
  echo "e2e: SKIPPED: podman node flow not run: $reason"
  exit 0
fi
[ -x "$PLEXUS" ] || e2e_die "$PLEXUS is missing: run make publish first (make e2e does)"

e2e_init
t_start=$(date +%s%N)
e2e_write_primary "$E2E_WORK/net.d/10-primary.conflist"
stage_primary
stage_plexus_config
stage_plexus_attach
e2e_check "host unchanged at the end" e2e_host_unchanged
t_total=$((($(date +%s%N) - t_start) / 1000000))
echo "   node flow took $((t_total / 1000)).$(printf '%03d' $((t_total % 1000)))s"
e2e_summary "e2e/node-flow.sh (podman $(podman --version | awk '{print $3}'))"
