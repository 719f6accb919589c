# Two commands on a fresh machine (each does its own set-up):
#   make        build the bundled agreement into out/
#   make test   run the test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Debian packages the tests use to read PDFs back independently (pdftotext, pdffonts, pdfinfo).
TEST_DEBS := poppler-utils

.PHONY: build test bench schema clean .debs-installed
build: $(VENV)/.installed
	$(BIN)/kyoyaku-pdf build

test: $(VENV)/.installed-test .debs-installed
	$(BIN)/python -m pytest

bench: $(VENV)/.installed
	$(BIN)/python benchmarks/bench_build.py

schema: $(VENV)/.installed
	$(BIN)/kyoyaku-pdf schema

$(VENV)/.installed: pyproject.toml
	[ -x $(BIN)/python ] || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

.debs-installed:
	@command -v pdftotext >/dev/null && command -v pdffonts >/dev/null || \
	  { $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(TEST_DEBS); }

clean:
	rm -rf $(VENV) out
