"""Settings for load benchmarks: production-like, but the captcha accepts "PASSED" and
rate limits are lifted, since every simulated entrant comes from 127.0.0.1. Never deploy."""

import os
import warnings

warnings.filterwarnings("ignore", message="CAPTCHA_TEST_MODE is enabled")

os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("SUPPORTER_HASH_KEYS", "benchmark-only-supporter-hash-key-0123456789")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("MAIL_BACKEND", "locmem")
os.environ.setdefault("TASKS_BACKEND", "immediate")

from tayho_site.settings.production import *  # noqa: E402, F403

CAPTCHA_TEST_MODE = True
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
RATE_LIMITS = {scope: (10**9, 60) for scope in RATE_LIMITS}  # noqa: F405
LOGGING["loggers"]["captcha.conf.settings"] = {"level": "CRITICAL"}  # noqa: F405

# The site's URLs plus /bench/bare/, the do-nothing view load.py compares pages with.
ROOT_URLCONF = "benchmarks.urls"
