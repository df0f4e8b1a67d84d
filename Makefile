# econ — run `make help` for the targets. Every target creates .venv and installs the project when needed.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
JOBS   ?= 2

.DEFAULT_GOAL := help
.PHONY: help reports test lab demo build lint format bench clean

help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  make %-9s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall when pyproject.toml changes; the stamp remembers which extras are in.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@ $(VENV)/.installed

reports: $(VENV)/.installed ## write the demo world, build the panels, render every report → reports/index.html
	$(BIN)/econ demo
	$(BIN)/econ build --data demo
	$(BIN)/econ report --jobs $(JOBS)
	@echo "open reports/index.html"

test: $(VENV)/.installed-dev ## ruff, mypy and the whole test suite (what CI runs)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python -m pytest -q

lab: $(VENV)/.installed ## open the notebooks in JupyterLab with the project's kernel
	$(BIN)/python -m ipykernel install --sys-prefix --name econ --display-name "econ (.venv)" >/dev/null
	$(BIN)/jupyter lab notebooks/

demo: $(VENV)/.installed ## only write the demo world (data/raw/demo/)
	$(BIN)/econ demo

build: $(VENV)/.installed ## only build the processed panels from data/raw/
	$(BIN)/econ build --data demo

lint: $(VENV)/.installed-dev ## ruff check, format check and mypy
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(VENV)/.installed-dev ## apply ruff's formatting and safe fixes
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(VENV)/.installed-dev ## run the benchmarks (slow; prints ratios against named alternatives)
	for script in benchmarks/*.py; do $(BIN)/python $$script || exit 1; done

clean: ## remove generated data and reports (keeps .venv)
	rm -rf data/raw/demo data/processed/* reports/*.html reports/*.json reports/_failed
