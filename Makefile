# The two commands for everyone: `make book` and `make test`.
# Both create .venv on first use and install the exact pins of requirements.txt.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# -n nitpicky, -W warnings are errors, --keep-going: report every failure in one run.
BUILD_FLAGS := -n -W --keep-going

.PHONY: book test unit check html-test browser-test figures bench serve linkcheck clean install

book: $(STAMP)
	$(BIN)/jupyter-book build . $(BUILD_FLAGS)

# A Chromium for the browser tests (found, else Playwright's download, else stop
# at once saying how to install one), unit tests, the build (every page
# executes), then checks of the built HTML, one run of the student notebooks
# (Binder's and Colab's forms at once: tests/student_runs.py) and, in Chromium,
# of the site as readers see it.
test: $(STAMP)
	$(BIN)/python tests/chromium.py
	$(BIN)/python -m pytest
	$(BIN)/jupyter-book build . $(BUILD_FLAGS)
	$(BIN)/python -m pytest -m "html or browser"

unit: $(STAMP)
	$(BIN)/python -m pytest

# While editing one page: the build (cached: only the edited page's group
# executes again), then every test parametrized by that page, in both editions
# (unit, HTML, browser, its student notebook's run). PAGE=book/en/18-3.md, 18-3, labs/lab03.
check: $(STAMP)
	@test -n "$(PAGE)" || { echo "usage: make check PAGE=book/en/18-3.md (or 18-3, labs/lab03)"; exit 2; }
	$(BIN)/python tests/chromium.py
	$(BIN)/jupyter-book build . $(BUILD_FLAGS)
	$(BIN)/python -m pytest -m "" --page="$(PAGE)"

html-test: $(STAMP)
	$(BIN)/python -m pytest -m html

browser-test: $(STAMP)
	$(BIN)/python tests/chromium.py
	$(BIN)/python -m pytest -m browser

figures: $(STAMP)
	$(BIN)/python -m booktools.figures

# Speed, memory and model quality, side by side in one run: a table, also
# written to bench/results.md. Takes several minutes; not part of `make test`.
bench: $(STAMP)
	$(BIN)/python -m booktools.bench

# External links (needs the network; the linkcheck workflow runs it weekly).
linkcheck: $(STAMP)
	$(BIN)/jupyter-book build . --builder linkcheck

serve: book
	$(BIN)/python -m http.server --directory _build/html 8000

install: $(STAMP)

# A .venv copied from another checkout would run that checkout's interpreter and
# code through its scripts' first lines: stop and say so rather than build the wrong book.
OWN_VENV = $(shell head -3 $(BIN)/jupyter-book 2>/dev/null | grep -qF '$(CURDIR)/$(BIN)/python' \
             && echo yes)
ifneq ($(wildcard $(BIN)/jupyter-book),)
ifneq ($(OWN_VENV),yes)
$(error $(VENV) was made for another folder (its scripts start with "$(shell head -1 \
  $(BIN)/jupyter-book)"); remove it (rm -rf $(VENV)) and run make again)
endif
endif

$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

clean:
	rm -rf _build
