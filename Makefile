# Ingrain: `make run` starts the agent with pipeline.hocon; `make test` runs the whole test suite.
# Both install what they need on a fresh Debian/Ubuntu machine with the .NET SDK (run as root).
CONFIG ?= pipeline.hocon
DOTNET ?= dotnet

DIST ?= dist
BINARY ?= $(DIST)/linux-x64/ingrain
PREFIX ?= /usr
DESTDIR ?=

.PHONY: setup setup-test setup-bench build run test bench dist install clean

setup:
	./scripts/setup.sh

setup-test:
	./scripts/setup.sh --test

setup-bench:
	./scripts/setup.sh --bench

build: setup
	$(DOTNET) build Ingrain.Actors.sln -c Release

run: build
	$(DOTNET) src/Agent/bin/Release/net10.0/ingrain.dll run --config $(CONFIG)

test: setup-test
	$(DOTNET) build Ingrain.Actors.sln -c Release
	./scripts/test.sh

BENCH = $(DOTNET) bench/Ingrain.Benchmarks/bin/Release/net10.0/Ingrain.Benchmarks.dll

# `make bench` runs every benchmark (ring buffer, pipeline and exec storm one-run measurements, then the
# BenchmarkDotNet suites); `make bench ARGS="pipeline 5000000"`, `ARGS="execstorm 3000 5"` or `ARGS="--filter *Hocon*"`
# runs one of them. The exec storm compares with execsnoop, the files benchmark with opensnoop and bpftrace
# (setup-bench installs libbpf-tools and bpftrace).
bench: setup-bench build
ifeq ($(strip $(ARGS)),)
	$(BENCH) ringbuf 5
	$(BENCH) pipeline 5000000
	$(BENCH) execstorm 3000 5
	$(BENCH) network 5 10000
	$(BENCH) files 1000000 3
	$(BENCH) agentstart 5
	$(BENCH) dns 50000
	$(BENCH) syscalls 10000000
	$(BENCH) parquet 100000
	$(BENCH) tls 5000 500
	$(BENCH) --filter '*'
else
	$(BENCH) $(ARGS)
endif

# `make dist`: self-contained single-file binaries in dist/<rid>/ingrain (linux-x64, and linux-arm64 where it builds).
dist: setup
	./scripts/dist.sh

# `make install DESTDIR=/tmp/root`: binary, /etc/ingrain/pipeline.hocon, the systemd unit (docs/operations.md).
install:
	test -x $(BINARY) || ./scripts/dist.sh linux-x64 $(dir $(BINARY))
	./scripts/install.sh "$(BINARY)" "$(DESTDIR)" "$(PREFIX)"

clean:
	$(DOTNET) clean Ingrain.Actors.sln
	rm -rf bpf/.output dist
