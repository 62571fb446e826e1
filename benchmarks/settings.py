"""Settings for load benchmarks: production-like, but the captcha accepts "PASSED" and
rate limits are lifted, since every simulated entrant comes from 127.0.0.1. Never deploy."""

import benchmarks.environment  # noqa: F401 - sets the environment the production settings read
from tayho_site.settings.production import *  # noqa: F403

CAPTCHA_TEST_MODE = True
DEMO_DATA_ALLOWED = True  # benchmarks run on the demo content (manage.py load_demo)
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
RATE_LIMITS = {scope: (10**9, 60) for scope in RATE_LIMITS}  # noqa: F405
LOGGING["loggers"]["captcha.conf.settings"] = {"level": "CRITICAL"}  # noqa: F405

# The site's URLs plus /bench/bare/, the do-nothing view load.py compares pages with.
ROOT_URLCONF = "benchmarks.urls"
