"""Tests: fast hashing, in-memory mail, immediate tasks, captcha test mode."""

import os
import tempfile
import warnings
from pathlib import Path

from .base import *  # noqa: F403
from .base import env

# Test mode accepts the answer "passed"; the library warns about it at import.
warnings.filterwarnings("ignore", message="CAPTCHA_TEST_MODE is enabled")

DEBUG = False
SECRET_KEY = "test-secret-key-not-for-production"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = mailers("locmem")  # noqa: F405
TASKS = tasks("immediate")  # noqa: F405
CAPTCHA_TEST_MODE = True
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
ALLOWED_HOSTS = ["*"]
if REDIS_URL:  # noqa: F405 - run against the real Redis, in keys of the tests' own
    CACHES["default"]["KEY_PREFIX"] = env("CACHE_KEY_PREFIX", "tayho-test")  # noqa: F405
# Whole-page caching only where a test turns it on (a test changing rows by update()
# would otherwise read a page cached by an earlier request).
PAGE_CACHE_SECONDS = int(env("PAGE_CACHE_SECONDS", "0"))
# Every request asks the cache for the version (tests reset the cache between them); the
# test of the process's own copy turns it on.
PAGE_CACHE_VERSION_SECONDS = 0
LOGGING["loggers"]["captcha.conf.settings"] = {"level": "CRITICAL"}  # noqa: F405
# Serve static files straight from the apps, so tests need no collectstatic first.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
if not DATABASE_IS_POSTGRES:  # noqa: F405
    # A file, not memory: the browser tests' live server answers several requests at once
    # (a page and its icons), and each thread then gets its own connection instead of
    # sharing the in-memory one, which SQLite refuses to use from two threads at a time.
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(Path(tempfile.gettempdir()) / f"tayho-test-{os.getpid()}.sqlite3")
    }
DEMO_DATA_ALLOWED = True  # manage.py load_demo may fill the test database
