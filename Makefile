# x402-secure core: one entry point.
#   make demo    set everything up on a fresh machine and run the demo (ONCHAIN=1: also settle
#                on a local EVM chain through the on-chain facilitator)
#   make test    set everything up and run every test (Swift, C, Python, Node)
#   make bench   benchmarks against the peers, medians and ratios
#   make dist    the packages users install: Python wheel + sdist, npm tarball (build/dist/)
#   make install PREFIX=/usr/local DESTDIR=   the C library, header, pkg-config file and CLI
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
# postgresql: the risk proxy's PostgreSQL tests start a throwaway cluster (initdb/pg_ctl);
# wrk: make bench-proxy's load generator.
APT_PACKAGES := libsecp256k1-dev libsodium-dev libssl-dev pkg-config valgrind postgresql wrk
# Release builds of the library, CLI and benchmark: one recipe (static Swift runtime and
# libcrypto, only x402s_* exported, SONAME), shared with the Python sdist's build step.
SWIFT_RELEASE := SWIFT=$(SWIFT) bash $(ROOT)/scripts/swift_release.sh
SWIFT_SOURCES := $(shell find Sources include -type f) Package.swift scripts/swift_release.sh scripts/exports.map

# One version (VERSION; scripts/version.py checks its copies). The shared library's SONAME is
# libx402secure.so.<ABI major> and its file libx402secure.so.<ABI major>.<ABI minor>.<patch>.
VERSION := $(shell cat VERSION)
ABI_MAJOR := $(shell sed -n 's/^\#define X402S_ABI_VERSION_MAJOR \([0-9][0-9]*\).*/\1/p' include/x402_secure.h)
ABI_MINOR := $(shell sed -n 's/^\#define X402S_ABI_VERSION_MINOR \([0-9][0-9]*\).*/\1/p' include/x402_secure.h)
SONAME := libx402secure.so.$(ABI_MAJOR)
LIB_FILE := $(SONAME).$(ABI_MINOR).$(shell sed -E 's/^[0-9]+\.[0-9]+\.([0-9]+).*/\1/' VERSION)

# make install
PREFIX ?= /usr/local
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
BINDIR ?= $(PREFIX)/bin
DIST := $(BUILD)/dist

.PHONY: all deps venv lib cli node test test-swift test-c test-memcheck test-ctime test-tsan test-python test-node test-ldd check-abi check-version soak-lifetimes demo bench bench-proxy fuzz clean install dist wheel sdist npm-pack test-dist test-dist-python test-dist-node test-dist-c test-dist-swift

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
$(VENV)/.stamp: bindings/python/requirements-test.txt bindings/python/requirements-dist.txt bindings/python/pyproject.toml
	test -x $(VPY) || $(PYTHON) -m venv $(VENV)
	$(VPY) -m pip install -q --disable-pip-version-check -r bindings/python/requirements-test.txt -r bindings/python/requirements-dist.txt
	$(VPY) -m pip install -q --disable-pip-version-check --no-deps -e bindings/python
	touch $@

# build/lib/libx402secure.so plus the SONAME link beside it (programs linked with
# -lx402secure record libx402secure.so.$(ABI_MAJOR)).
lib: $(LIB)
$(LIB): $(SWIFT_SOURCES) | $(BUILD)/.deps
	built=$$($(SWIFT_RELEASE) x402secure) && mkdir -p $(BUILD)/lib && cp "$$built" $(LIB)
	ln -sf libx402secure.so $(BUILD)/lib/$(SONAME)

cli: $(CLI)
$(CLI): $(SWIFT_SOURCES) | $(BUILD)/.deps
	built=$$($(SWIFT_RELEASE) x402secure-cli) && mkdir -p $(BUILD)/bin && cp "$$built" $(CLI)

node: $(NODE_ADDON)
$(NODE_ADDON): $(LIB) include/x402_secure.h $(wildcard bindings/node/src/*.c bindings/node/src/*.h) bindings/node/build.sh
	bash bindings/node/build.sh $(LIB)

# ---- tests ----------------------------------------------------------------------------
test: deps venv lib cli node
	$(MAKE) check-version test-swift test-c test-memcheck test-ctime test-tsan test-ldd check-abi test-python test-node test-dist
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

check-version: $(LIB) $(CLI)
	$(PYTHON) scripts/version.py --verify --lib $(LIB) --cli $(CLI)

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
	@if [ -n "$(ONCHAIN)" ]; then X402SECURE_LIB=$(LIB) $(VPY) scripts/demo_onchain.py; fi

bench: deps venv lib node
	$(SWIFT_RELEASE) x402secure-bench
	X402SECURE_LIB=$(LIB) $(VPY) bench/bench.py --swift-bench .build/release/x402secure-bench --json $(BUILD)/bench.json
	X402SECURE_LIB=$(LIB) $(VPY) bench/settle_bench.py --json $(BUILD)/bench-settle.json
	$(MAKE) bench-proxy

# the risk proxy under load (wrk, 64 connections): /verify against a FastAPI server on the
# official x402 facilitator verify, 1 and 2 workers, SQLite and PostgreSQL (~3 minutes)
bench-proxy: deps venv lib
	X402SECURE_LIB=$(LIB) $(VPY) bench/proxy_bench.py --json $(BUILD)/bench-proxy.json

# ---- packages users install (docs: README "Install") -----------------------------------
# make install: header, libx402secure.so.X.Y.Z (stripped) with its SONAME and dev links,
# x402secure.pc and the CLI. Run ldconfig afterwards for a system prefix.
install: $(LIB) $(CLI)
	install -d "$(DESTDIR)$(INCLUDEDIR)" "$(DESTDIR)$(LIBDIR)/pkgconfig" "$(DESTDIR)$(BINDIR)"
	install -m 644 include/x402_secure.h "$(DESTDIR)$(INCLUDEDIR)/x402_secure.h"
	strip --strip-unneeded -o "$(DESTDIR)$(LIBDIR)/$(LIB_FILE)" $(LIB)
	chmod 755 "$(DESTDIR)$(LIBDIR)/$(LIB_FILE)"
	ln -sf $(LIB_FILE) "$(DESTDIR)$(LIBDIR)/$(SONAME)"
	ln -sf $(SONAME) "$(DESTDIR)$(LIBDIR)/libx402secure.so"
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' \
	    -e 's|@VERSION@|$(VERSION)|' scripts/x402secure.pc.in > "$(DESTDIR)$(LIBDIR)/pkgconfig/x402secure.pc"
	strip -o "$(DESTDIR)$(BINDIR)/x402secure" $(CLI)
	@echo "installed x402secure $(VERSION) under $(DESTDIR)$(PREFIX)"

# make dist: build/dist/x402secure-<v>-py3-none-manylinux_*_x86_64.whl (auditwheel-repaired:
# libsecp256k1 and libsodium bundled), x402secure-<v>.tar.gz (sdist, no binary) and
# x402secure-<v>.tgz (npm; addon + library prebuilt for linux-x64 beside the same bundled libs).
dist: wheel sdist npm-pack
wheel: $(LIB) venv
	$(VPY) scripts/dist.py wheel --lib $(LIB) --out $(DIST)
sdist: venv
	$(VPY) scripts/dist.py sdist --out $(DIST)
npm-pack: wheel
	$(VPY) scripts/dist.py npm --lib $(LIB) --out $(DIST)

# Each installs what make dist (or make install) made into a temp dir outside the repository,
# with no repository path and no X402SECURE_LIB, as a user would (Tests/dist/).
test-dist: test-dist-python test-dist-node test-dist-c test-dist-swift
test-dist-python: wheel sdist
	VPY=$(VPY) bash Tests/dist/python_wheel.sh $(DIST)
	VPY=$(VPY) bash Tests/dist/proxy_wheel.sh $(DIST)
test-dist-node: npm-pack test-dist-python
	bash Tests/dist/npm_package.sh $(DIST)
test-dist-c: $(LIB) $(CLI)
	bash Tests/dist/c_install.sh
test-dist-swift: $(BUILD)/.deps
	bash Tests/dist/swift_package.sh

clean:
	rm -rf .build $(BUILD) bindings/node/build bindings/node/prebuilds bindings/node/include bindings/python/build
