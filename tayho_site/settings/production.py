"""Production: refuses to start without a secret key, allowed hosts and the supporters' hash key.

`DJANGO_SETTINGS_MODULE=tayho_site.settings.production manage.py check --deploy`
must report no issues.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env, env_bool, env_list, mailers, tasks

DEBUG = False
# Persistent database connections (checked before each use): a new PostgreSQL connection
# per request costs both the app server and the database more than most pages do.
DATABASES["default"]["CONN_MAX_AGE"] = int(env("DB_CONN_MAX_AGE", "60"))  # noqa: F405
DEMO_DATA_ALLOWED = False  # manage.py load_demo refuses to run: it creates accounts and sample records

SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY or SECRET_KEY.startswith("insecure-") or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random value of at least 50 characters in production "
        '(python -c "import secrets; print(secrets.token_urlsafe(64))").'
    )
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must list the site's host names in production.")
SUPPORTER_HASH_KEYS = env_list("SUPPORTER_HASH_KEYS")
if not SUPPORTER_HASH_KEYS or any(
    key.startswith(("insecure-", "change-me")) or len(key) < 32 or key == SECRET_KEY for key in SUPPORTER_HASH_KEYS
):
    raise ImproperlyConfigured(
        "SUPPORTER_HASH_KEYS must be set in production: random values of at least 32 characters, "
        "comma-separated, oldest first, none of them SECRET_KEY "
        '(python -c "import secrets; print(secrets.token_urlsafe(48))").'
    )

# HTTPS everywhere. Behind a TLS-terminating proxy, set SECURE_PROXY_SSL_HEADER.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
if env_bool("BEHIND_TLS_PROXY", True):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True

MAILERS = mailers(env("MAIL_BACKEND", "smtp"))

TASKS = tasks(env("TASKS_BACKEND", "database"))

WAGTAILADMIN_BASE_URL = env("SITE_URL", f"https://{ALLOWED_HOSTS[0]}")

# One JSON object per line for the log collector (LOG_FORMAT=text for people).
LOGGING["handlers"]["console"]["formatter"] = env("LOG_FORMAT", "json")  # noqa: F405
