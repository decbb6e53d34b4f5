# nqpf task runner. Every target sets itself up on a fresh Debian 12 machine:
# system packages (R, Chromium) when run as root and missing, a .venv, and the package.
.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.nqpf-installed
# Debian packages: R with the routines the tests compare against, the default data's
# source (pwt9), Chromium for the browser tests, and XeLaTeX with a CJK font for the
# tests that compile every .tex (texlive-latex-extra: threeparttable, newunicodechar), and
# LibreOffice Writer for the tests that render the Word documents to pages.
APT_PKGS := r-base-core r-base-dev r-cran-laeken r-cran-hmisc r-cran-pwt9 r-cran-mfilter r-cran-classint \
            r-cran-plm r-cran-sandwich r-cran-markovchain r-cran-spdep r-cran-spatialreg chromium \
            texlive-latex-recommended texlive-latex-extra texlive-xetex texlive-lang-chinese fonts-noto-cjk \
            latex-cjk-chinese latex-cjk-chinese-arphic-gbsn00lp libreoffice-writer-nogui poppler-utils

.PHONY: help setup system-deps demo test test-fast app lint bench data golden

help: ## list the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN{FS=":.*?## "}{printf "  make %-11s %s\n", $$1, $$2}'

system-deps: ## install R, its packages, Chromium, XeLaTeX and LibreOffice from Debian (as root, only what is missing)
	@missing=""; for p in $(APT_PKGS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    echo "installing from Debian:$$missing"; \
	    export DEBIAN_FRONTEND=noninteractive; \
	    apt-get update -qq && apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	  else \
	    echo "warning: missing Debian packages:$$missing (run as root or install them; R-dependent tests will skip)"; \
	  fi; \
	fi

$(STAMP): pyproject.toml | system-deps
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	@if command -v R >/dev/null 2>&1; then extras="r,app,spatial,dev"; else extras="app,spatial,dev"; \
	  echo "warning: R not found, installing without the r extra"; fi; \
	$(PY) -m pip install -q -e ".[$$extras]"
	@touch $(STAMP)

setup: system-deps $(STAMP) ## create .venv and install nqpf with all extras
	@# R may have arrived after the venv was made: add the r extra then
	@if command -v R >/dev/null 2>&1 && ! $(PY) -c "import rpy2.robjects" >/dev/null 2>&1; then \
	  $(PY) -m pip install -q -e ".[r,app,spatial,dev]"; fi

demo: setup ## run the whole pipeline on the default data and write nqpf-report/
	$(VENV)/bin/nqpf demo --out nqpf-report

test: setup ## run the whole test suite (R comparisons and browser tests included)
	$(PY) -m pytest -rs -q

test-fast: setup ## tests without R and without the browser
	$(PY) -m pytest -rs -q -m "not r and not e2e"

app: setup ## start the Streamlit app on http://localhost:8501
	$(VENV)/bin/streamlit run streamlit_app.py

lint: setup ## ruff check and format check
	$(VENV)/bin/ruff check pkg tests bench
	$(VENV)/bin/ruff format --check pkg tests bench

bench: setup ## run the benchmarks (prints tables; never fails on time)
	@for f in bench/bench_*.py; do echo "== $$f"; $(PY) $$f; done

data: setup ## regenerate the default data from Debian's r-cran-pwt9
	Rscript data/make_pwt.R
