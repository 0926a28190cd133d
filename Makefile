# Sonae: `make demo` runs the product, `make test` runs every check. See README.md.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
CITIES ?= urayasu
HOST ?= 127.0.0.1
PORT ?= 8000
STAMP := $(VENV)/.installed
ASSETS := maps/assets/node_modules/leaflet/dist/leaflet.js

# Without SONAE_DATABASE_URL, everything uses the private cluster under var/.
DB_URL = $(if $(SONAE_DATABASE_URL),$(SONAE_DATABASE_URL),$(shell backend/scripts/localdb.sh url))

.PHONY: help install os-deps os-deps-test db db-stop demo serve test lint format bench clean

help:
	@echo "make demo    load $(CITIES) and serve the map on http://$(HOST):$(PORT)/ (CITIES=\"urayasu nishinomiya numazu\")"
	@echo "make test    lint, type-check and run the whole test suite on real PostGIS and Chromium"
	@echo "make lint    ruff and mypy (strict) only"
	@echo "make bench   run the benchmarks and write docs/benchmarks.md"
	@echo "make db      start the private PostgreSQL cluster under var/ (db-stop stops it)"

os-deps:
	@backend/scripts/os-deps.sh runtime

os-deps-test:
	@backend/scripts/os-deps.sh test

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $@

$(ASSETS): maps/assets/package.json
	npm install --prefix maps/assets --no-audit --no-fund --silent
	@# The packages' demo pages, READMEs and doc templates point at CDNs (unreachable on LGWAN);
	@# Sonae serves none of them (sonae_maps.assets.SERVED_SUFFIXES), so they are not kept.
	@# Licences stay, whatever their suffix.
	find maps/assets/node_modules -type f \( -name '*.html' -o -name '*.hbs' -o -iname '*.md' \) \
		! -iname 'licen[cs]e*' -delete
	@touch $@

install: os-deps $(STAMP) $(ASSETS)

db: os-deps
	@if [ -z "$$SONAE_DATABASE_URL" ]; then backend/scripts/localdb.sh start; fi

db-stop:
	@backend/scripts/localdb.sh stop

demo: install db
	SONAE_DATABASE_URL='$(DB_URL)' $(BIN)/sonae db upgrade
	@for city in $(CITIES); do SONAE_DATABASE_URL='$(DB_URL)' $(BIN)/sonae import city $$city || exit 1; done
	@echo
	@echo "  Sonae is serving $(firstword $(CITIES)): open http://$(HOST):$(PORT)/   (Ctrl-C stops it)"
	@SONAE_DATABASE_URL='$(DB_URL)' $(BIN)/sonae users ensure-demo
	@echo
	SONAE_DATABASE_URL='$(DB_URL)' $(BIN)/sonae serve --host $(HOST) --port $(PORT)

serve: install db
	SONAE_DATABASE_URL='$(DB_URL)' $(BIN)/sonae serve --host $(HOST) --port $(PORT)

lint: $(STAMP)
	$(BIN)/ruff check backend maps tests bench
	$(BIN)/ruff format --check backend maps tests bench
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff format backend maps tests bench
	$(BIN)/ruff check --fix backend maps tests bench

test: install os-deps-test db lint
	SONAE_DATABASE_URL='$(DB_URL)' $(BIN)/pytest

bench: install os-deps-test db
	SONAE_DATABASE_URL='$(DB_URL)' $(BIN)/python bench/run.py

clean:
	-backend/scripts/localdb.sh stop
	rm -rf var $(VENV) maps/assets/node_modules
