# The two commands of the README: `make lab` and `make test`. Everything else is a friend of those.
# The course installs into .venv; a stamp keyed on the dependency files makes a second run skip
# the install in seconds, and any change to pyproject.toml reinstalls.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEPS_HASH := $(shell cat pyproject.toml | $(PYTHON) -c "import hashlib,sys; print(hashlib.sha256(sys.stdin.buffer.read()).hexdigest()[:16])")
LAB_STAMP := $(VENV)/.installed-lab-$(DEPS_HASH)
TEST_STAMP := $(VENV)/.installed-test-$(DEPS_HASH)

.PHONY: lab test unit lint execute bench clean help

help:
	@echo "make lab      install the course into .venv and open JupyterLab on notebooks/"
	@echo "make test     install (with test tools) and run the whole test suite"
	@echo "make unit     the fast lane (about 2 minutes): tests not marked slow, browser or notebook"
	@echo "make lint     ruff check . (the rules are in pyproject.toml)"
	@echo "make execute  re-run notebooks and store their outputs (NB=notebooks/03_bptt.ipynb for one)"
	@echo "make bench    run the benchmarks (installs torch for the comparison)"
	@echo "make assignments  graded homework: an nbgrader course of every lesson's exercises in build/assignments/ (Python 3.11+)"
	@echo "make site     the course website (every lesson, offline) into build/site/"
	@echo "make present  live slides, code hidden (NB=04): Voila reveal on 127.0.0.1"
	@echo "make slides   static HTML decks of every lesson into build/slides/ (offline)"
	@echo "make slides-preview  a PNG of every slide of every deck into build/slides-preview/"
	@echo "make browser  only the browser tests (tests/browser)"
	@echo "make slides-assets  fetch reveal.js, MathJax & co. from the npm registry once (for present, slides)"
	@echo "make clean    remove build/ (except build/assignments, which may hold a gradebook) and the pytest cache (not .venv)"

$(BIN)/python:
	@$(PYTHON) -c "import sys; sys.exit(0 if sys.version_info >= (3, 10) else 'This course needs Python 3.10 or newer; found ' + sys.version.split()[0] + '. Install a newer Python, or run: make lab PYTHON=python3.12')"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(LAB_STAMP): pyproject.toml | $(BIN)/python
	rm -f $(VENV)/.installed-*
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	rm -f $(VENV)/.installed-test-*
	$(BIN)/python -m pip install --quiet -e ".[test,instructor,site]"
	touch $@ $(LAB_STAMP)

# One BLAS thread (for lab, test and execute; presenting/Makefile.inc does the same): the course's
# matrices are tiny, and on a shared 2-core machine OpenBLAS's threads made notebooks 15x slower
# (outputs are identical either way).
# Extra options for JupyterLab, e.g. make lab LAB_ARGS="--allow-root --no-browser" in a container.
LAB_ARGS ?=
lab: export OPENBLAS_NUM_THREADS = 1
lab: $(LAB_STAMP)
	$(BIN)/jupyter lab --ServerApp.ip=127.0.0.1 --ServerApp.root_dir=notebooks $(LAB_ARGS) notebooks/00_start_here.ipynb

test: export OPENBLAS_NUM_THREADS = 1
test: $(TEST_STAMP)
	$(BIN)/python -m pytest

# The fast lane: no notebook, no browser, nothing marked slow. nbval is switched off, so the
# addopts that name its options (--nbval, --sanitize-with) are replaced by -ra alone.
unit: export OPENBLAS_NUM_THREADS = 1
unit: $(TEST_STAMP)
	$(BIN)/python -m pytest tests -m "not slow and not browser and not notebook" -p no:nbval -o addopts=-ra

lint: $(TEST_STAMP)
	$(BIN)/ruff check .

# Re-run notebooks from a clean kernel and store their outputs (what strict nbval compares).
NB ?= $(wildcard notebooks/*.ipynb)
execute: export OPENBLAS_NUM_THREADS = 1
execute: $(TEST_STAMP)
	$(BIN)/jupyter nbconvert --to notebook --execute --inplace --ExecutePreprocessor.timeout=300 \
		--ExecutePreprocessor.record_timing=False \
		--NotebookExporter.preprocessors=nbconvert.preprocessors.CoalesceStreamsPreprocessor $(NB)

bench: $(TEST_STAMP)
	$(BIN)/python -m pip install --quiet -e ".[bench]"
	$(BIN)/python benchmarks/bench_rnn.py
	$(BIN)/python benchmarks/bench_import.py
	$(BIN)/python benchmarks/bench_live_figures.py

# build/assignments is kept: it may hold an nbgrader gradebook (make assignments). Delete it by hand.
clean:
	rm -rf $(filter-out build/assignments,$(wildcard build/*)) .pytest_cache

include presenting/Makefile.inc
include instructors/Makefile.inc
include site/Makefile.inc
