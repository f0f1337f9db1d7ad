# Entry points of the project. `make help` lists them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DATA ?= data/raw

.DEFAULT_GOAL := help
LOCK := requirements.lock
INSTALLER_LOCK := requirements-pip.lock

.PHONY: help report validate test check lock bench bench-size bench-network mutation example-data network-data clean-venv

help: ## List the entry points
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'
	@echo "  (after set-up: $(BIN)/reportlib --help lists the commands)"

# An environment in the folder of $(1) (a venv's bin/): first the installer itself, pip at the version of
# $(INSTALLER_LOCK), checked against its hashes, whatever pip the Python's venv bundles (older ones
# cannot install some locks); then exactly the versions of the lock file, each checked against its
# hashes; then the project itself (editable, without build isolation: its build backend is in the lock
# too, so nothing unlocked is fetched).
define install_environment
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python 3.11 or newer is needed; set PYTHON=..." or 0)'
	test -x $(1)/python || $(PYTHON) -m venv $(patsubst %/,%,$(dir $(1)))
	$(1)/python -m pip install --quiet --require-hashes -r $(INSTALLER_LOCK)
	$(1)/python -m pip install --quiet --require-hashes -r $(LOCK)
	$(1)/python -m pip install --quiet --no-deps --no-build-isolation -e .
endef

# The project's environment, brought up to date whenever a lock or pyproject.toml changes.
$(BIN)/.installed: $(INSTALLER_LOCK) $(LOCK) pyproject.toml
	$(call install_environment,$(BIN))
	touch $@

# The npm packages of the browser checks (tests/browser.py), reinstalled when the lock file changes
# (npm writes node_modules/.package-lock.json on every install). Without npm, or if npm ci fails,
# nothing is installed and the browser tests skip, saying why (they fail instead when CI=true).
BROWSER := tests/browser
$(BROWSER)/node_modules/.package-lock.json: $(BROWSER)/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		echo "npm ci --prefix $(BROWSER) --no-audit --no-fund"; \
		if npm ci --prefix $(BROWSER) --no-audit --no-fund; then touch $@; \
		else echo "npm ci failed: the browser tests will skip" >&2; fi; \
	else \
		echo "npm not found: not installing $(BROWSER)/node_modules; the browser tests will skip" >&2; \
	fi

PERIOD ?= 2018/19

report: $(BIN)/.installed ## Produce the report for PERIOD (default 2018/19) in outputs/ (creates the environment if needed)
	$(BIN)/reportlib run --period $(PERIOD) --data $(DATA)

validate: $(BIN)/.installed ## Check the register in DATA (default data/raw) and print its summary
	$(BIN)/reportlib validate --data $(DATA)

# Both run the tests on every core (pytest-xdist); tests marked with an xdist_group share a worker
# (they share what a module fixture made once).
PYTEST := $(BIN)/python -m pytest -n auto --dist loadgroup

test: $(BIN)/.installed $(BROWSER)/node_modules/.package-lock.json ## Lint (ruff), then run the whole test suite
	$(BIN)/ruff check
	$(PYTEST)

check: $(BIN)/.installed ## The inner loop: lint, then every test that starts no kernel and no browser and is not slow (under a minute)
	$(BIN)/ruff check
	$(PYTEST) -m "not kernel and not browser and not slow"

# uv writes the lock for every platform and Python from 3.11 on (--universal), with the hashes of
# every file; the packages pip would build the project with (pyproject.toml's build-system) are
# locked too. A package asked for with an extra is written with it (fonttools[woff]==...): pip before
# 23.3 otherwise looks the extra up on the index, finds a newer release than the lock's and refuses
# it in --require-hashes mode. The installer (pip) has a lock of its own, installed first. Versions
# already locked are kept where pyproject.toml still allows them; LOCK_FLAGS=--upgrade takes the
# newest of everything.
UV_COMPILE := $(BIN)/uv pip compile --universal --python-version 3.11 --generate-hashes \
	--custom-compile-command 'make lock' --quiet $(LOCK_FLAGS)
lock: $(BIN)/.installed ## Rewrite requirements.lock and requirements-pip.lock from pyproject.toml (LOCK_FLAGS=--upgrade: newest versions); commit them
	$(BIN)/python -c 'import tomllib; print(*tomllib.load(open("pyproject.toml", "rb"))["build-system"]["requires"], sep="\n")' \
		| $(UV_COMPILE) pyproject.toml - --extra test --extra dev --no-strip-extras -o $(LOCK)
	echo pip | $(UV_COMPILE) - -o $(INSTALLER_LOCK)

# The Danish catalogue follows the code: new messages are added with an empty translation to fill in,
# messages the code no longer has are dropped. tests/test_language.py fails until every one is translated.
CATALOGUE := src/reportlib/locale/da/LC_MESSAGES/reportlib.po
messages: $(BIN)/.installed ## Add the code's new messages to the Danish catalogue (then translate them) and drop old ones
	$(BIN)/pybabel -q extract -w 100 --no-location --omit-header --sort-output -o $(VENV)/reportlib.pot src/reportlib
	$(BIN)/pybabel -q update -w 100 --no-fuzzy-matching --ignore-obsolete -l da \
		-i $(VENV)/reportlib.pot -o $(CATALOGUE)

bench: $(BIN)/.installed ## Time a cold run, a cache hit, --all and the statistics against their floors (prints a table; not a test)
	$(BIN)/python bench/run.py

bench-size: $(BIN)/.installed ## Time validate and run on registers of 10,000 to 3,000,000 cases against bare pandas (a table; not a test)
	$(BIN)/python bench/bench_size.py

bench-network: $(BIN)/.installed ## Time run --all over 40 invented municipalities x 5 years, and network reports of 40 and 98 (a table; not a test)
	$(BIN)/python bench/network.py

# mutmut is pinned: its mutation operators, and so the counts of mutants, change between versions.
# It lives in an environment of its own (the lock, the project, mutmut), so the project's .venv stays
# exactly the lock (tests/publish/test_run.py checks that the manifest lists nothing else).
# The configuration (which modules, which tests) is [tool.mutmut] in pyproject.toml; each run starts
# afresh in mutants/ and ends by listing the mutants that survived (`$(MUTATION_BIN)/mutmut show NAME` shows one).
MUTMUT_VERSION := 3.8.1
MUTATION_BIN := .venv-mutation/bin
$(MUTATION_BIN)/.installed: $(INSTALLER_LOCK) $(LOCK) pyproject.toml
	$(call install_environment,$(MUTATION_BIN))
	$(MUTATION_BIN)/python -m pip install --quiet mutmut==$(MUTMUT_VERSION)
	touch $@

mutation: $(MUTATION_BIN)/.installed ## Mutation-test cache, suppress, stats, periods and validate against their unit tests (mutmut; not part of make test)
	rm -rf mutants
	$(MUTATION_BIN)/mutmut run
	@$(MUTATION_BIN)/mutmut results --all true | awk -F'[.:]' '{sub(/^ +/, "", $$NF); n[$$2]++; s[$$2" "$$NF]++} END {for (m in n) printf "  %-9s %3d mutants, %2d survived, %2d no tests, %2d timed out\n", m, n[m], s[m" survived"], s[m" no tests"], s[m" timeout"]}' | sort
	@echo "survivors ($(MUTATION_BIN)/mutmut show NAME shows the change):"
	@$(MUTATION_BIN)/mutmut results

example-data: $(BIN)/.installed ## Regenerate the example register in data/raw (deterministic)
	$(BIN)/python scripts/make_example_register.py

# The synthetic network: N invented municipalities of YEARS complete years each, NETWORK/<slug>/ (seeded).
N ?= 40
YEARS ?= 5
NETWORK ?= outputs/network
network-data: $(BIN)/.installed ## Write N (default 40) invented municipalities of YEARS (5) years into NETWORK (outputs/network)
	$(BIN)/python scripts/make_example_register.py --network $(N) --years $(YEARS) --out $(NETWORK)

clean-venv: ## Remove the environments (the next command recreates the one it needs)
	rm -rf $(VENV) .venv-mutation
