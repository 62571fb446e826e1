"""Settings shared by every environment.

Everything that differs between a laptop and production comes from the environment
(see docs/deploying.md): DATABASE_URL, REDIS_URL, SECRET_KEY, ALLOWED_HOSTS, the mail variables
and MEDIA_ROOT. Without them the site runs on SQLite, local files and the console mailer.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PROJECT_DIR = BASE_DIR / "tayho_site"


def env(name, default=None):
    """A setting from the environment; an empty value counts as unset."""
    value = os.environ.get(name, "")
    return value if value != "" else default


def env_bool(name, default=False):
    value = env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in (env(name, default) or "").split(",") if item.strip()]


SECRET_KEY = env("SECRET_KEY", "insecure-development-key-change-me")
# The secret of the hashes that recognise a supporter's e-mail address again (ideas.Support),
# apart from SECRET_KEY and the database: comma-separated, oldest first. A stored hash has
# gone through every key in turn, so a new key is appended, never put in an old one's place
# (docs/deploying.md, "Rotating the supporters' hash key"). Production refuses to start without one.
SUPPORTER_HASH_KEYS = env_list("SUPPORTER_HASH_KEYS", "insecure-development-supporter-hash-key")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "tayho_site",
    "contest",
    "contest.judging",
    "emulation",
    "emulation.honours",
    "referrals",
    "emulation.inspections",
    "ideas",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "captcha",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.forms",
]

MIDDLEWARE = [
    "tayho_site.logs.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "tayho_site.staff_language.StaffLanguageMiddleware",
    "tayho_site.pagecache.PublicPageCacheMiddleware",
    "django.middleware.common.CommonMiddleware",
    "tayho_site.pagetree.SiteMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "tayho_site.staffauth.IdleSessionExpiryMiddleware",
    "tayho_site.twofactor.RequireTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "tayho_site.middleware.AdminContentSecurityPolicyMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into its page.
    "axes.middleware.AxesMiddleware",
]

# Widgets are rendered from the project's templates too (templates/captcha/ overrides).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

ROOT_URLCONF = "tayho_site.urls"
WSGI_APPLICATION = "tayho_site.wsgi.application"
ASGI_APPLICATION = "tayho_site.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# --- Database: SQLite by default, anything dj-database-url understands otherwise.
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(env("DB_CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}
DATABASE_IS_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
if DATABASE_IS_POSTGRES:
    # Wagtail's search index uses PostgreSQL's search vectors and GIN indexes.
    INSTALLED_APPS.append("django.contrib.postgres")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and sessions: local memory by default, Redis when REDIS_URL is set.
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", "tayho"),
            "OPTIONS": {
                # A Redis outage degrades the site (no cache) instead of breaking it;
                # /healthz reports it.
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 1,
                "SOCKET_TIMEOUT": 1,
            },
        }
    }
    # Sessions are read from Redis and written through to the database, so a Redis
    # restart signs nobody out.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "tayho",
        }
    }

# --- Whole public pages for anonymous visitors, kept in the cache (tayho_site/pagecache.py).
# On by default only with Redis, which every app server shares: a change made on one
# server then makes the pages stale on all of them at once.
PAGE_CACHE_SECONDS = int(env("PAGE_CACHE_SECONDS", "300" if REDIS_URL else "0"))
# How long an app server trusts the version it last read before asking the cache again: a
# change made on another server is seen within this time (tayho_site/pagecache.py).
PAGE_CACHE_VERSION_SECONDS = float(env("PAGE_CACHE_VERSION_SECONDS", "1"))
# Never cached: forms, private links, sign-in, the workspaces, the admin, search.
PAGE_CACHE_EXCLUDED_PREFIXES = (
    "admin/",
    "bai-du-thi/",
    "ho-so-y-tuong/",
    "cham-bai/",
    "thi-dua/",
    "tai-khoan/",
    "dang-nhap/",
    "dang-xuat/",
    "tim-kiem/",
    "captcha/",
    "documents/",
    "healthz",
    "i18n/",
)
# What public pages show purges them when it changes: each app names its records with
# tayho_site.pagecache.purge_on_change from its AppConfig.ready.


# --- Background work: Django's tasks API. Immediate unless TASKS_BACKEND says otherwise;
# production uses the database queue served by `manage.py db_worker` (make worker).
def tasks(backend):
    """TASKS for a backend name: immediate, database (served by db_worker) or dummy."""
    paths = {
        "immediate": "django.tasks.backends.immediate.ImmediateBackend",
        "database": "django_tasks_db.DatabaseBackend",
        "dummy": "django.tasks.backends.dummy.DummyBackend",
    }
    return {"default": {"BACKEND": paths[backend]}}


TASKS = tasks(env("TASKS_BACKEND", "immediate"))


# --- E-mail through Django's mailers. MAIL_BACKEND: console (default), smtp, locmem.
def mailers(backend):
    """MAILERS for a backend name: console, smtp (configured by SMTP_*) or locmem."""
    paths = {
        "console": "django.core.mail.backends.console.EmailBackend",
        "smtp": "django.core.mail.backends.smtp.EmailBackend",
        "locmem": "django.core.mail.backends.locmem.EmailBackend",
    }
    config = {"BACKEND": paths[backend]}
    if backend == "smtp":
        config["OPTIONS"] = {
            "host": env("SMTP_HOST", "localhost"),
            "port": int(env("SMTP_PORT", "587")),
            "username": env("SMTP_USER", ""),
            "password": env("SMTP_PASSWORD", ""),
            "use_tls": env_bool("SMTP_USE_TLS", True),
            "timeout": int(env("SMTP_TIMEOUT", "10")),
        }
    return {"default": config}


MAILERS = mailers(env("MAIL_BACKEND", "console"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Khát vọng Tây Hồ <no-reply@localhost>")
SERVER_EMAIL = env("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
EMAIL_SUBJECT_PREFIX = "[Khát vọng Tây Hồ] "

OTP_TOTP_ISSUER = "Khát vọng Tây Hồ"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/cham-bai/"
LOGOUT_REDIRECT_URL = "/"

# --- Staff sign-in: lock-out and idle expiry (django-axes; tayho_site/staffauth.py).
# Failed sign-ins on /dang-nhap/ and /admin/login/ are counted in the database that every
# app server shares, two ways: per user name and address together, and per user name
# from all addresses. After SIGNIN_FAILURE_LIMIT failures a pair is refused (HTTP 429, a
# Vietnamese page) for SIGNIN_LOCKOUT_MINUTES after the last failure: a guesser is
# stopped, while the real person signing in from another address, or a colleague behind
# the same office address, is not locked out. After SIGNIN_ACCOUNT_FAILURE_LIMIT failures
# of one user name from any number of addresses, that name is refused from every address
# for as long: guessing from many addresses is stopped too. A successful sign-in forgives
# only the failures from its own address. Unlock early with
# `manage.py axes_reset_username <name>`.

AUTHENTICATION_BACKENDS = [
    "tayho_site.staffauth.SignInLockoutBackend",  # axes: refuses a locked-out pair before any password check
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "tayho_site.staffauth.SignInAttemptHandler"  # a limit for each way of counting
AXES_FAILURE_LIMIT = int(env("SIGNIN_FAILURE_LIMIT", "5"))  # a user name from one address
SIGNIN_ACCOUNT_FAILURE_LIMIT = int(env("SIGNIN_ACCOUNT_FAILURE_LIMIT", "15"))  # a user name from all addresses
AXES_COOLOFF_TIME = timedelta(minutes=int(env("SIGNIN_LOCKOUT_MINUTES", "15")))
# Each entry is counted on its own: the pair first (a success resets it), then the name.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username"]
AXES_RESET_ON_SUCCESS = True
# Tries while locked out do not extend the pause, so the page's "N minutes" holds.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_HTTP_RESPONSE_CODE = 429
AXES_CLIENT_IP_CALLABLE = "tayho_site.staffauth.client_ip"
AXES_CLIENT_STR_CALLABLE = "tayho_site.staffauth.client_label"  # log lines: no e-mail addresses
AXES_LOCKOUT_CALLABLE = "tayho_site.staffauth.locked_out"
# No table of every successful sign-in (it would only grow); failures are kept until
# their cool-off passes.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False  # no banner on every start of manage.py; log lines come from AXES_CLIENT_STR_CALLABLE
# Signed-in users (everyone with an account is staff) are signed out after this many
# minutes without a request; 0 turns it off.
STAFF_IDLE_MINUTES = int(env("STAFF_IDLE_MINUTES", "30"))
# --- end of staff sign-in

# --- Passwords
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Vietnamese first, English second.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
# Ours first; then the overlay that completes the Wagtail admin's Vietnamese
# (see docs/glossary.md and scripts/translation_coverage.py).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_wagtail"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["tayho_site.formats"]
USE_THOUSAND_SEPARATOR = True
WAGTAIL_I18N_ENABLED = False
WAGTAIL_CONTENT_LANGUAGES = [("vi", "Tiếng Việt")]
WAGTAILADMIN_PERMITTED_LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]

# --- Static files (whitenoise) and media (local files unless configured).
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
# The staff guide's pictures (docs/guide/img/, taken by the browser tests) as static/guide/.
STATICFILES_DIRS = [("guide", BASE_DIR / "docs" / "guide" / "img")]
MEDIA_URL = env("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Media on S3-compatible object storage (django-storages) when a bucket is named. Files
# stay private: every link is signed and expires, and names are never overwritten.
MEDIA_BUCKET = env("MEDIA_BUCKET")
if MEDIA_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": MEDIA_BUCKET,
            "endpoint_url": env("MEDIA_ENDPOINT_URL"),
            "region_name": env("MEDIA_REGION"),
            "access_key": env("MEDIA_ACCESS_KEY_ID"),
            "secret_key": env("MEDIA_SECRET_ACCESS_KEY"),
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": int(env("MEDIA_URL_EXPIRE_SECONDS", "3600")),
            "file_overwrite": False,
            "object_parameters": {"ContentDisposition": "attachment"},
        },
    }
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# --- Content-Security-Policy (Django's built-in middleware). No inline scripts or
# styles on public pages; the Wagtail admin needs inline styles and data: images.

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:", "blob:"],
    "font-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "frame-src": [CSP.SELF, "https://www.youtube.com", "https://www.youtube-nocookie.com"],
    "frame-ancestors": [CSP.SELF],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

# Browsers that understand CSP obey frame-ancestors 'self' (Wagtail's preview frames the
# site in its own admin) and ignore X-Frame-Options; older ones get DENY.
# Wagtail's admin has inline scripts without a nonce; only its pages allow them.
ADMIN_PATH_PREFIXES = ("/admin/",)
ADMIN_CSP = {**SECURE_CSP, "script-src": [CSP.SELF, CSP.UNSAFE_INLINE]}

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"

# --- Wagtail
WAGTAIL_SITE_NAME = "Khát vọng Tây Hồ"
WAGTAILADMIN_BASE_URL = env("SITE_URL", "http://127.0.0.1:8000")
WAGTAILADMIN_USER_LOGIN_FORM = "tayho_site.staffauth.StaffLoginForm"
WAGTAILSEARCH_BACKENDS = {
    "default": {
        "BACKEND": "wagtail.search.backends.database",
        # Vietnamese has no stemmer; the 'simple' configuration keeps syllables intact.
        "SEARCH_CONFIG": "simple",
    }
}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "txt", "xlsx", "zip"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAIL_ENABLE_UPDATE_CHECK = False
# No avatars fetched from a third party: staff privacy, and nothing outside the CSP.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_DATE_FORMAT = "%d/%m/%Y"
WAGTAIL_DATETIME_FORMAT = "%d/%m/%Y %H:%M"
WAGTAIL_TIME_FORMAT = "%H:%M"

# --- Abuse protection: (attempts, window in seconds) per scope, counted in the cache.
# A referral transferred more times than this is marked as passed around ("bị đùn đẩy"),
# as is one that comes back to a unit that had passed it on (A → B → A).
REFERRAL_MAX_TRANSFERS = int(env("REFERRAL_MAX_TRANSFERS", "2"))
# The weekday the inspection report goes to the Standing Committee ("Thường trực"):
# 0 = Monday … 6 = Sunday (manage.py send_weekly_inspection_report, run daily).
INSPECTION_REPORT_WEEKDAY = int(env("INSPECTION_REPORT_WEEKDAY", "0"))
# People named in this many findings of passing work around (manifestations with these
# codes) are listed for the organisers to review.
INSPECTION_REVIEW_AFTER = int(env("INSPECTION_REVIEW_AFTER", "2"))
INSPECTION_REVIEW_CODES = ["day-viec-long-vong"]

RATE_LIMITS = {
    "contest-submit-ip": (10, 60 * 60),
    "contest-submit-email": (5, 60 * 60),
    "contest-resend": (3, 60 * 60),
    "ideas-submit-ip": (10, 60 * 60),
    "ideas-submit-email": (5, 60 * 60),
    "ideas-resend": (3, 60 * 60),
    "ideas-support-ip": (30, 60 * 60),
    "ideas-support-email": (10, 60 * 60),
    "referrals-verdict-ip": (20, 60 * 60),
    "referrals-report-ip": (10, 60 * 60),
    "referrals-report-email": (5, 60 * 60),
    "referrals-report-resend": (3, 60 * 60),
    # Without the picture (for people who cannot see it) the e-mailed link is the only
    # check: fewer per connection (an IPv6 /64 counts as one) and per address, counted
    # only for what is saved and mailed.
    "contest-submit-nopicture-ip": (3, 60 * 60),
    "contest-submit-nopicture-email": (2, 60 * 60),
    "ideas-submit-nopicture-ip": (3, 60 * 60),
    "ideas-submit-nopicture-email": (2, 60 * 60),
    "ideas-support-nopicture-ip": (10, 60 * 60),
    "ideas-support-nopicture-email": (5, 60 * 60),
    "referrals-report-nopicture-ip": (3, 60 * 60),
    "referrals-report-nopicture-email": (2, 60 * 60),
}

# --- Personal-data retention (days): how long each kind of record keeps personal data
# before the daily `manage.py purge_expired_data` removes it (see tayho_site/retention.py
# and the table in docs/backups.md). RETENTION_DAYS_<KEY> overrides one, e.g. RETENTION_DAYS_ENTRANTS=730.
RETENTION_DAYS = {
    key: int(env(f"RETENTION_DAYS_{key.upper()}", days))
    for key, days in {
        "unconfirmed": 7,  # entries, ideas and supports never confirmed by e-mail
        "entrants": 365,  # after the contest's results (or its closing date)
        "idea_authors": 365,  # after the idea's last step, no referral waiting
        "supports": 365,  # hashed addresses, once the idea is settled
        "referral_notes": 365,  # after the referral's answer
        "resident_verdicts": 365,  # comments and photos, after the verdict
        "report_authors": 365,  # reports of passing the buck, after screening, no referral waiting
        "nomination_evidence": 365,  # after a rejection or withdrawal
        "inspection_evidence": 1825,  # findings' evidence and names, after the remedies (why: inspections/retention.py)
        "task_results": 30,  # finished background tasks (e-mails)
        "captchas": 0,  # after their expiry
        "sessions": 0,  # after their expiry
        "signin_attempts": 30,  # failed sign-ins counted for lock-out
    }.items()
}

# --- django-simple-captcha
CAPTCHA_FONT_SIZE = 32
CAPTCHA_LENGTH = 5
CAPTCHA_TIMEOUT = 10  # minutes

# --- Logs: one line per event with the request's id; e-mail addresses, phone numbers and
# ID numbers are rewritten before any handler writes them (tayho_site/logs.py).
# LOG_FORMAT: text (default here) or json (production's default).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "tayho_site.logs.RequestIdFilter"},
        "redact": {"()": "tayho_site.logs.RedactFilter"},
    },
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id", "redact"],
            "formatter": env("LOG_FORMAT", "text"),
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        # One line per background task and per published page is noise, not news.
        "django_tasks": {"level": "WARNING"},
        "django.tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
        # WeasyPrint reports each step of drawing a certificate.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "axes": {"level": "WARNING"},  # its banner at every start
    },
}
