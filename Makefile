# Every target installs what it needs first (scripts/setup.sh: idempotent, fast once done).
SHELL := bash
.SHELLFLAGS := -euo pipefail -c

PY    := .venv/bin/python
SAM   := .tools/bin/sam
SETUP := bash scripts/setup.sh
# The Python 3.13 that .venv was made from: `sam build` needs python3.13 on PATH.
PY313_BIN = $$(sed -n 's/^home = //p' .venv/pyvenv.cfg)
export UV_PYTHON_DOWNLOADS := never
export SAM_CLI_TELEMETRY := 0
PORT ?= 3000

.PHONY: run test lint bench lock catalogs clean distclean

run:
	@$(SETUP)
	PORT=$(PORT) $(PY) -m local.server

test:
	@$(SETUP) --with-sam --with-browser
	@$(MAKE) --no-print-directory lint
	$(PY) -m pytest -n 2

lint:
	@$(SETUP) --with-sam
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/mypy
	AWS_DEFAULT_REGION=us-east-1 $(SAM) validate --lint
	.venv/bin/cfn-lint template.yaml -a cfn_lint_serverless.rules
	PATH="$(PY313_BIN):$$PATH" $(SAM) build --cached --parallel

# Builds its own x86_64 copy with SAM (.aws-sam/bench-x86_64). BENCH_ARGS: e.g. --million (once, never in CI).
bench:
	@$(SETUP) --with-sam
	$(PY) -m bench $(BENCH_ARGS)

# After changing dependencies in pyproject.toml: re-resolve and re-pin. The lock itself stays local;
# the pins (with hashes) are what setup installs and what the layer ships.
RUNTIME_ONLY = --no-emit-package boto3 --no-emit-package botocore --no-emit-package s3transfer \
               --no-emit-package python-dateutil --no-emit-package six --no-emit-package urllib3
lock:
	@$(SETUP)
	.tools/bin/uv lock
	.tools/bin/uv export --frozen --all-groups --no-emit-project -o requirements/dev.txt
	.tools/bin/uv export --frozen --no-dev --no-emit-project --no-hashes $(RUNTIME_ONLY) -o shared/requirements.txt

# After changing words in a template or a message in Python: the catalog template (.pot) extracted again
# and every language's .po brought up to it (new messages empty, gone ones dropped). Then translate what
# is empty; tests/unit/test_catalogs.py fails until every message in every language is there.
LOCALES := shared/warm_intro/locales
catalogs:
	@$(SETUP)
	.venv/bin/pybabel -q extract -F babel.cfg -k _ -k N_ --no-location --sort-output --omit-header -w 110 \
	  -o $(LOCALES)/messages.pot .
	.venv/bin/pybabel -q update -i $(LOCALES)/messages.pot -d $(LOCALES) --omit-header \
	  --no-fuzzy-matching --ignore-obsolete -w 110

clean:
	rm -rf .aws-sam .pytest_cache .ruff_cache .mypy_cache .hypothesis
	find . -path ./.venv -prune -o -path ./.tools -prune -o -name __pycache__ -type d -exec rm -rf {} +

distclean: clean
	rm -rf .venv .tools
