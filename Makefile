# Two commands do all the set-up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench setup browser desktop media clean

setup: $(STAMP) browser desktop media

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "homebody needs Python 3.11 or newer (set PYTHON=...)"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo "installing homebody and its tools into $(VENV) ..."
	@$(BIN)/python -m pip install -q --disable-pip-version-check --upgrade pip
	@# torch first, pinned: any looser spec pulls several GB of CUDA packages on a CPU-only machine.
	@$(BIN)/python -m pip install -q --disable-pip-version-check torch==2.13.0
	@$(BIN)/python -m pip install -q --disable-pip-version-check -e '.[dev]'
	@touch $@

browser: $(STAMP)
	@scripts/ensure-browser.sh $(BIN)/python

# Xvfb and xdotool for desktop sessions and their tests (skipped, with the reason, where absent).
desktop:
	@scripts/ensure-desktop.sh

# ffmpeg for replay videos and the test that renders one (skipped, with the reason, where absent).
media:
	@scripts/ensure-media.sh

demo: setup
	$(BIN)/homebody demo

lint: $(STAMP)
	$(BIN)/ruff check homebody tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

test: setup lint
	$(BIN)/python -m pytest

bench: setup
	$(BIN)/python bench/step_overhead.py --steps 20
	$(BIN)/python bench/safety_webguard.py
	$(BIN)/python bench/probe_latency.py --probes 100
	$(BIN)/python bench/ocr.py
	$(BIN)/python bench/verify.py --runs 50 --steps 10
	$(BIN)/python bench/live.py --quick
	$(BIN)/python bench/api_load.py --quick
	$(BIN)/python -m bench.miniwob --quick

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
