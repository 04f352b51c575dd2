# eidbridge: `make demo` reads a virtual eID through pcscd; `make test` sets up everything the tests need (Debian packages,
# pcscd with the vpcd reader) and runs all of them; `make build` builds
# bin/eidbridge.

GO      ?= go
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.version=$(VERSION)

.PHONY: build test demo deps vet fuzz bench clean

build: deps
	$(GO) build -ldflags "$(LDFLAGS)" -o bin/eidbridge ./cmd/eidbridge

# deps installs the Debian packages the build and the tests need.
deps:
	@scripts/testenv.sh deps

test:
	scripts/test.sh

# demo reads a virtual eID through the real pcscd + vpcd stack.
demo: build
	scripts/demo.sh

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
