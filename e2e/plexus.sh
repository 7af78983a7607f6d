# shellcheck shell=bash
# Plexus's side of the e2e flow: the published binary, the node agent run the way the
# DaemonSet runs it (with private paths), and what Plexus leaves on disk.

PLEXUS=$E2E_ROOT/artifacts/bin/plexus

# The agent's flags: the node's conf dir is podman's private one; delegates come from Debian's
# plugin dir; cache, backups and log stay in the work dir.
e2e_agent_flags() {
  printf '%s\n' --conf-dir "$E2E_WORK/net.d" --bin-dir /usr/lib/cni \
    --cni-cache-dir "$E2E_WORK/plexus-cache" --net-conf-dir "$E2E_WORK/plexus-net.d" \
    --backup-dir "$E2E_WORK/backups" --log-file "$E2E_WORK/logs/plexus.log" --log-level debug
}

e2e_agent_generate() {
  local flags
  mapfile -t flags < <(e2e_agent_flags)
  "$PLEXUS" config generate "${flags[@]}"
}

# One agent "restart": the long-running watch starts, reports that it watches (so it has done
# its initial generation and handles signals), and gets SIGTERM like a pod stop.
e2e_agent_restart() {
  local flags pid rc=0 log=$E2E_WORK/logs/agent-watch.log waited=0
  mapfile -t flags < <(e2e_agent_flags)
  : >"$log"
  "$PLEXUS" config watch "${flags[@]}" >"$log" 2>&1 &
  pid=$!
  until grep -q 'watching' "$log"; do
    if ((waited++ > 200)) || ! kill -0 "$pid" 2>/dev/null; then
      echo "agent did not report watching within 10 s:"
      cat "$log"
      break
    fi
    sleep 0.05
  done
  kill -TERM "$pid" 2>/dev/null
  wait "$pid" || rc=$?
  cat "$log" >>"$E2E_WORK/logs/agent.log"
  [ "$rc" = 0 ] || { echo "agent watch exited $rc on SIGTERM"; return 1; }
}

e2e_doctor() {
  "$PLEXUS" doctor --conf-dir "$E2E_WORK/net.d" --bin-dir "$E2E_ROOT/artifacts/bin:/usr/lib/cni" "$@"
}

e2e_doctor_flags_static() {
  local out rc=0
  out=$(e2e_doctor --json) || rc=$?
  echo "doctor exit $rc: $out"
  [ "$rc" = 1 ] && grep -q "50-$STATIC_NET.conflist" <<<"$out" && grep -q 'foreign-meta-config' <<<"$out"
}

# Content hash, inode and mtime: equal bytes AND no rewrite at all.
e2e_file_identity() { printf '%s %s\n' "$(sha256sum <"$1")" "$(stat -c '%i %Y.%y' "$1")"; }

# podman sends K8S_POD_NAME without K8S_POD_NAMESPACE: Plexus attaches the static networks and
# says why it does not look the pod up (issue 7).
e2e_plexus_logged_no_namespace() {
  local log=$E2E_WORK/logs/plexus.log
  grep -i namespace "$log" || { echo "no line about the missing namespace in $log:"; tail -n 20 "$log" 2>&1; return 1; }
}

e2e_plexus_cache_empty() {
  ! find "$E2E_WORK/plexus-cache" -type f 2>/dev/null | grep .
}

e2e_plexus_cache_has() { grep -rlq -- "$1" "$E2E_WORK/plexus-cache" 2>/dev/null; }

# Neither libcni (podman's side) nor Plexus keeps anything about container CID.
e2e_no_cache_for() {
  ! compgen -G "/var/lib/cni/results/*-$1-*" || return 1
  ! grep -rl -- "$1" "$E2E_WORK/plexus-cache" 2>/dev/null
}
