# Ingrain: `make run` starts the agent with pipeline.hocon; `make test` runs the whole test suite.
# Both install what they need on a fresh Debian/Ubuntu machine with the .NET SDK (run as root).
CONFIG ?= pipeline.hocon
DOTNET ?= dotnet

.PHONY: setup setup-test build run test bench clean

setup:
	./scripts/setup.sh

setup-test:
	./scripts/setup.sh --test

build: setup
	$(DOTNET) build Ingrain.Actors.sln -c Release

run: build
	$(DOTNET) src/Agent/bin/Release/net10.0/ingrain.dll run --config $(CONFIG)

test: setup-test
	$(DOTNET) build Ingrain.Actors.sln -c Release
	./scripts/test.sh

bench: build
	$(DOTNET) bench/Ingrain.Benchmarks/bin/Release/net10.0/Ingrain.Benchmarks.dll $(ARGS)

clean:
	$(DOTNET) clean Ingrain.Actors.sln
	rm -rf bpf/.output
