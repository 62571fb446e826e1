"""The environment of the benchmark servers (benchmarks/settings.py reads production
settings, which refuse to start without these). Never for deployment."""

import os
import warnings

warnings.filterwarnings("ignore", message="CAPTCHA_TEST_MODE is enabled")

os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("SUPPORTER_HASH_KEYS", "benchmark-only-supporter-hash-key-0123456789")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("MAIL_BACKEND", "locmem")
os.environ.setdefault("TASKS_BACKEND", "immediate")
