# Two commands a newcomer needs: `make serve` and `make test`. Both set up what they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: serve test build lint bench translations clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/activate  # what the service needs
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed  # and the tools of the tests and benchmarks
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

serve: $(VENV)/.installed  ## build the store from data/ if needed, then run the service
	$(BIN)/pledgegraph serve --host $(HOST) --port $(PORT)

test: $(VENV)/.installed-dev  ## run the whole test suite
	$(BIN)/python -m pytest

build: $(VENV)/.installed  ## validate data/ and publish a new release of the store
	$(BIN)/pledgegraph build

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check service tests bench

bench: $(VENV)/.installed-dev  ## benchmarks (not tests): make bench NAME=build|shacl|import|sparql|pages|stores|servers|load
	$(BIN)/python -m bench $(NAME)

CATALOGUES := service/web/translations
translations: $(VENV)/.installed  ## extract the interface strings, update the fr/es/ar catalogues, compile them
	$(BIN)/pybabel extract -F babel.cfg -k N_ --no-location --sort-output --project pledgegraph \
		--copyright-holder "pledgegraph project" -o $(CATALOGUES)/messages.pot service
	$(BIN)/pybabel update -i $(CATALOGUES)/messages.pot -d $(CATALOGUES) --width 100 --ignore-obsolete
	$(BIN)/pybabel compile -d $(CATALOGUES) --statistics

clean:
	rm -rf $(VENV) var .pytest_cache
