# micromets: the two commands a new user needs are `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
HOST   ?= 127.0.0.1
PORT   ?= 8000
# Debian packages the report (WeasyPrint, pdftoppm) and the browser tests (chromium) need.
SYSTEM_PACKAGES := chromium poppler-utils fonts-dejavu-core libpango-1.0-0 libpangoft2-1.0-0

.PHONY: install system-deps run report test check bench docs validate clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,validation]'
	touch $(STAMP)

install: $(STAMP)

# Installs the Debian packages when they are missing and we may (root with apt-get); otherwise says what is missing.
system-deps:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v pdftoppm >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	ldconfig -p 2>/dev/null | grep -q libpangoft2 || missing="$$missing libpangoft2-1.0-0"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing system packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null; \
	  else \
	    echo "note: missing system packages:$$missing (browser/PDF-image tests will be skipped)"; \
	  fi; \
	fi

# The main job on the embedded defaults: the micrometastasis example as a text report, then the web app.
run: install
	$(BIN)/micromets assess examples/pn1mi.json --format text
	@echo "Web app and REST API on http://$(HOST):$(PORT): sign in with the link printed below (Ctrl-C to stop)"
	$(BIN)/micromets serve --host $(HOST) --port $(PORT)

report: install
	$(BIN)/micromets assess examples/pn1mi.json --format text

test: install system-deps
	$(BIN)/python -m pytest -q --doctest-modules src/micromets tests

check: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy

bench: install
	$(BIN)/python benchmarks/bench_predict.py --record docs/performance.md
	$(BIN)/python benchmarks/bench_assess.py --record docs/performance.md
	$(BIN)/python benchmarks/bench_cohort.py --record docs/performance.md
	$(BIN)/python benchmarks/bench_tables.py --record docs/performance.md
	$(BIN)/python benchmarks/bench_phases.py
	$(BIN)/python benchmarks/bench_http.py --record docs/performance.md
	$(BIN)/python benchmarks/bench_report.py --record docs/performance.md
	$(BIN)/python benchmarks/bench_cds.py --record docs/performance.md
	$(BIN)/python benchmarks/bench_cds.py --distinct --tokens 10000 --record docs/performance.md

docs: install
	$(BIN)/python -m micromets.guidelines.basis > docs/clinical-basis.md

# PREDICT against the public cohorts (GBSG-2, Rotterdam), every version: docs/validation.md and its figures.
validate: install
	$(BIN)/python -m micromets.validation.docs docs/validation.md

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
