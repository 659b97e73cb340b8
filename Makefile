# ASR Hub — the two commands are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-fuzz test-browser test-pg lint format superuser load migrate clean

# pip at -qq prints errors only: a machine-wide pip configuration (extra indexes that
# do not exist on this machine, say) would otherwise print a warning per package that
# nothing in this project can act on. Errors, and so a failed install, still show.
PIP := $(BIN)/python -m pip install -qq

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) --upgrade pip

# Not an editable install: the project is run from this directory, so only its
# dependencies are needed (and setuptools warns about editable installs of a folder
# named like the project).
$(STAMP): pyproject.toml | $(BIN)/python
	$(PIP) '.[dev]'
	touch $(STAMP)

migrate: $(STAMP)
	$(BIN)/python manage.py migrate --noinput

load: migrate
	$(BIN)/python manage.py load_catalogue

# Django's development server; it would print a production warning on every start, and
# the README already says production runs behind gunicorn (docs/deploy.md).
PORT ?= 8000
run: load
	DJANGO_RUNSERVER_HIDE_WARNING=true $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# The generated-request (Hypothesis) tests are marked fuzz: CI runs them (make test-fuzz).
test: $(STAMP)
	$(BIN)/python -m pytest -m "not fuzz"

test-fuzz: $(STAMP)
	$(BIN)/python -m pytest -m fuzz

test-browser: $(STAMP)
	$(BIN)/python -m pytest -m browser

test-pg: $(STAMP)
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/asrhub} $(BIN)/python -m pytest -m "not browser and not fuzz" --create-db

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

superuser: migrate
	$(BIN)/python manage.py createsuperuser

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
