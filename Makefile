# dlbook: `make book` and `make test` are all a newcomer needs; both create .venv themselves.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip install --quiet --disable-pip-version-check
NBVAL  := --nbval

.PHONY: book test bench notebooks lab clean

book: $(VENV)/.book  ## build the HTML book into _build/html (warnings are errors)
	$(BIN)/python tools/make_report.py
	$(BIN)/jupyter-book build . --all --warningiserror --keep-going
	@echo "Open _build/html/index.html in a browser."

test: $(VENV)/.test  ## ruff, unit and parity tests, book tests, then every notebook under nbval
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -n auto --dist loadscope tests chapters/ko chapters/en $(NBVAL)

bench: $(VENV)/.test  ## dlbook / torch speed ratios (CPU, float32) -> chapters/performance.json
	$(BIN)/python -m benchmarks.run

notebooks: $(VENV)/.book  ## glossary pages, then chapters/{ko,en}/*.ipynb from chapters/src (executed)
	$(BIN)/python tools/make_notebooks.py

lab: $(VENV)/.book  ## Jupyter Lab on the chapters (containers often run as root: allow it)
	$(BIN)/jupyter lab chapters $(if $(filter 0,$(shell id -u)),--allow-root)

clean:
	rm -rf _build .pytest_cache .ruff_cache

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else \
		"dlbook needs Python 3.11 or newer; run: make PYTHON=python3.11 ...")'
	$(PYTHON) -m venv $(VENV)

$(VENV)/.book: pyproject.toml | $(BIN)/python
	$(PIP) -e ".[book]"
	touch $@

$(VENV)/.test: pyproject.toml $(VENV)/.book
	$(PIP) -e ".[book,test]"
	touch $@
