"""Production settings as the tests' app servers run them: everything as deployed, except
that static files are served from the apps (no collectstatic before each test run)."""

from django.conf import global_settings

from tayho_site.settings.production import *  # noqa: F403

STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
WHITENOISE_USE_FINDERS = True
# Accounts made by the test process are hashed with its fast hasher.
PASSWORD_HASHERS = [*global_settings.PASSWORD_HASHERS, "django.contrib.auth.hashers.MD5PasswordHasher"]
