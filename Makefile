# Throughcare — `make run` serves the demo world; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: messages run setup test test-fast fuzz fuzz-api demo-code lint format requirements frontend demo bench bench-outcomes bench-training bench-api bench-header bench-conditions scale-world bench-scale bench-load bench-audit clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python requirements-dev.txt
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

setup: $(STAMP)
	@mkdir -p var
	@$(BIN)/python manage.py compilemessages -v0 --ignore=.venv

# Extract the interface's strings into each language's catalogue (locale/<code>/LC_MESSAGES/django.po)
# and compile them; a test fails while any is untranslated or fuzzy (docs/languages.md).
LANGUAGES_TRANSLATED := de fr nl
messages: $(STAMP)
	$(BIN)/python manage.py makemessages $(foreach l,$(LANGUAGES_TRANSLATED),-l $(l)) --no-location --no-obsolete \
		--ignore=.venv --ignore=bench --ignore=frontend --ignore=static --ignore=var --ignore=tests --ignore=docs \
		--ignore='*/tests/*'
	$(BIN)/python manage.py compilemessages -v0 --ignore=.venv

demo: setup
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo_world

# The demo as a product: gunicorn, DEBUG off, the house-style error pages, static files served by WhiteNoise.
# DJANGO_DEBUG=1 make run keeps Django's development server (reloads on change, debug pages).
run: demo
	@echo "Throughcare on http://127.0.0.1:$(PORT)/ — sign in with a persona above."
	@if [ "$${DJANGO_DEBUG:-0}" = "1" ]; then \
		DJANGO_DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:$(PORT); \
	else \
		DJANGO_DEBUG=0 $(BIN)/gunicorn throughcare.wsgi --config python:throughcare.gunicorn_conf --bind 127.0.0.1:$(PORT); \
	fi

test: setup
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest $(PYTEST_ARGS)

test-fast: setup
	$(BIN)/pytest -m "not browser" -x $(PYTEST_ARGS)

# Every form crawled as ten personas and sent malformed values (in process: no traffic leaves the test
# client); reports requests sent and server errors by cause. CI runs a short form in `make test`.
fuzz: setup
	FORM_FUZZ_REQUESTS=$${FORM_FUZZ_REQUESTS:-3000} FORM_FUZZ_PAGES=$${FORM_FUZZ_PAGES:-400} \
		$(BIN)/pytest tests/fuzz -q -p no:warnings $(PYTEST_ARGS)
	API_FUZZ_EXAMPLES=$${API_FUZZ_EXAMPLES:-200} $(BIN)/pytest throughcare/api/tests/test_fuzz.py -q $(PYTEST_ARGS)

# The API fuzzed from its OpenAPI schema at ten times CI's size (800 examples per operation and persona).
fuzz-api: setup
	API_FUZZ_EXAMPLES=$${API_FUZZ_EXAMPLES:-800} $(BIN)/pytest throughcare/api/tests/test_fuzz.py -q $(PYTEST_ARGS)

lint: setup
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy .

# Benchmarks print figures; method and results in bench/README.md.
bench: setup
	$(BIN)/python bench/case_page.py

bench-outcomes: setup
	$(BIN)/python bench/outcomes.py

bench-training: setup
	$(BIN)/python bench/training.py

bench-api: setup
	$(BIN)/python bench/api.py

# The header's unread count on a signed-in page, by the gate's SQL and from the cases' facts (bench/README.md).
bench-header: setup
	$(BIN)/python bench/header.py

# National scale (bench/README.md): a synthetic world of SCALE_CASES cases in its own PostgreSQL database
# (SCALE_DB, made afresh), then the list pages beside raw SQL. Drop the database afterwards.
SCALE_CASES ?= 50000
SCALE_DB ?= throughcare_scale
SCALE_URL = postgres://postgres@127.0.0.1:5432/$(SCALE_DB)
scale-world: setup
	psql -q -h 127.0.0.1 -U postgres -d postgres -c "DROP DATABASE IF EXISTS $(SCALE_DB)" -c "CREATE DATABASE $(SCALE_DB)"
	DATABASE_URL=$(SCALE_URL) $(BIN)/python manage.py migrate -v0
	DATABASE_URL=$(SCALE_URL) $(BIN)/python manage.py load_scale_world --cases $(SCALE_CASES)
	psql -q -h 127.0.0.1 -U postgres -d $(SCALE_DB) -c "VACUUM ANALYZE"

bench-scale: setup
	DATABASE_URL=$${DATABASE_URL:-$(SCALE_URL)} $(BIN)/python bench/scale.py

# The gate's conditions written by hand against the ORM form they replaced, on a scale world.
bench-conditions: setup
	DATABASE_URL=$${DATABASE_URL:-$(SCALE_URL)} $(BIN)/python bench/conditions.py

# A mixed read load of practitioners (locust, headless) against gunicorn on the scale world, beside the same
# load on pages that do nothing (bench/README.md). Installs locust (requirements-bench.txt) first.
bench-load: setup
	$(BIN)/pip install --quiet -r requirements-bench.txt
	DATABASE_URL=$${DATABASE_URL:-$(SCALE_URL)} $(BIN)/python bench/load.py

# audit_verify against raw HMAC over the same bytes, on a million events in its own database (dropped after).
bench-audit: setup
	psql -q -h 127.0.0.1 -U postgres -d postgres -c "DROP DATABASE IF EXISTS throughcare_bench_audit" -c "CREATE DATABASE throughcare_bench_audit"
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/throughcare_bench_audit $(BIN)/python bench/audit_verify.py
	psql -q -h 127.0.0.1 -U postgres -d postgres -c "DROP DATABASE throughcare_bench_audit"

# The demo authenticator's current code, for the personas who need a second factor (README).
demo-code: setup
	@$(BIN)/python manage.py demo_code

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Re-pin dependencies after editing pyproject.toml (no index addresses or local paths are written).
requirements: $(BIN)/python
	$(BIN)/pip install --quiet pip-tools
	CUSTOM_COMPILE_COMMAND="make requirements" $(BIN)/pip-compile --quiet --no-emit-index-url --no-emit-find-links --strip-extras -o requirements.txt pyproject.toml
	CUSTOM_COMPILE_COMMAND="make requirements" $(BIN)/pip-compile --quiet --no-emit-index-url --no-emit-find-links --strip-extras --extra dev -c requirements.txt -o requirements-dev.txt pyproject.toml
	CUSTOM_COMPILE_COMMAND="make requirements" $(BIN)/pip-compile --quiet --no-emit-index-url --no-emit-find-links --strip-extras --extra bench -c requirements-dev.txt -o requirements-bench.txt pyproject.toml

# Rebuild the vendored GOV.UK Frontend + MoJ Frontend assets in static/vendor (needs Node.js and npm).
frontend:
	cd frontend && npm ci && npm run build

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
