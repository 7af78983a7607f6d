#!/usr/bin/env bash
# The Plexus product tour on an embedded default: a simulated Kubernetes API, a throwaway
# "node" network namespace with a primary CNI config and a veth uplink, Plexus's node agent,
# and a pod namespace that Plexus attaches to three networks exactly as a container runtime
# would (libcni-style CNI_* env, the generated config on stdin). Real reference plugins from
# /usr/lib/cni do the work; nothing touches the host's own interfaces, routes or iptables, and
# everything is removed at the end (also on failure or Ctrl-C).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=$ROOT/artifacts/bin
CNI_PLUGINS=/usr/lib/cni
RUN=$(head -c3 /dev/urandom | od -An -tx1 | tr -d ' \n')
WORK=$(mktemp -d "${TMPDIR:-/tmp}/plexus-demo.XXXXXX")
NODE=plx-demo-node-$RUN
POD=plx-demo-pod-$RUN
CONTAINER_ID=demo$RUN
SIM_PID=

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
show() { printf '$ %s\n' "$*"; "$@"; }

cleanup() {
  set +e
  [ -n "$SIM_PID" ] && kill "$SIM_PID" 2>/dev/null && wait "$SIM_PID" 2>/dev/null
  ip netns del "$POD" 2>/dev/null
  ip netns del "$NODE" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for tool in "$BIN/plexus" "$BIN/kube-sim" "$CNI_PLUGINS/bridge" /usr/bin/kubectl /usr/bin/jq; do
  [ -x "$tool" ] || { echo "demo: $tool is missing; run 'make demo' (it installs and builds everything)" >&2; exit 1; }
done
mkdir -p "$WORK"/{net.d,plexus.d,cache,ipam,backup}

step "1. plexus is a NativeAOT CNI plugin: VERSION"
CNI_COMMAND=VERSION "$BIN/plexus" | jq -c .

step "2. A simulated Kubernetes API server inside the node namespace; the real kubectl talks to it"
# The node namespace has its own loopback: the API server runs there so the plugin can reach it.
ip netns add "$NODE"
ip -n "$NODE" link set lo up
kubectl() { ip netns exec "$NODE" /usr/bin/kubectl "$@"; }
ip netns exec "$NODE" "$BIN/kube-sim" --port 0 --kubeconfig-out "$WORK/kubeconfig" >"$WORK/kube-sim.out" 2>"$WORK/kube-sim.log" &
SIM_PID=$!
for _ in $(seq 100); do [ -s "$WORK/kube-sim.out" ] && break; sleep 0.1; done
[ -s "$WORK/kube-sim.out" ] || { echo "demo: kube-sim did not start:" >&2; cat "$WORK/kube-sim.log" >&2; exit 1; }
export KUBECONFIG=$WORK/kubeconfig
# kubectl's discovery cache goes with the demo's files, not into $HOME/.kube/cache, where it would outlive the demo.
export KUBECACHEDIR=$WORK/kube-cache
echo "API server: $(head -1 "$WORK/kube-sim.out")"
echo "\$ kubectl apply -f deploy/crd.yaml"
kubectl apply -f "$ROOT/deploy/crd.yaml"
kubectl apply -f - <<YAML
apiVersion: k8s.cni.cncf.io/v1
kind: NetworkAttachmentDefinition
metadata: {name: macvlan-a, namespace: default}
spec:
  config: '{"cniVersion":"1.0.0","name":"macvlan-a","plugins":[{"type":"macvlan","master":"uplink0","mode":"bridge",
    "ipam":{"type":"host-local","dataDir":"$WORK/ipam","ranges":[[{"subnet":"192.0.2.0/24","gateway":"192.0.2.1"}]]}}]}'
---
apiVersion: k8s.cni.cncf.io/v1
kind: NetworkAttachmentDefinition
metadata: {name: bridge-b, namespace: default}
spec:
  config: '{"cniVersion":"1.0.0","name":"bridge-b","type":"bridge","bridge":"br-b","isGateway":true,
    "ipam":{"type":"host-local","dataDir":"$WORK/ipam","ranges":[[{"subnet":"198.51.100.0/24"}]]}}'
---
apiVersion: v1
kind: Pod
metadata:
  name: demo
  namespace: default
  annotations:
    k8s.v1.cni.cncf.io/networks: macvlan-a,default/bridge-b@data0
spec:
  nodeName: demo-node
  containers: [{name: app, image: busybox}]
YAML
echo "\$ kubectl get net-attach-def -A"
kubectl get net-attach-def -A

step "3. The node: a veth uplink for macvlan and a primary CNI config; the pod's namespace beside it"
ip netns add "$POD"
ip -n "$NODE" link add uplink0 type veth peer name uplink0-peer
ip -n "$NODE" link set uplink0 up
ip -n "$NODE" link set uplink0-peer up
cat >"$WORK/net.d/10-primary.conflist" <<JSON
{"cniVersion":"1.0.0","name":"primary","plugins":[
  {"type":"bridge","bridge":"cni0","isGateway":true,"ipMasq":false,
   "ipam":{"type":"host-local","dataDir":"$WORK/ipam","ranges":[[{"subnet":"10.88.0.0/24"}]],"routes":[{"dst":"0.0.0.0/0"}]}},
  {"type":"portmap","capabilities":{"portMappings":true}}]}
JSON
echo "conf dir: $(ls "$WORK/net.d")"

step "4. The node agent generates Plexus's config around the primary (run twice: idempotent)"
agent_args=(config generate --conf-dir "$WORK/net.d" --kubeconfig-path "$WORK/kubeconfig"
  --net-conf-dir "$WORK/plexus.d" --cni-cache-dir "$WORK/cache" --bin-dir "$CNI_PLUGINS"
  --backup-dir "$WORK/backup")
"$BIN/plexus" "${agent_args[@]}"
first=$(sha256sum <"$WORK/net.d/00-plexus.conflist")
"$BIN/plexus" "${agent_args[@]}"
[ "$first" = "$(sha256sum <"$WORK/net.d/00-plexus.conflist")" ] && echo "second run: byte-identical"
jq -c '.plugins[0] | {type, kubeconfig, cniDir, clusterNetwork: (.delegates[0].name // .clusterNetwork)}' "$WORK/net.d/00-plexus.conflist"

step "5. ADD: the runtime runs plexus in the node namespace for the pod's sandbox"
pod_uid=$(kubectl get pod demo -o jsonpath='{.metadata.uid}')
conflist=$WORK/net.d/00-plexus.conflist
# What libcni sends for a one-plugin conflist: the plugin with the list's name and cniVersion.
jq -c '.plugins[0] + {name: .name, cniVersion: .cniVersion}' "$conflist" >"$WORK/stdin.json"
cni() {
  ip netns exec "$NODE" env -i CNI_COMMAND="$1" CNI_CONTAINERID="$CONTAINER_ID" CNI_NETNS="/run/netns/$POD" \
    CNI_IFNAME=eth0 CNI_PATH="$BIN:$CNI_PLUGINS" \
    CNI_ARGS="IgnoreUnknown=1;K8S_POD_NAMESPACE=default;K8S_POD_NAME=demo;K8S_POD_INFRA_CONTAINER_ID=$CONTAINER_ID;K8S_POD_UID=$pod_uid" \
    "$BIN/plexus" <"$WORK/stdin.json"
}
cni ADD >"$WORK/add.json" || { echo "demo: ADD failed:" >&2; cat "$WORK/add.json" >&2; exit 1; }
jq -c "{cniVersion, interfaces: [.interfaces[]?.name], ips: [.ips[]?.address]}" "$WORK/add.json"

step "6. Inside the pod: three interfaces from three networks"
show ip -n "$POD" -br addr
show ip -n "$POD" route
echo "network-status annotation written to the pod:"
kubectl get pod demo -o json | jq -r '.metadata.annotations["k8s.v1.cni.cncf.io/network-status"]' | jq -c '.[]'
echo "events:"
kubectl get events -o json | jq -r '.items[] | "  \(.type) \(.reason): \(.message)"'

step "7. plexus doctor checks the conf dir"
"$BIN/plexus" doctor --conf-dir "$WORK/net.d" --bin-dir "$BIN:$CNI_PLUGINS"

step "8. DEL: every attachment removed, addresses released (DEL twice is harmless)"
cni DEL && cni DEL && echo "DEL ok (twice)"
show ip -n "$POD" -br link
leases=$(find "$WORK/ipam" -type f ! -name 'last_reserved_ip*' ! -name lock | wc -l)
echo "host-local reservations left: $leases"

step "9. Teardown"
cleanup
trap - EXIT
echo "removed the simulator, the node and pod namespaces and $WORK"
