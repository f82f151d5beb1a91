# x402-secure core: one entry point.
#   make demo    set everything up on a fresh machine and run the demo
#   make test    set everything up and run every test (Swift, C, Python, Node)
#   make bench   benchmarks against the peers, medians and ratios
# Set-up is automatic: missing Debian -dev packages are installed (apt-get update first),
# a Python venv with the pinned test peers is created in .venv, the library is built in
# release mode with the Swift runtime linked in statically, and the Node addon is compiled.

SHELL := /bin/bash
ROOT := $(abspath .)
SWIFT ?= swift
PYTHON ?= python3
VENV := $(ROOT)/.venv
VPY := $(VENV)/bin/python
BUILD := $(ROOT)/build
LIB := $(BUILD)/lib/libx402secure.so
CLI := $(BUILD)/bin/x402secure
NODE_ADDON := $(ROOT)/bindings/node/build/x402s_node.node
APT_PACKAGES := libsecp256k1-dev libsodium-dev libssl-dev pkg-config valgrind
SWIFT_RELEASE := $(SWIFT) build -c release -Xswiftc -static-stdlib -Xlinker --version-script=$(ROOT)/scripts/exports.map
SWIFT_SOURCES := $(shell find Sources include -type f) Package.swift

.PHONY: all deps venv lib cli node test test-swift test-c test-memcheck test-ctime test-tsan test-python test-node test-ldd check-abi soak-lifetimes demo bench fuzz clean

all: lib cli node

# ---- set-up ---------------------------------------------------------------------------
deps: $(BUILD)/.deps
$(BUILD)/.deps: Makefile
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi
	@mkdir -p $(BUILD) && touch $@

venv: $(VENV)/.stamp
$(VENV)/.stamp: bindings/python/requirements-test.txt bindings/python/pyproject.toml
	test -x $(VPY) || $(PYTHON) -m venv $(VENV)
	$(VPY) -m pip install -q --disable-pip-version-check -r bindings/python/requirements-test.txt
	$(VPY) -m pip install -q --disable-pip-version-check --no-deps -e bindings/python
	touch $@

lib: $(LIB)
$(LIB): $(SWIFT_SOURCES) | $(BUILD)/.deps
	$(SWIFT_RELEASE) --product x402secure
	mkdir -p $(BUILD)/lib bindings/python/src/x402secure/_lib
	cp .build/release/libx402secure.so $(LIB)
	cp $(LIB) bindings/python/src/x402secure/_lib/libx402secure.so

cli: $(CLI)
$(CLI): $(SWIFT_SOURCES) | $(BUILD)/.deps
	$(SWIFT_RELEASE) --product x402secure-cli
	mkdir -p $(BUILD)/bin
	cp .build/release/x402secure-cli $(CLI)

node: $(NODE_ADDON)
$(NODE_ADDON): $(LIB) include/x402_secure.h $(wildcard bindings/node/src/*.c bindings/node/src/*.h) bindings/node/build.sh
	bash bindings/node/build.sh $(LIB)

# ---- tests ----------------------------------------------------------------------------
test: deps venv lib cli node
	$(MAKE) test-swift test-c test-memcheck test-ctime test-tsan test-ldd check-abi test-python test-node
	@echo "make test: all suites passed"

test-swift: $(BUILD)/.deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

test-c: $(LIB)
	bash Tests/c/run.sh $(LIB)

# valgrind memcheck of the C smoke test and of Tests/c/leak_loop.c (bad input, 200 calls each)
test-memcheck: $(LIB)
	bash Tests/c/memcheck.sh $(LIB)

# constant time (ctgrind): secret keys marked undefined in every signing entry point, valgrind
# memcheck must find no secret-dependent branch or memory index (Tests/c/ctime.c, ~15 s)
test-ctime: $(LIB)
	bash Tests/c/ctime.sh $(LIB)

# ThreadSanitizer run of the concurrency tests: handles freed while calls use them, the replay
# guard, prepared signers, shared keys and caches, the one-time backend set-up (run first, alone,
# in its own process, so the set-up really races). Its own scratch path and only the test product;
# any report fails (halt_on_error).
TSAN_SCRATCH := $(ROOT)/.build-tsan
TSAN_TEST := $(SWIFT) test --skip-build --sanitize=thread --scratch-path $(TSAN_SCRATCH)
TSAN_FILTER := ConcurrencyTests|X402ReplayGuardTests|FFISigner|concurrentSigningSharesTheContext|backendIsIdempotentAndConcurrent
test-tsan: $(BUILD)/.deps
	$(SWIFT) build --sanitize=thread --scratch-path $(TSAN_SCRATCH) --product x402-secure-corePackageTests
	TSAN_OPTIONS="halt_on_error=1 $(TSAN_OPTIONS)" $(TSAN_TEST) --filter 'ConcurrencyTests/contextInitialisationFromManyThreads'
	TSAN_OPTIONS="halt_on_error=1 $(TSAN_OPTIONS)" $(TSAN_TEST) --filter '$(TSAN_FILTER)'

# close racing calls in flight for longer than make test does (Python: 16 threads; Node: main
# thread + 3 workers, async work, forced GC, terminated workers)
SOAK_SECONDS ?= 120
soak-lifetimes: venv $(LIB) $(NODE_ADDON)
	X402SECURE_LIB=$(LIB) $(VPY) bindings/python/tests/lifetimes_stress.py --seconds $(SOAK_SECONDS) --threads 16
	node --expose-gc bindings/node/stress/lifetimes.js --seconds $(SOAK_SECONDS) --workers 3

test-ldd: $(LIB)
	bash scripts/check_ldd.sh $(LIB)

check-abi: $(LIB) venv
	$(VPY) scripts/check_abi.py $(LIB)

test-python: venv $(LIB)
	X402SECURE_LIB=$(LIB) X402SECURE_CLI=$(CLI) $(VPY) -m pytest -q bindings/python/tests

test-node: $(NODE_ADDON)
	X402SECURE_CLI=$(CLI) node --test bindings/node/test/

# ---- demo and benchmarks --------------------------------------------------------------
demo: deps venv lib cli node
	X402SECURE_LIB=$(LIB) VPY=$(VPY) CLI=$(CLI) bash scripts/demo.sh
	X402SECURE_LIB=$(LIB) VPY=$(VPY) CLI=$(CLI) bash scripts/demo_x402.sh
	X402SECURE_LIB=$(LIB) $(VPY) scripts/demo_e2e.py

bench: deps venv lib node
	$(SWIFT_RELEASE) --product x402secure-bench
	X402SECURE_LIB=$(LIB) $(VPY) bench/bench.py --swift-bench .build/release/x402secure-bench --json $(BUILD)/bench.json

clean:
	rm -rf .build $(BUILD) bindings/node/build bindings/python/src/x402secure/_lib
