# The two commands of the README, and a few more. Each target installs what it needs.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
export EDUCATIONAL_ENV ?= development

.PHONY: serve test test-postgres lint format install bench clean translations

$(BIN)/flask: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=25.1"
	$(BIN)/python -m pip install --quiet -e . --group dev
	touch $(BIN)/flask

install: $(BIN)/flask

## Set up, load the courses, the demo accounts and (once) a demo registry of 200 people, and
## serve on http://127.0.0.1:5000 (SQLite). It prints the demo passwords (made once, kept in
## instance/demo-passwords.json) and where sent e-mail can be read (/dev/mail).
## Links and allowed host names follow EDUCATIONAL_PUBLIC_URL (default: where it serves).
serve: export EDUCATIONAL_PUBLIC_URL ?= http://$(HOST):$(PORT)
serve: install
	$(BIN)/flask --app wsgi db upgrade
	$(BIN)/flask --app wsgi courses sync
	$(BIN)/flask --app wsgi demo load
	$(BIN)/flask --app wsgi run --host $(HOST) --port $(PORT)

## Set up and run the whole test suite (SQLite; TEST_DATABASE_URL=postgresql://... for PostgreSQL).
test: install
	EDUCATIONAL_ENV=testing $(BIN)/python -m pytest $(PYTEST_ARGS)

## The suite against a throwaway PostgreSQL cluster (what .ci/run does after `make test`).
test-postgres: install
	bash .ci/postgres-leg

## Every benchmark, then one table of figures (--quick for small sizes: make bench ARGS=--quick).
bench: install
	$(BIN)/python benchmarks/run_all.py $(ARGS)

## ruff, then the import contracts of pyproject.toml ([tool.importlinter]: the layers).
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## Extract the interface's strings, merge them into the fr, pt and zh catalogues, compile them.
## Translate what is new or empty in educational/translations/*/LC_MESSAGES/messages.po, then
## run it again: tests/test_translations.py fails on a missing translation or a stale .mo.
translations: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k lazy_ngettext:1,2 \
		-k pgettext:1c,2 -k lazy_pgettext:1c,2 -k npgettext:1c,2,3 --add-location=file --sort-output \
		--project=educational -o educational/translations/messages.pot .
	$(BIN)/pybabel update -i educational/translations/messages.pot -d educational/translations \
		--no-fuzzy-matching --ignore-obsolete --ignore-pot-creation-date
	$(BIN)/pybabel compile -d educational/translations --statistics

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
