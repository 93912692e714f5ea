# Two commands for a newcomer: `make run` (demo site) and `make test` (everything CI runs).
PYTHON ?= python3
# `make run PORT=8001` when 8000 is taken.
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test install lint migrate seed serve bench clean xapi-tools oidc-tools messages

$(PY):
	$(PYTHON) -m venv $(VENV)

# Reinstall only when the dependency list changes, so re-running is fast.
$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_demo

serve:
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

run: seed serve

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

test: lint xapi-tools oidc-tools
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest

# The Welsh catalogues (locale/cy/LC_MESSAGES): collect our strings (templates, Python, and
# static/js for djangojs), then compile them. Translate what is new in the .po files, run it
# again, and commit both .po and .mo; tests/test_translations.py fails while any is missing.
MESSAGES_IGNORE := --ignore=tests --ignore=bench --ignore=staticfiles --ignore=media \
	--ignore=private --ignore=docs
messages: install
	$(PY) manage.py makemessages --locale=cy --no-obsolete --add-location=file $(MESSAGES_IGNORE)
	$(PY) manage.py makemessages --locale=cy --no-obsolete --add-location=file \
		--domain=djangojs $(MESSAGES_IGNORE)
	cd locale && ../$(PY) ../manage.py compilemessages --locale=cy

# The national-scale benchmark (docs/benchmarks.md); `make bench BENCH_ARGS=--quick` for a smoke run.
BENCH_ARGS ?= --conn-health-checks both
bench: install
	$(PY) bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache

# xAPI test tools (tests/xapi): Ralph, a real LRS, in a venv of its own so that its pins never
# touch the project's, and the node statement validator.
LRS_VENV := .lrs-venv
LRS_STAMP := $(LRS_VENV)/.installed
VALIDATOR := tests/xapi/validator
VALIDATOR_STAMP := $(VALIDATOR)/node_modules/.installed

$(LRS_STAMP): tests/lrs/requirements.txt
	$(PYTHON) -m venv $(LRS_VENV)
	$(LRS_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(LRS_VENV)/bin/python -m pip install --quiet -r tests/lrs/requirements.txt
	touch $(LRS_STAMP)

$(VALIDATOR_STAMP): $(VALIDATOR)/package.json $(VALIDATOR)/package-lock.json
	cd $(VALIDATOR) && npm ci --no-audit --no-fund --loglevel=error
	touch $(VALIDATOR_STAMP)

xapi-tools: $(LRS_STAMP) $(VALIDATOR_STAMP)

# The test OpenID Provider (tests/oidc/op.mjs): node's oidc-provider, for the sign-in tests.
OIDC_OP := tests/oidc
OIDC_STAMP := $(OIDC_OP)/node_modules/.installed

$(OIDC_STAMP): $(OIDC_OP)/package.json $(OIDC_OP)/package-lock.json
	cd $(OIDC_OP) && npm ci --no-audit --no-fund --loglevel=error
	touch $(OIDC_STAMP)

oidc-tools: $(OIDC_STAMP)
