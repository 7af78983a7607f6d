#!/bin/sh
# artifacts/bin/kube-sim (`make publish` copies this launcher there): runs the framework-dependent
# simulator published in artifacts/publish/kube-sim.
# Whoever starts the simulator may stop it with SIGKILL (Plexus.Deploy.Tests do, after every test),
# and a JIT runtime killed that way leaves its debugger pipes and diagnostics socket
# (clr-debug-pipe-<pid>-*, dotnet-diagnostic-<pid>-*-socket in $TMPDIR or /tmp) behind for good.
# The simulator needs neither, so the runtime is told not to create them.
export DOTNET_EnableDiagnostics=0
exec "$(dirname "$(readlink -f "$0")")/../publish/kube-sim/kube-sim" "$@"
