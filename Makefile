# The README's two commands: `make run` and `make test`. Also `make bench`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
FLASK := $(BIN)/flask --app wsgi

.PHONY: run test lint bench scale-test install install-test install-lint migrate demo clean

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python 3.11 or newer is needed")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

$(VENV)/.installed-lint: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[lint]'
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test
install-lint: $(VENV)/.installed-lint

migrate: install
	mkdir -p instance
	FLASK_DEBUG=1 $(FLASK) db upgrade

demo: migrate
	FLASK_DEBUG=1 $(FLASK) demo --if-empty

run: demo
	@echo ""
	@echo "  volunteers is starting on http://127.0.0.1:$(PORT)"
	@echo "  Demo logins (password: demo):"
	@echo "    coordinator@tackley.example    volunteer@tackley.example"
	@echo "    coordinator@surestart.example  counsellor@surestart.example"
	@echo "  Mail is printed to this console (MAIL_BACKEND=console)."
	@echo ""
	FLASK_DEBUG=1 SCHEDULER_IN_PROCESS=1 $(FLASK) run --host 127.0.0.1 --port $(PORT)

# the suite on every core (pytest-xdist; PYTEST_WORKERS=0 runs it in one process): under 10 minutes on 2 cores
PYTEST_WORKERS ?= auto
test: install-test
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

# ruff (style, bugs, imports) and mypy (types) over the code; both must be clean
lint: install-lint
	$(BIN)/ruff check .
	$(BIN)/mypy

bench: install-test
	$(BIN)/python benchmarks/run_all.py

# not part of `make test`: minutes of load on both cores (tools/scale_test/run.py says what it does).
# Locust lives in a virtualenv of its own: it brings gevent, which the app must never import.
.venv-locust/.installed:
	$(PYTHON) -m venv .venv-locust
	.venv-locust/bin/pip install --quiet 'locust>=2.20,<3'
	touch $@

scale-test: install-test .venv-locust/.installed
	$(BIN)/python tools/scale_test/run.py

clean:
	rm -rf $(VENV) instance/*.sqlite .pytest_cache .hypothesis
