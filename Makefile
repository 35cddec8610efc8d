# creditlab — every target creates or reuses .venv and installs what it needs.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.stamp-install
OUT    ?= output
REPORT ?= credit_dashboard
JOBS   ?= 2
BENCH_SCALE ?= 1
BENCH_ONLY  ?=
BENCH_ARGS  ?=

.PHONY: help install report test lint lab kit bench clean

help:
	@echo "make report  - run the main report on the bundled demo data"
	@echo "make test    - run the whole test suite (unit, properties, notebooks)"
	@echo "make lab     - start JupyterLab on the project"
	@echo "make kit     - build the trainer kit into docs/formateur"
	@echo "make bench   - every benchmark at moderate sizes, one table (~10 min; BENCH_SCALE=0.1"
	@echo "               smoke run, BENCH_ONLY=scores,reports, BENCH_ARGS='--skip course')"
	@echo "make lint    - ruff check"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test,bench,course,reports,room]"
	$(BIN)/python -m ipykernel install --prefix $(VENV) --name python3 >/dev/null
	touch $(STAMP)

install: $(STAMP)

report: $(STAMP)
	$(BIN)/creditlab report run $(REPORT) --out $(OUT)

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -n $(JOBS) --dist loadfile --nbval-lax tests notebooks exercises

lint: $(STAMP)
	$(BIN)/ruff check .

lab: $(STAMP)
	$(BIN)/jupyter lab --notebook-dir=. $(if $(filter 0,$(shell id -u 2>/dev/null)),--allow-root,)

kit: $(STAMP)
	$(BIN)/creditlab kit docs/formateur

bench: $(STAMP)
	$(BIN)/python benchmarks/run_all.py --size-scale $(BENCH_SCALE) $(if $(BENCH_ONLY),--only $(BENCH_ONLY),) $(BENCH_ARGS)

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache .ruff_cache
