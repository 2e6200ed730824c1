# cxkit — two commands do all the set-up on a fresh machine with python3 and make:
#   make studies   run every study with its defaults, refresh figures/
#   make test      run every test (unit, reference values, doctests, notebook runs)
# Both create .venv and install the locked versions first, when needed.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.cxkit-installed
PYTEST_ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help install studies test lab lint bench lock clean

help:
	@echo "make studies  run every study (cxkit run --all) and refresh figures/"
	@echo "make test     run the test suite (unit, doctests, notebook runs)"
	@echo "make lab      open JupyterLab on the project's kernel"
	@echo "make lint     ruff and the notebook-strip check"
	@echo "make bench    time cxkit against its peers (ratios, one run per script)"
	@echo "make lock     re-resolve dependencies into requirements-lock.txt"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Installs exactly the versions CI tested (requirements-lock.txt), plus cxkit itself.
$(STAMP): $(BIN)/python requirements-lock.txt pyproject.toml
	$(BIN)/python -m pip install --disable-pip-version-check -q -r requirements-lock.txt -e ".[dev]"
	@touch $(STAMP)

install: $(STAMP)

studies: $(STAMP)
	MPLBACKEND=Agg $(BIN)/cxkit run --all --figures figures

test: $(STAMP)
	MPLBACKEND=Agg $(BIN)/python -m pytest $(PYTEST_ARGS)

lab: $(STAMP)
	$(BIN)/jupyter lab --ServerApp.root_dir="$(CURDIR)" $(if $(filter 0,$(shell id -u)),--allow-root) notebooks

lint: $(STAMP)
	$(BIN)/ruff check cxkit tests benchmarks
	$(BIN)/nbstripout --verify notebooks/*.ipynb

bench: $(STAMP)
	@for script in benchmarks/bench_*.py; do echo "== $$script"; \
		MPLBACKEND=Agg $(BIN)/python $$script || exit 1; done

# Maintainers: resolve the newest versions allowed by pyproject.toml in a scratch venv
# and write them to requirements-lock.txt. Run `make test` afterwards before committing.
lock:
	rm -rf .venv-lock && $(PYTHON) -m venv .venv-lock
	.venv-lock/bin/python -m pip install -q -e ".[dev]"
	.venv-lock/bin/python -m pip freeze --exclude-editable | grep -v '^cxkit' > requirements-lock.txt
	rm -rf .venv-lock

clean:
	rm -rf $(VENV) reports .pytest_cache .ruff_cache .hypothesis
