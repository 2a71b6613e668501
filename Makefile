# Two commands set everything up: `make run` and `make test`.
PY      := .venv/bin/python
VENV_OK := .venv/.installed-$(shell cat requirements.lock pyproject.toml | md5sum | cut -c1-12)
PYTEST  := $(PY) -m pytest -n 2 -q
export PGHOST ?= 127.0.0.1
export PGUSER ?= postgres

.PHONY: run test lint typecheck migrations-check test-sqlite test-postgres postgres bench venv browser auth-tools sevenzip loadtest

venv: $(VENV_OK)

$(VENV_OK): requirements.lock pyproject.toml
	test -x $(PY) || python3 -m venv .venv
	$(PY) -m pip install -q --disable-pip-version-check --upgrade pip uv
	.venv/bin/uv pip install --python $(PY) -q -r requirements.lock
	.venv/bin/uv pip install --python $(PY) -q --no-deps -e .
	rm -f .venv/.installed-*
	touch $@

run: venv
	mkdir -p var
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py demo --seed 1 --if-empty
	$(PY) manage.py demo_logins
	bin/serve

lint: venv
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

typecheck: venv
	.venv/bin/mypy ejournal config bench

migrations-check: venv
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py makemigrations --check --dry-run

postgres:
	@pg_isready -q -h $(PGHOST) || pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql | tail -1) main start
	@for i in $$(seq 1 30); do pg_isready -q -h $(PGHOST) && exit 0; sleep 1; done; echo "PostgreSQL is not up"; exit 1

# Browser tests drive Debian's chromium; Playwright never downloads a browser of its own.
browser:
	@command -v chromium >/dev/null || (apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium)

# The period archive's tests open the container with Debian's stock 7-Zip, as a director would years later.
sevenzip:
	@command -v 7zz >/dev/null || (apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q 7zip)

# The login tests sign ESIA requests with GOST keys (openssl's gost engine) and sign in through a real
# OpenID Connect provider (npm oidc-provider, pinned in tests/oidc_provider/package-lock.json).
auth-tools:
	@test -e "$$(openssl version -e | sed -n 's/^ENGINESDIR: "\(.*\)"/\1/p')/gost.so" || (apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q libengine-gost-openssl)
	@test -d tests/oidc_provider/node_modules/oidc-provider || npm ci --prefix tests/oidc_provider --no-audit --no-fund

test-sqlite: venv browser auth-tools sevenzip
	$(PYTEST)

test-postgres: venv postgres auth-tools sevenzip
	EJOURNAL_DB=postgres $(PYTEST)

test: lint typecheck migrations-check test-sqlite test-postgres

bench: venv
	$(PY) -m bench

# A bounded quarter-end load test against the production server set-up (docs/performance.md).
loadtest: venv postgres
	$(PY) -m loadtest
