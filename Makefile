# The two commands: `make run` and `make test`. Everything else is a helper.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

# The first interpreter that is Python 3.12 or newer.
PYTHON ?= $(shell for p in python3.13 python3.12 python3 python; do \
	if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; \
	then command -v $$p; break; fi; done)

.PHONY: help run test setup browser-check guide-pictures migrate demo serve worker backup restore lint check-deploy collectstatic-check messages translations benchmarks clean

help:
	@echo "make run          set everything up and serve the demo site on http://$(HOST):$(PORT)/"
	@echo "make test         set everything up and run the whole test suite"
	@echo "make serve        serve with gunicorn and production-like settings"
	@echo "make worker       run the background task worker (database queue)"
	@echo "make backup       write the database and media to backups/tayho-<date>.tar.gz (BACKUP_DIR=...)"
	@echo "make restore      restore database and media: make restore ARCHIVE=backups/....tar.gz [YES=1]"
	@echo "make messages     refresh and compile the translation catalogues (ours and the Wagtail overlay)"
	@echo "make translations print the share translated per catalogue, ours and Wagtail's"
	@echo "make benchmarks   print page query counts, render times and memory"
	@echo "make guide-pictures retake the staff guide's pictures of the screens (docs/guide/img/)"
	@echo "make check-deploy run Django's deployment checks with production settings"

$(PY):
	@if [ -z "$(PYTHON)" ]; then \
		echo "Python 3.12 or newer is needed and none was found."; \
		echo "Install it (Debian/Ubuntu: sudo apt-get install python3.12 python3.12-venv; or pyenv install 3.12)"; \
		echo "or point to it: make run PYTHON=/path/to/python3.12"; exit 1; fi
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

# Reinstalls only when a requirements file changes, so a second `make run` is fast.
$(VENV)/.installed: requirements.txt requirements-test.txt | $(PY)
	$(PIP) install --quiet --disable-pip-version-check -r requirements-test.txt
	@touch $@

setup: $(VENV)/.installed

migrate: setup
	$(MANAGE) migrate --no-input

demo: migrate
	$(MANAGE) load_demo --site-url http://$(HOST):$(PORT)

run: demo
	$(MANAGE) runserver $(HOST):$(PORT)

test: setup browser-check collectstatic-check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DJANGO_SETTINGS_MODULE=tayho_site.settings.test $(MANAGE) makemigrations --check --dry-run
	$(PY) -m pytest $(PYTEST_ARGS)

# The browser tests never skip: without Chromium, stop now and say how to install it.
browser-check: setup
	@$(PY) -m scripts.check_browser

# Static files as production builds them (hashed names, compressed): a broken reference fails here.
collectstatic-check: setup
	dir=$$(mktemp -d) && trap 'rm -rf "$$dir"' EXIT && \
	DJANGO_SETTINGS_MODULE=tayho_site.settings.production \
	SECRET_KEY=collectstatic-check-secret-key-0123456789abcdefghijklmnopqrstuvwxyz \
	SUPPORTER_HASH_KEYS=collectstatic-check-supporter-hash-key-0123456789 \
	ALLOWED_HOSTS=localhost STATIC_ROOT=$$dir $(MANAGE) collectstatic --no-input --verbosity 0

# The staff guide's pictures are rewritten here only; `make test` compares them.
guide-pictures: setup browser-check
	GUIDE_PICTURES=write $(PY) -m pytest tests/e2e/test_staff_vietnamese.py -q

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

messages: setup
	$(MANAGE) makemessages --locale vi --no-obsolete \
		--ignore '.venv/*' --ignore 'staticfiles/*' --ignore 'tests/*' --ignore 'scripts/*' --ignore 'benchmarks/*' \
		--ignore 'templates/wagtailadmin/*'
	$(PY) -m scripts.wagtail_overlay
	$(MANAGE) compilemessages --locale vi --ignore '.venv/*'

translations: setup
	$(PY) -m scripts.translation_coverage --extract

serve: migrate
	DJANGO_SETTINGS_MODULE=tayho_site.settings.production \
	SECRET_KEY=$${SECRET_KEY:-local-production-like-secret-key-$$(hostname)-0123456789abcdef0123456789} \
	SUPPORTER_HASH_KEYS=$${SUPPORTER_HASH_KEYS:-local-production-like-supporter-hash-key-$$(hostname)-0123456789} \
	ALLOWED_HOSTS=$${ALLOWED_HOSTS:-127.0.0.1,localhost} SECURE_SSL_REDIRECT=$${SECURE_SSL_REDIRECT:-false} \
	TASKS_BACKEND=$${TASKS_BACKEND:-immediate} \
	sh -c '$(MANAGE) collectstatic --no-input --verbosity 0 && $(VENV)/bin/gunicorn tayho_site.wsgi:application --bind $(HOST):$(PORT) --workers $${WEB_CONCURRENCY:-2} --access-logfile -'

worker: migrate
	$(MANAGE) db_worker

backup: setup
	$(MANAGE) backup $(if $(BACKUP_DIR),--output "$(BACKUP_DIR)")

restore: setup
	@test -n "$(ARCHIVE)" || { echo "usage: make restore ARCHIVE=backups/tayho-YYYYmmdd-HHMMSS.tar.gz [YES=1]"; exit 1; }
	$(MANAGE) restore "$(ARCHIVE)" $(if $(YES),--yes)

check-deploy: setup
	DJANGO_SETTINGS_MODULE=tayho_site.settings.production \
	SECRET_KEY=$${SECRET_KEY:-check-deploy-secret-key-0123456789abcdefghijklmnopqrstuvwxyzABCDEF} \
	SUPPORTER_HASH_KEYS=$${SUPPORTER_HASH_KEYS:-check-deploy-supporter-hash-key-0123456789abcdef} \
	ALLOWED_HOSTS=$${ALLOWED_HOSTS:-tayho.example.vn} \
	$(MANAGE) check --deploy --fail-level WARNING

benchmarks: demo
	$(PY) -m benchmarks.pages

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
