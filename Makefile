# eidbridge: `make demo` runs the token portal, the agent and a virtual
# eID in one process; `make test` sets up everything the tests need (Debian
# packages, pcscd with the vpcd reader) and runs all of them; `make build`
# builds bin/eidbridge.

GO      ?= go
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.version=$(VERSION)

.PHONY: build test demo deps test-deps vet fuzz bench clean

build: deps
	$(GO) build -ldflags "$(LDFLAGS)" -o bin/eidbridge ./cmd/eidbridge

# deps installs the Debian packages the build needs (a C compiler and
# pcsc-lite's headers); test-deps adds what the tests need (make test
# installs them itself).
deps:
	@scripts/testenv.sh build-deps

test-deps:
	@scripts/testenv.sh test-deps

test:
	scripts/test.sh

# demo runs the token portal, the agent and a virtual eID in one process
# (eidbridge demo); DEMO_FLAGS=--auto-pin without a display, --pcsc to go
# through pcscd.
DEMO_FLAGS ?=
demo: build
	scripts/demo.sh $(DEMO_FLAGS)

vet:
	$(GO) vet ./...

# fuzz runs each fuzz target for FUZZTIME (the seeds also run in make test).
FUZZTIME ?= 20s
fuzz:
	scripts/fuzz.sh $(FUZZTIME)

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

clean:
	rm -rf bin

# packages builds the Debian and RPM packages of bin/eidbridge into dist/
# (nfpm, run as a pinned tool; see packaging/nfpm.yaml).
.PHONY: packages cross
packages: build
	packaging/build-packages.sh bin/eidbridge $(VERSION) dist

# cross builds the Windows binaries (eidbridge.exe,
# eidbridgew.exe, the MSI when wixl is installed) and the macOS binaries
# (darwin amd64 and arm64, without cgo); see packaging/cross.sh.
cross:
	packaging/cross.sh $(VERSION) dist
