# Plexus build, test and demo entry points. Every target installs what it needs.
SHELL := /bin/bash
DOTNET ?= dotnet
CONFIG ?= Release
RID ?= linux-x64
BIN := $(CURDIR)/artifacts/bin
# NativeAOT executables: project path -> binary name in artifacts/bin.
AOT_APPS := apps/plexus/plexus.csproj apps/plexus-shim/plexus-shim.csproj apps/plexusd/plexusd.csproj
APT_PACKAGES := containernetworking-plugins iproute2 iptables kubectl jq libssl-dev cmake strace
# The podman node flow; it installs podman & co. itself and skips with one line where it cannot.
E2E_FLOW := bash e2e/node-flow.sh
# A test host in which no test starts or finishes for 10 minutes is stopped, and the test it was running is named,
# instead of hanging the run until CI's own limit.
BLAME_HANG := --blame-hang --blame-hang-timeout 10m --blame-hang-dump-type none
export DOTNET_CLI_TELEMETRY_OPTOUT := 1
export DOTNET_NOLOGO := 1

.PHONY: all deps build publish test unit demo bench microbench e2e clean fuzz soak

all: publish

# Installs the Debian packages the tests and the demo drive (real CNI plugins, ip, kubectl).
deps:
	@bash scripts/install-deps.sh $(APT_PACKAGES)

build:
	$(DOTNET) build Plexus.slnx -c $(CONFIG)

# NativeAOT-publish every executable into artifacts/bin (no .dll, no runtime needed).
publish: deps
	@mkdir -p $(BIN)
	@for proj in $(AOT_APPS); do \
	  name=$$(basename $$(dirname $$proj)); \
	  $(DOTNET) publish $$proj -c $(CONFIG) -r $(RID) -o artifacts/publish/$$name --nologo -v quiet || exit 1; \
	  find artifacts/publish/$$name -maxdepth 1 -type f -perm -u+x ! -name '*.dbg' ! -name '*.so' -exec cp -f {} $(BIN)/ \; ; \
	done
	@# The API server simulator (tests, demo, bench): a JIT app, framework-dependent, plus a launcher.
	@$(DOTNET) publish tools/KubeSim/KubeSim.csproj -c $(CONFIG) -o artifacts/publish/kube-sim --nologo -v quiet
	@install -m 755 tools/KubeSim/kube-sim.sh $(BIN)/kube-sim
	@ls -1 $(BIN)

# The README's test command: dependencies, NativeAOT binaries, then every test project.
# Tests never touch the host's own network: its links, addresses, routes and iptables are compared before and after.
test: deps publish
	@bash scripts/host-snapshot.sh > artifacts/host.before
	$(DOTNET) test Plexus.slnx -c $(CONFIG) $(BLAME_HANG) --logger "console;verbosity=minimal" 2>&1 | tee artifacts/test.log; \
	  status=$${PIPESTATUS[0]}; \
	  bash scripts/host-snapshot.sh > artifacts/host.after; \
	  if diff -u artifacts/host.before artifacts/host.after > artifacts/host.diff; then host=0; \
	  else host=1; echo "FAILED: the .NET tests changed the host's network state (artifacts/host.diff):" | tee -a artifacts/test.log; cat artifacts/host.diff | tee -a artifacts/test.log; fi; \
	  $(E2E_FLOW) 2>&1 | tee -a artifacts/test.log; e2e=$${PIPESTATUS[0]}; \
	  bash scripts/test-summary.sh artifacts/test.log; [ $$status = 0 ] && [ $$e2e = 0 ] && [ $$host = 0 ]

unit:
	$(DOTNET) test Plexus.slnx -c $(CONFIG) --filter "Category!=Root"

# The README's demo command.
demo: deps publish
	@bash demo/demo.sh

# A real runtime (podman, libcni inside) attaches containers in a throwaway node netns.
e2e: deps publish
	@$(E2E_FLOW)

bench: deps publish
	@bash bench/run.sh

# In-process BenchmarkDotNet runs of the pure hot paths, with allocations.
microbench:
	cd bench/Plexus.MicroBench && $(DOTNET) run -c $(CONFIG) -- --filter '*' --job short

clean:
	rm -rf artifacts

# Runs every fuzz target under AFL++ for FUZZ_SECONDS (default 60) each; not part of `make test`.
fuzz:
	@bash tests/Plexus.Fuzz/fuzz.sh

# The concurrency soak at full size: 500 pods added and deleted 16 at once, thin and thick (make test runs 200).
soak: deps
	PLEXUS_SOAK_PODS=500 $(DOTNET) test tests/Plexus.Integration.Tests -c $(CONFIG) --filter "FullyQualifiedName~ConcurrencySoak" --logger "console;verbosity=detailed"
