# shellcheck shell=bash
# The node's networks for the e2e flow and the checks on what they leave behind. All of it
# lives in the node netns ($E2E_NODE), so the private ranges below never reach the host.
# shellcheck disable=SC2034  # the names below are used by node-flow.sh, which sources this file

PRIMARY_NET=primary
PRIMARY_BRIDGE=cni0
PRIMARY_PREFIX=10.99.0
PRIMARY_GW=10.99.0.1
HOST_PORT=18080
# Static extra networks Plexus attaches to every container (no Kubernetes: podman passes only
# K8S_POD_NAME): a macvlan over one end of a veth "uplink" whose other end is the gateway, and
# a second bridge.
MACVLAN_NET=macvlan-data
MACVLAN_PREFIX=10.99.1
UPLINK=uplink0
BRIDGE2_NET=bridge-data
BRIDGE2=br-data
BRIDGE2_PREFIX=10.99.2
PLEXUS_NET=plexus-cni-network
STATIC_NET=plexus-static
BROKEN_NET=plexus-broken

# host-local's dataDir is per run: a reservation is a file named after the address. Only the
# cluster network gets the default route.
e2e_host_local() {
  local prefix=$1 routes=${2:-[]}
  cat <<EOF
{"type": "host-local", "dataDir": "$E2E_WORK/ipam",
 "ranges": [[{"subnet": "$prefix.0/24", "gateway": "$prefix.1"}]],
 "routes": $routes}
EOF
}

# The cluster network a node would have: bridge + host-local + portmap, as Debian ships them.
e2e_write_primary() {
  cat >"$1" <<EOF
{
  "cniVersion": "1.0.0",
  "name": "$PRIMARY_NET",
  "plugins": [
    {"type": "bridge", "bridge": "$PRIMARY_BRIDGE", "isGateway": true, "ipMasq": false,
     "hairpinMode": true, "ipam": $(e2e_host_local "$PRIMARY_PREFIX" '[{"dst": "0.0.0.0/0"}]')},
    {"type": "portmap", "capabilities": {"portMappings": true}}
  ]
}
EOF
}

e2e_macvlan_conf() {
  cat <<EOF
{"cniVersion": "1.0.0", "name": "$MACVLAN_NET", "plugins": [
  {"type": "macvlan", "master": "$UPLINK", "mode": "bridge", "ipam": $(e2e_host_local "$MACVLAN_PREFIX")}]}
EOF
}

e2e_bridge2_conf() {
  cat <<EOF
{"cniVersion": "1.0.0", "name": "$BRIDGE2_NET", "plugins": [
  {"type": "bridge", "bridge": "$BRIDGE2", "isGateway": true, "ipMasq": false,
   "ipam": $(e2e_host_local "$BRIDGE2_PREFIX")}]}
EOF
}

# The macvlan's uplink: one end of a veth pair in the node netns, the gateway address on the other.
e2e_make_uplink() {
  ip -n "$E2E_NODE" link add "$UPLINK" type veth peer name "$UPLINK-gw"
  ip -n "$E2E_NODE" addr add "$MACVLAN_PREFIX.1/24" dev "$UPLINK-gw"
  ip -n "$E2E_NODE" link set "$UPLINK" up
  ip -n "$E2E_NODE" link set "$UPLINK-gw" up
}

# e2e_write_static GENERATED OUT: the agent's config with the two extra networks appended to its
# static delegates, as its own network. The agent must skip this file: it is a meta-plugin config.
e2e_write_static() {
  jq --argjson mv "$(e2e_macvlan_conf)" --argjson br "$(e2e_bridge2_conf)" --arg name "$STATIC_NET" \
    '.name = $name | .plugins[0].delegates += [$mv, $br]' "$1" >"$2"
}

# e2e_write_broken GENERATED OUT: the extras again, but the macvlan's uplink does not exist, so
# the second attachment fails after the primary succeeded: Plexus must roll the primary back.
e2e_write_broken() {
  jq --argjson mv "$(e2e_macvlan_conf | jq '.plugins[0].master = "nosuchlink"')" --argjson br "$(e2e_bridge2_conf)" \
    --arg name "$BROKEN_NET" '.name = $name | .plugins[0].delegates += [$mv, $br]' "$1" >"$2"
}

# No reservation left in these networks' host-local dataDirs (only lock and last_reserved_ip stay).
e2e_no_reservations() {
  local net
  for net in "$@"; do
    [ -d "$E2E_WORK/ipam/$net" ] || continue
    ! find "$E2E_WORK/ipam/$net" -type f ! -name lock ! -name 'last_reserved_ip.*' | grep . || return 1
  done
}

e2e_default_route_only_via() {
  local routes
  # busybox's ip ignores the "default" selector: filter the full table.
  routes=$(e2e_exec "$1" ip route | grep '^default' || true)
  echo "default routes: $routes"
  [ "$(grep -c . <<<"$routes")" = 1 ] && grep -q "dev $2" <<<"$routes"
}

e2e_if_ipv4() {
  e2e_exec "$1" ip -4 -o addr show dev "$2" | awk '{split($4, a, "/"); print a[1]; exit}'
}

e2e_in_subnet() { [[ $1 == "$2".* ]]; }

# e2e_node_links_are BRIDGE... VETH_COUNT: the node netns holds exactly these bridges (and
# uplinks, if any) plus VETH_COUNT pod veths.
e2e_node_links_are() {
  local want_veths=${*: -1}
  local links
  links=$(ip -n "$E2E_NODE" -br link | awk '{sub(/@.*/, "", $1); print $1}')
  echo "node links: $(echo "$links" | tr '\n' ' ')"
  local l
  for l in "${@:1:$#-1}"; do
    grep -qx "$l" <<<"$links" || { echo "missing $l"; return 1; }
  done
  local veths
  veths=$(grep -c '^veth' <<<"$links" || true)
  [ "$veths" = "$want_veths" ] || { echo "expected $want_veths pod veths, found $veths"; return 1; }
}

# portmap keeps its top-level chains; a leaked mapping shows as a per-container CNI-DN chain.
e2e_no_portmap_rules() {
  ! ip netns exec "$E2E_NODE" iptables-save | grep -E 'CNI-DN-|--dport '"$HOST_PORT"
}

# An HTTP GET from the node netns (bash's /dev/tcp: static busybox wget crashes resolving).
e2e_node_http_get() {
  # shellcheck disable=SC2016  # $1/$2 expand in the inner bash, inside the node netns
  e2e_node timeout 5 bash -c 'exec 3<>"/dev/tcp/$1/$2" && printf "GET / HTTP/1.0\r\n\r\n" >&3 && cat <&3' _ "$1" "$2"
}

# e2e_http_body_is HOST PORT BODY: the portmap DNAT path ends at the container's httpd.
e2e_http_body_is() {
  local body
  body=$(e2e_node_http_get "$1" "$2" | tail -n 1)
  echo "got: $body"
  [ "$body" = "$3" ]
}

e2e_podman_has_network() {
  local names net
  names=$(e2e_podman network ls --format '{{.Name}}')
  echo "podman networks: $(echo "$names" | tr '\n' ' ')"
  for net in "$@"; do
    grep -qx "$net" <<<"$names" || return 1
  done
}
