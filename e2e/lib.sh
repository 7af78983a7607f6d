# shellcheck shell=bash
# Plexus end-to-end helpers: a real container runtime (podman 4.3, CNI backend, runc, an
# image-less busybox rootfs) confined to a private work dir and a throwaway "node" network
# namespace. Source it, call e2e_init, then drive podman through e2e_podman.
#
# Isolation model:
# - podman, conmon and every CNI plugin run inside the node netns (nsenter --net), so bridges,
#   veth host ends, iptables rules and sysctls land there; pod namespaces are fresh netns
#   beside it. The host's links, addresses, routes and firewall are snapshotted before and
#   compared while containers run and after cleanup.
# - podman reads only $E2E_WORK/containers.conf and storage.conf (vfs storage, runc,
#   cgroupfs under a per-run cgroup parent); host-local keeps its leases under $E2E_WORK.
# - The cleanup trap always runs: containers, pod and node namespaces, mounts, cgroups, storage.

E2E_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
E2E_PACKAGES=(podman runc conmon busybox-static containernetworking-plugins iproute2 iptables jq)
E2E_PASSED=0
E2E_FAILED=0

e2e_log() { printf '[e2e %(%T)T] %s\n' -1 "$*" >&2; }

e2e_die() {
  printf '[e2e %(%T)T] FATAL: %s\n' -1 "$*" >&2
  exit 1
}

# e2e_check DESCRIPTION COMMAND...: one named assertion; failures are counted, not fatal,
# so a run reports every broken expectation at once.
e2e_check() {
  local what=$1
  shift
  if "$@" >"$E2E_WORK/logs/check.out" 2>&1; then
    E2E_PASSED=$((E2E_PASSED + 1))
    printf '  ok   %s\n' "$what"
  else
    E2E_FAILED=$((E2E_FAILED + 1))
    printf '  FAIL %s\n' "$what"
    sed 's/^/       | /' "$E2E_WORK/logs/check.out" | head -n 40
  fi
}

# Prints why this machine cannot run the flow (and returns 1), installing what is missing.
e2e_unavailable_reason() {
  if [ "$(id -u)" != 0 ]; then
    echo "needs root (network namespaces, podman rootful)"
    return 0
  fi
  if ! bash "$E2E_ROOT/scripts/install-deps.sh" "${E2E_PACKAGES[@]}" >/dev/null 2>&1; then
    echo "podman/runc/busybox-static cannot be installed from Debian's packages"
    return 0
  fi
  local probe=plx-probe-$$
  if ! ip netns add "$probe" 2>/dev/null; then
    echo "network namespaces cannot be created here"
    return 0
  fi
  ip netns del "$probe"
  return 1
}

# e2e_init: private dirs, podman configs, rootfs, node netns, host snapshot, cleanup trap.
e2e_init() {
  E2E_RUN=$(head -c4 /dev/urandom | od -An -tx1 | tr -d ' \n')
  E2E_WORK=${E2E_WORK:-$(mktemp -d "${TMPDIR:-/tmp}/plexus-e2e.XXXXXX")}
  E2E_NODE=plx-node-$E2E_RUN
  E2E_CGROUP=/plexus-e2e-$E2E_RUN
  E2E_CREATED_DIRS=()
  local d
  for d in /var/lib/cni/results /var/lib/cni /run/runc /run/netns; do
    [ -e "$d" ] || E2E_CREATED_DIRS+=("$d")
  done
  trap e2e_cleanup EXIT
  trap 'exit 130' INT TERM
  mkdir -p "$E2E_WORK"/{net.d,logs,storage,run,tmp,ipam}
  : >"$E2E_WORK/sandboxes"
  export CONTAINERS_CONF=$E2E_WORK/containers.conf
  export CONTAINERS_STORAGE_CONF=$E2E_WORK/storage.conf
  # Plugins: the freshly published Plexus binaries first, then Debian's reference plugins.
  e2e_write_podman_conf "$E2E_WORK/net.d" "$E2E_ROOT/artifacts/bin" /usr/lib/cni
  e2e_make_rootfs "$E2E_WORK/rootfs"
  e2e_host_snapshot >"$E2E_WORK/logs/host.before"
  ip netns add "$E2E_NODE"
  ip -n "$E2E_NODE" link set lo up
  e2e_log "work dir $E2E_WORK, node netns $E2E_NODE"
}

# e2e_write_podman_conf CONF_DIR PLUGIN_DIR...: CNI backend, runc, cgroupfs and the ulimits
# this sandbox allows (podman's defaults exceed the hard nofile limit).
e2e_write_podman_conf() {
  local conf_dir=$1
  shift
  local dirs
  dirs=$(printf '"%s", ' "$@")
  cat >"$CONTAINERS_CONF" <<EOF
[containers]
default_ulimits = ["nofile=$(ulimit -Hn):$(ulimit -Hn)", "nproc=32768:32768"]
[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$E2E_WORK/logs/podman-events.log"
tmp_dir = "$E2E_WORK/tmp"
runtime = "runc"
[network]
network_backend = "cni"
cni_plugin_dirs = [${dirs%, }]
network_config_dir = "$conf_dir"
EOF
  cat >"$CONTAINERS_STORAGE_CONF" <<EOF
[storage]
driver = "vfs"
graphroot = "$E2E_WORK/storage"
runroot = "$E2E_WORK/run"
EOF
}

# A rootfs of the static busybox: podman runs it with --rootfs, no image or registry.
e2e_make_rootfs() {
  local root=$1
  mkdir -p "$root"/{bin,proc,sys,dev,etc,tmp,run}
  cp /bin/busybox "$root/bin/busybox"
  chroot "$root" /bin/busybox --install -s /bin
}

e2e_host_snapshot() { bash "$E2E_ROOT/scripts/host-snapshot.sh"; }

e2e_host_unchanged() {
  e2e_host_snapshot >"$E2E_WORK/logs/host.now"
  diff -u "$E2E_WORK/logs/host.before" "$E2E_WORK/logs/host.now"
}

# Runs a command in the node netns (same mount namespace, so /run/netns stays shared).
e2e_node() { nsenter --net="/run/netns/$E2E_NODE" "$@"; }

e2e_podman() { e2e_node podman "$@"; }

# e2e_run_container NAME PODMAN_ARGS...: a detached busybox container that sleeps; records its
# pod netns so cleanup can remove it even if podman cannot.
e2e_run_container() {
  local name=$1
  shift
  e2e_podman run -d --name "$name" --cgroup-parent "$E2E_CGROUP" "$@" \
    --rootfs "$E2E_WORK/rootfs" /bin/sleep 600 >/dev/null || return 1
  e2e_sandbox_key "$name" >>"$E2E_WORK/sandboxes"
}

e2e_sandbox_key() { e2e_podman inspect --format '{{.NetworkSettings.SandboxKey}}' "$1"; }

# No pod netns of this run is left: every sandbox podman reported is gone from /run/netns.
e2e_no_pod_netns() {
  local key left=0
  while read -r key; do
    [ -n "$key" ] && [ -e "$key" ] && { echo "left: $key"; left=1; }
  done <"$E2E_WORK/sandboxes"
  return "$left"
}

e2e_exec() {
  local name=$1
  shift
  e2e_podman exec "$name" "$@"
}

# Seconds (3 decimals) a command takes; its output goes to the log.
e2e_time() {
  local t0 t1
  t0=$(date +%s%N)
  "$@" >>"$E2E_WORK/logs/commands.log" 2>&1 || return 1
  t1=$(date +%s%N)
  printf '%d.%03d\n' $(((t1 - t0) / 1000000000)) $(((t1 - t0) / 1000000 % 1000))
}

e2e_cleanup() {
  local rc=$?
  set +e
  trap - EXIT INT TERM
  if [ -f "${CONTAINERS_CONF:-}" ] && [ -e "/run/netns/$E2E_NODE" ]; then
    e2e_podman rm -af -t0 >/dev/null 2>&1
  fi
  local key
  while read -r key; do
    [ -n "$key" ] || continue
    umount "$key" 2>/dev/null
    rm -f "$key"
  done < <(cat "$E2E_WORK/sandboxes" 2>/dev/null)
  # Deleting the node netns removes its bridges, veth host ends and iptables rules at once.
  ip netns del "$E2E_NODE" 2>/dev/null
  grep -o " $E2E_WORK/[^ ]*" /proc/mounts | sort -r | xargs -r -n1 umount -l 2>/dev/null
  local c
  for c in /sys/fs/cgroup/*/; do
    [ -d "$c${E2E_CGROUP#/}" ] && find "$c${E2E_CGROUP#/}" -depth -type d -exec rmdir {} + 2>/dev/null
  done
  local d
  for d in "${E2E_CREATED_DIRS[@]}"; do
    [ -d "$d" ] && rmdir "$d" 2>/dev/null
  done
  if [ "$rc" != 0 ] && [ -n "${E2E_KEEP_LOGS:-}" ]; then
    rm -rf "$E2E_WORK"/{storage,run,tmp,rootfs}
    e2e_log "logs kept in $E2E_WORK/logs"
  else
    rm -rf "$E2E_WORK"
  fi
  exit "$rc"
}

# A closing line in dotnet's format so scripts/test-summary.sh adds the e2e checks to the total.
e2e_summary() {
  local label=$1
  local verdict=Passed
  ((E2E_FAILED == 0)) || verdict=Failed
  printf '%s!  - Failed: %5d, Passed: %5d, Skipped: %5d, Total: %5d - %s\n' \
    "$verdict" "$E2E_FAILED" "$E2E_PASSED" 0 $((E2E_FAILED + E2E_PASSED)) "$label"
  ((E2E_FAILED == 0))
}
