# Jeton: the two commands a newcomer needs are `make demo` and `make test`.
# Every target installs what it needs first; stamp files make a second run skip
# what is already installed, and a change to pyproject.toml or package-lock.json
# installs again.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
SOLC_VERSION := 0.8.37

export SOLCX_BINARY_PATH := $(CURDIR)/.solcx
export PATH := $(CURDIR)/node_modules/.bin:$(CURDIR)/$(VENV)/bin:$(PATH)
# Ape keeps its extracted dependencies here instead of ~/.ape, so the project
# never reads what another checkout extracted, and `make clean` removes it.
export APE_DATA_FOLDER := $(CURDIR)/.ape-data

SOLC := $(SOLCX_BINARY_PATH)/solc-v$(SOLC_VERSION)
PY_STAMP := $(VENV)/.installed
NPM_STAMP := node_modules/.installed
# The web app's page, bundled from web/ into the Python package (git-ignored), and the
# headless Chromium its tests drive (unpacked from the npm package @sparticuz/chromium).
WEB_BUNDLE := python/jeton/web/static/app.js
WEB_SOURCES := $(shell find web -type f)
BROWSER := .browser/chromium

.PHONY: setup compile web browser test forge-test coverage bench demo web-demo abi lint clean

setup: $(PY_STAMP) $(NPM_STAMP) $(SOLC)

$(PY_STAMP): pyproject.toml
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[dev]'
	touch $@

$(NPM_STAMP): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	touch $@

# The compiler bridge: py-solc-x finds "solc-vX.Y.Z" in SOLCX_BINARY_PATH and
# runs it as if it were native solc; it runs the npm compiler instead.
$(SOLC): tools/solc-bridge.js $(NPM_STAMP)
	mkdir -p $(SOLCX_BINARY_PATH)
	printf '#!/bin/sh\nexec node "%s/tools/solc-bridge.js" "$$@"\n' "$(CURDIR)" > $@
	chmod +x $@

# Ape unpacks OpenZeppelin's whole npm package into contracts/.cache, compiled artifacts
# (build/, ~260 JSON files) included, and its scan of contracts/ stops at 500 files: with
# them, our own subfolders (contracts/mocks) would drop out of `project`. Only the Solidity
# sources are needed, and Ape does not unpack again once the folder exists.
compile: setup
	ape compile
	find contracts/.cache -type f ! -name '*.sol' -delete 2>/dev/null || true

web: $(WEB_BUNDLE)

$(WEB_BUNDLE): $(WEB_SOURCES) $(NPM_STAMP)
	node web/build.mjs

browser: $(BROWSER)

$(BROWSER): tools/unpack-chromium.mjs $(NPM_STAMP)
	node tools/unpack-chromium.mjs .browser
	touch $@

# The Solidity tests first (tests/forge: unit tests of every contract path, and invariant
# campaigns of 256 runs of 100 calls; FOUNDRY_INVARIANT_RUNS and FOUNDRY_INVARIANT_DEPTH make
# them longer), then everything on a real anvil node, then the benchmark at a small size (it
# must measure every row of its table). The anvil tests run a file per worker, each worker with
# its own anvil (TEST_WORKERS, two to four by the machine's cores; 0 runs them in this process).
TEST_WORKERS ?= $(shell n=$$(nproc 2>/dev/null || echo 2); [ $$n -lt 2 ] && n=2; [ $$n -gt 4 ] && n=4; echo $$n)
test: compile web browser
	forge test
	ape test tests -q -n $(TEST_WORKERS) --dist loadfile
	JETON_BENCH=smoke JETON_BENCH_OUT=out/bench/smoke ape test benchmarks -q

forge-test: setup
	forge test

# Line and branch coverage of the contracts by the Solidity unit tests (the invariant campaigns
# are left out, so the figures do not depend on a random search), per file; fails below the
# targets of the contracts named.
COVERAGE_TARGETS := TaskEscrow EscrowPayments PlatformRules Reputation WorkVotes WorkGovernor
coverage: setup
	mkdir -p out/coverage
	set -o pipefail; forge coverage --no-match-contract Invariants \
		--no-match-coverage '(tests/|mocks/)' --report summary | tee out/coverage/summary.txt
	$(VENV)/bin/python tools/coverage_gate.py out/coverage/summary.txt \
		--lines 95 --branches 90 $(COVERAGE_TARGETS)

# Every figure of issue 14 with its target and verdict, printed and written to out/bench/
# (bench.json, gas.png); nothing passes or fails on a number. About 4 minutes.
bench: compile web browser
	ape test benchmarks -q -s

# Re-export the ABIs the Python client ships (tests/test_abi_export.py checks them).
abi: compile
	ape run export_abi

demo: compile
	jeton demo

# The demo economy on a local chain, served as the web app (Ctrl-C stops it and its node).
web-demo: compile web
	jeton web --demo

# Slither lives in its own virtual environment: its pins conflict with eth-ape's.
TOOLS_VENV := .venv-tools
SLITHER_STAMP := $(TOOLS_VENV)/.installed
SLITHER_VERSION := 0.11.6

$(SLITHER_STAMP):
	test -x $(TOOLS_VENV)/bin/python || $(PYTHON) -m venv $(TOOLS_VENV)
	$(TOOLS_VENV)/bin/pip install --quiet --upgrade pip
	$(TOOLS_VENV)/bin/pip install --quiet slither-analyzer==$(SLITHER_VERSION)
	touch $@

PY_LINTED := python tests scripts benchmarks tools/coverage_gate.py tools/slither_gate.py

# Python style; Solidity formatting (forge fmt); Slither through Foundry's build (its own
# profile in foundry.toml, settings in slither.config.json), failing on any finding of medium
# severity or more that slither-triage.toml does not justify.
lint: setup $(SLITHER_STAMP)
	ruff check $(PY_LINTED)
	ruff format --check $(PY_LINTED)
	forge fmt --check contracts tests/forge
	mkdir -p out/slither
	rm -f out/slither/report.json
	FOUNDRY_PROFILE=slither $(TOOLS_VENV)/bin/slither . --json out/slither/report.json \
		> out/slither/slither.log 2>&1 || (tail -20 out/slither/slither.log; exit 1)
	$(VENV)/bin/python tools/slither_gate.py out/slither/report.json slither-triage.toml

clean:
	rm -rf $(VENV) $(TOOLS_VENV) node_modules $(SOLCX_BINARY_PATH) .build .ape-data .cache out \
		.pytest_cache .hypothesis python/*.egg-info .browser python/jeton/web/static
