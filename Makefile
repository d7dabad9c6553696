# tiyan — make help lists the targets.
SHELL := /bin/bash
GO ?= go
BIN := bin
ADDR ?= 127.0.0.1:18090
WEB ?= 127.0.0.1:8080
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X tiyan/internal/version.Version=$(VERSION)

.PHONY: help setup build run sim test test-short vet fmt bench clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN{FS=":.*## "}{printf "  make %-11s %s\n", $$1, $$2}'

setup: ## Install Chromium, CJK fonts and npm packages (axe-core) where missing
	@scripts/setup.sh

build: ## Build bin/tiyan and bin/portalsim
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN)/tiyan ./cmd/tiyan
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN)/portalsim ./cmd/portalsim

run: setup build ## The demo: simulated portal with seeded defects, one sweep, findings served on $(WEB)
	$(BIN)/tiyan demo --addr $(WEB) --sim-addr $(ADDR)

sim: build ## The simulated portal without defects on $(ADDR)
	$(BIN)/tiyan portalsim --defects none --addr $(ADDR)

test: setup ## Set up what the tests need, then vet and run every test
	$(GO) vet ./...
	@db=$$(scripts/postgres.sh) && set -x && TIYAN_TEST_DATABASE_URL="$$db" $(GO) test -count=1 -timeout 20m ./...

test-short: ## Run the tests that need no browser or database
	$(GO) test -short ./...

vet: ## go vet and gofmt check
	$(GO) vet ./...
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); exit 1; }

bench: setup ## Run the benchmarks
	$(GO) test -run '^$$' -bench . -benchmem ./...

clean: ## Remove built binaries
	rm -rf $(BIN)
