# Everything a reader, a student or CI needs; each target sets up the environment itself.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
# The lock: exact versions and hashes of every package, for every platform (`make lock` remakes it).
LOCK   := requirements.txt
LOCK_BROWSER := requirements-browser.txt
# The install stamp is named by the checksum of pyproject.toml and the lock together: a change of
# content reinstalls, a change of file times (a fresh checkout, a restored CI cache) does not.
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml $(LOCK) 2>/dev/null | cksum | cut -d' ' -f1)

# TensorFlow must be quiet and compute the same way on every machine (see rnnbook/backend.py)
export TF_CPP_MIN_LOG_LEVEL := 3
export TF_ENABLE_ONEDNN_OPTS := 0
export PYDEVD_DISABLE_FILE_VALIDATION := 1
export PATH := $(CURDIR)/$(BIN):$(PATH)
# The same floating-point results on every x86-64 CPU, so that the stored outputs match anywhere:
# OpenBLAS and NumPy both pick their kernels by the CPU they find, and AVX-512 kernels round
# differently from AVX2 ones (chapter 5 trains chaotic runs that amplify a last-bit change).
# Both are held to the AVX2 kernels that every x86-64 CPU of the last ten years runs. On a CPU with
# AVX-512 that costs some speed: `make kernel-cost` measures it (see chapters/testing.md).
ifeq ($(shell uname -m),x86_64)
export OPENBLAS_CORETYPE := Haswell
export NPY_DISABLE_CPU_FEATURES := X86_V4 AVX512_ICL AVX512_SPR
endif

.PHONY: help install book translations test browser-test pdf lab execute bench kernel-cost student grade classroom clean

help:
	@echo "make book     build the HTML book into _build/html (warnings are errors), the Chinese edition into _build/html/zh"
	@echo "make translations  update the Chinese catalogs in locales/ to the current English (PAGES= starts pages)"
	@echo "make test     unit tests, then nbval re-runs every notebook and compares its outputs (ARGS= passes pytest arguments, e.g. one notebook)"
	@echo "make browser-test  build the book and its PDF, open every page in headless Chromium and check it"
	@echo "make pdf      the whole book as one PDF, _build/html/rnnbook.pdf (printed by headless Chromium)"
	@echo "make lab      open the chapters (DIR=student: the student edition) in JupyterLab; LAB_ARGS= its options"
	@echo "make execute  re-run notebooks in place to refresh stored outputs (NB=path for one)"
	@echo "make bench    NumPy LSTM against Keras LSTM, training throughput side by side"
	@echo "make kernel-cost  what the held AVX2 kernels cost: one notebook (NB=) timed with and without"
	@echo "make student  write the student edition into student/ and prove it runs (nbval)"
	@echo "make grade    grade a student's notebooks or a class (DIR=), results as JSON and CSV (OUT=)"
	@echo "make classroom DIR=path  a course's students' repository: the handout and a CI that grades"
	@echo "make install  only set up .venv from the lock (every other target does it first)"
	@echo "make lock     remake the lock (requirements*.txt) from pyproject.toml; LOCK_ARGS=--upgrade for the newest releases"

# No file prerequisites on purpose: the stamp's name already says which pyproject and lock it is for.
$(STAMP):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11, 5) else \
	  "rnnbook needs Python 3.11.5 or newer; $(PYTHON) is " + sys.version.split()[0])'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	rm -f $(VENV)/.installed-* && touch $@

# Remake the lock from pyproject.toml with uv (a universal lock: one file, markers for every
# platform and Python version). Versions already in the lock are kept unless pyproject.toml rules
# them out; `make lock LOCK_ARGS=--upgrade` moves everything to the newest releases (then run
# `make test` and look at what changed: chapters/testing.md).
UV_VERSION := 0.13.9
LOCK_COMPILE = $(BIN)/uv pip compile --quiet --universal --python-version 3.11.5 --generate-hashes \
	--custom-compile-command "make lock" $(LOCK_ARGS)
lock:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	test -x $(BIN)/uv || $(BIN)/python -m pip install --quiet uv==$(UV_VERSION)
	$(LOCK_COMPILE) --extra book --extra test --extra lab -o $(LOCK) pyproject.toml
	$(LOCK_COMPILE) --extra browser --constraint $(LOCK) -o $(LOCK_BROWSER) pyproject.toml

# set up .venv from the lock and nothing else (CI caches it after this step)
install: $(STAMP)

book: $(STAMP)
	$(BIN)/jupyter-book build -W -n --keep-going .
	$(BIN)/python scripts/translations.py build
	@echo "Open the book: file://$(CURDIR)/_build/html/index.html (Chinese: _build/html/zh/index.html)"

# bring the Chinese catalogs up to the current English (PAGES=chapters/01_neurons starts a page)
translations: $(STAMP)
	$(BIN)/python scripts/translations.py update $(PAGES)

test: $(STAMP)
	$(BIN)/python -m pytest -n 2 --dist loadfile $(ARGS)

# Debian's chromium, driven by Playwright's Python package (whose own browser download is never used)
CHROMIUM ?= /usr/bin/chromium
export CHROMIUM

# axe-core, the accessibility engine the browser test runs in every page, from npm
AXE_VERSION := 4.14.1
export AXE := $(CURDIR)/_build/axe/node_modules/axe-core/axe.min.js

browser-test: $(CHROMIUM) pdf $(AXE)
	$(BIN)/python -m pytest tests/browser

# the whole book as one PDF (scripts/book_pdf.py), which the HTML links to
pdf: $(CHROMIUM) book
	@$(BIN)/python -c 'import playwright' 2>/dev/null || \
	  $(BIN)/python -m pip install --quiet --require-hashes --no-deps -r $(LOCK_BROWSER)
	$(BIN)/python scripts/book_pdf.py

$(AXE):
	npm install --prefix _build/axe --no-save --no-audit --no-fund axe-core@$(AXE_VERSION)

$(CHROMIUM):
	@test "$(CHROMIUM)" = /usr/bin/chromium || { echo "CHROMIUM=$(CHROMIUM) must be a Chromium that exists; there is no such file (leave CHROMIUM unset to install Debian's)" >&2; exit 2; }
	@echo "make browser-test needs Chromium at $(CHROMIUM): installing Debian's 'chromium' (and a Chinese font for the glossary's screenshots) with apt-get (needs root)"
	@if [ "$$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then \
	  echo "cannot install it here: run 'sudo apt-get install chromium', or give its path: make browser-test CHROMIUM=/path/to/chromium" >&2; \
	  exit 1; fi
	apt-get update -q
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium fonts-wqy-microhei poppler-utils

# DIR=student opens the student edition; LAB_ARGS= passes JupyterLab options (--no-browser, --port=...).
# JupyterLab refuses to run as root unless told to (a container, CI): the Makefile tells it then.
# Kernels use the CurveZMQ encryption their kernelspec offers (else each warns it runs in plain text).
LAB_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)
# scripts/lab.py refuses a DIR without notebooks and an option JupyterLab does not know, then starts it
lab: $(STAMP)
	$(BIN)/python scripts/lab.py $(or $(DIR),chapters) $(LAB_ROOT) --KernelManager.transport_encryption=auto $(LAB_ARGS)

execute: $(STAMP)
	$(BIN)/python scripts/execute_notebooks.py $(or $(NB),$(wildcard chapters/*.ipynb))

# what the held kernels above cost: one notebook run with and without them, taking turns
kernel-cost: $(STAMP)
	$(BIN)/python scripts/kernel_cost.py $(or $(NB),chapters/05_bptt.ipynb) $(ARGS)

# a race, not a reproduction: NumPy and OpenBLAS may use their fastest kernels (the script picks
# OpenBLAS' by measurement)
bench: $(STAMP)
	env -u OPENBLAS_CORETYPE -u NPY_DISABLE_CPU_FEATURES $(BIN)/python scripts/benchmark_lstm.py $(ARGS)

student: $(STAMP)
	$(BIN)/python scripts/student_edition.py student
	$(BIN)/python scripts/execute_notebooks.py student/*.ipynb
	$(BIN)/python scripts/student_edition.py --relative-paths student/*.ipynb
	$(BIN)/python -m pytest -p no:cacheprovider -n 2 --dist loadfile student

# DIR: one student's notebooks (or their repository), or a class: one folder per student.
# Results in OUT (default _build/grades): grades.json and grades.csv. ARGS: --require, --course, ...
grade: $(STAMP)
	$(BIN)/python scripts/grade.py $(or $(DIR),student) $(if $(OUT),--out $(OUT)) $(ARGS)

# a course's students' repository in DIR: the handout `make student` made and proved, and a CI
# that grades with this repository's grader at HEAD (chapters/instructors.md)
# (its arguments are checked before `make student` starts)
classroom: $(STAMP)
	$(BIN)/python scripts/classroom.py "$(DIR)" --handout student --check $(ARGS)
	$(MAKE) student
	$(BIN)/python scripts/classroom.py $(DIR) --handout student $(ARGS)

clean:
	rm -rf _build
