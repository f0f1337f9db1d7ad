# Entry points of the project. `make help` lists them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DATA ?= data/raw

.DEFAULT_GOAL := help
.PHONY: help report validate test bench bench-size example-data clean-venv

help: ## List the entry points
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'
	@echo "  (after set-up: $(BIN)/reportlib --help lists the commands)"

# The environment is rebuilt whenever pyproject.toml changes.
$(BIN)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python 3.11 or newer is needed; set PYTHON=..." or 0)'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
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

test: $(BIN)/.installed $(BROWSER)/node_modules/.package-lock.json ## Run the whole test suite
	$(BIN)/python -m pytest

bench: $(BIN)/.installed ## Time a cold run, a cache hit, --all and the statistics against their floors (prints a table; not a test)
	$(BIN)/python bench/run.py

bench-size: $(BIN)/.installed ## Time validate and run on registers of 10,000 to 3,000,000 cases against bare pandas (a table; not a test)
	$(BIN)/python bench/bench_size.py

example-data: $(BIN)/.installed ## Regenerate the example register in data/raw (deterministic)
	$(BIN)/python scripts/make_example_register.py

clean-venv: ## Remove the environment (the next command recreates it)
	rm -rf $(VENV)
