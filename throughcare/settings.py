"""Throughcare settings, all from the environment (SQLite by default, DATABASE_URL for PostgreSQL)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import dj_database_url
import django_stubs_ext

django_stubs_ext.monkeypatch()


def env_flag(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).lower() in {"1", "true", "yes", "on"}


BASE_DIR = Path(__file__).resolve().parent.parent

# One switch for a production deployment (docs/operations.md): HTTPS only, secure cookies, HSTS, and the
# app's own checks refuse to start with a demo key, a derived audit key, DEBUG or the second factor off.
PRODUCTION = env_flag("THROUGHCARE_PRODUCTION")
DEBUG = env_flag("DJANGO_DEBUG")
# The fallback key is for the local demo only; the app's checks refuse it in production.
DEMO_SECRET_KEY = "django-insecure-throughcare-local-demo-only"
SECRET_KEY = os.environ.get("SECRET_KEY", DEMO_SECRET_KEY)
# Rotation: the previous keys, comma-separated, still accepted for sessions and signed values a while.
SECRET_KEY_FALLBACKS = [k for k in os.environ.get("SECRET_KEY_FALLBACKS", "").split(",") if k]
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "throughcare.workspace.admin_apps.AdminConfig",  # Django's administration, asking for the second factor
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "csp",
    "throughcare.lib",
    "throughcare.accounts",
    "throughcare.people",
    "throughcare.jurisdictions",
    "throughcare.cases",
    "throughcare.audit",
    "throughcare.sharing",
    "throughcare.notifications",
    "throughcare.rights",
    "throughcare.custody",
    "throughcare.conferences",
    "throughcare.risk",
    "throughcare.rehab",
    "throughcare.outcomes",
    "throughcare.learning",
    "throughcare.workspace",
    "throughcare.api",
    "throughcare.documents",
    "throughcare.demo",
    "ninja",  # its docs page's scripts and styles, served from here (no CDN)
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "throughcare.lib.request_cache.RequestCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "throughcare.lib.middleware.UserLanguage",  # the signed-in person's choice over the browser's
    "django.contrib.messages.middleware.MessageMiddleware",
    "throughcare.lib.middleware.RefuseNulInAddress",  # after the user is known: the 400 page names them
    "throughcare.lib.middleware.SessionLimits",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "throughcare.lib.middleware.LoginRequired",
    "throughcare.lib.middleware.NoStore",
    "throughcare.workspace.signin.SecondFactorRequired",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "throughcare.urls"
WSGI_APPLICATION = "throughcare.wsgi.application"

TEMPLATES: list[dict[str, Any]] = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "throughcare.workspace.context_processors.navigation",
            ],
            # lib is not an app; its template tags are named here.
            "libraries": {
                "marking": "throughcare.lib.templatetags.marking",
                "paging": "throughcare.lib.templatetags.paging",
            },
            "builtins": ["throughcare.lib.templatetags.wording"],
        },
    }
]

DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
    if DATABASES["default"]["ENGINE"].endswith("postgresql"):
        # JIT compilation off, deliberately: the app's statements are short lookups whose planner
        # estimates (an EXISTS costed per row) pass jit_above_cost at about 10,000 cases, and then
        # compiling takes seconds for work of milliseconds (bench/README.md, "National scale").
        # PG_OPTIONS adds server settings, e.g. "-c statement_timeout=30s".
        options = " ".join(["-c jit=off", os.environ.get("PG_OPTIONS", "")]).strip()
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = options
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SQLITE_PATH", str(BASE_DIR / "var" / "throughcare.sqlite3")),
            "OPTIONS": {
                # WAL lets readers work while one writer writes; IMMEDIATE takes the write lock at
                # the start of a transaction so two writers queue instead of failing half-way.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
            # Tests use a file too (not shared-cache memory), so locking behaves as in production.
            "TEST": {"NAME": str(BASE_DIR / "var" / "test.sqlite3")},
        }
    }
# Read-only work (statistics, reports, who accessed, exports) on a streaming replica when one is given;
# writes and every other read on the primary (throughcare/lib/routers.py, docs/operations.md).
REPLICA_DATABASE_URL = os.environ.get("REPLICA_DATABASE_URL", "")
if REPLICA_DATABASE_URL:
    DATABASES["replica"] = {
        **dj_database_url.parse(REPLICA_DATABASE_URL, conn_max_age=60, conn_health_checks=True),
        "OPTIONS": DATABASES["default"].get("OPTIONS", {}),
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["throughcare.lib.routers.PrimaryReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "cases:home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# The languages the interface speaks (docs/languages.md says how to add one: a line here, a catalogue in
# locale/, translations of the catalogue data). Each is named in its own language in the switcher.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("de", "Deutsch"), ("fr", "Français"), ("nl", "Nederlands")]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["throughcare.lib.formats"]  # dates as each language writes them
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Brussels")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns at start-up if it is missing

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses a sign-in while its user or address is locked out
    "django.contrib.auth.backends.ModelBackend",
]
# Sign-in lockout (django-axes): after this many failures in a row a username is locked, on any address,
# and an address is locked, for any username, until the cool-off has passed or an administrator unlocks
# it. Each lockout is audited and shown to the data protection officer.
AXES_FAILURE_LIMIT = int(os.environ.get("SIGN_IN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("SIGN_IN_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_VERBOSE = False
# Behind a proxy that ends TLS, the client's address is the first of X-Forwarded-For (docs/operations.md).
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if env_flag("BEHIND_PROXY") else ["REMOTE_ADDR"]
)
# A second factor (TOTP, with single-use recovery codes) for whoever may read intelligence, break glass
# or administer; optional for everyone else. Only the tests of other features turn it off.
SECOND_FACTOR_REQUIRED = True
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "Throughcare")
# Sessions: signed out after this many minutes without a request, and in any case after the absolute
# lifetime (a working day).
SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", "30"))
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_LIFETIME_HOURS", "10")) * 60 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = PRODUCTION or env_flag("SECURE_COOKIES")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = PRODUCTION
SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60 if PRODUCTION else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
if env_flag("BEHIND_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
    }
}

# Throughcare's own settings.
NOTE_MAX_LENGTH = 5000

# The JSON API (docs/api.md): calls per token, the longest a token may last, a list page's largest size.
API_RATE = os.environ.get("API_RATE", "600/m")
API_TOKEN_MAX_DAYS = 365
API_PAGE_MAX = 100
# Events to subscribers: the CloudEvents source, how long a receiver may take, the retries before a
# delivery is parked as dead, and the first wait between retries (doubling each time).
EVENT_SOURCE = os.environ.get("EVENT_SOURCE", "urn:throughcare:demo")
EVENT_TIMEOUT_SECONDS = 10
EVENT_MAX_ATTEMPTS = int(os.environ.get("EVENT_MAX_ATTEMPTS", "8"))
EVENT_RETRY_BASE_SECONDS = 30
RESIDUAL_ACCESS_DAYS = int(os.environ.get("RESIDUAL_ACCESS_DAYS", "90"))  # read access after leaving a team
# Disclosure control of published statistics: counts below the threshold are hidden ([c]); rounding to
# base 5 (or 0 for none) applies to every published count.
STATISTICS_THRESHOLD = int(os.environ.get("STATISTICS_THRESHOLD", "10"))
STATISTICS_ROUNDING = int(os.environ.get("STATISTICS_ROUNDING", "0"))
# A training case's combination of traits must be shared by at least this many cases (k-anonymity).
TRAINING_K = int(os.environ.get("TRAINING_K", "5"))
SUBJECT_ACCESS_MONTHS = int(os.environ.get("SUBJECT_ACCESS_MONTHS", "1"))  # time limit to answer a request
# The marking printed on every page that shows case data: that of the most restricted category the page may
# show, first match from the top. A deployment sets its own scheme's words.
PROTECTIVE_MARKINGS = [
    ("intelligence", "SECRET — intelligence: cleared readers only"),
    ("health", "OFFICIAL-SENSITIVE — health"),
    ("risk", "OFFICIAL-SENSITIVE — risk"),
    ("family", "OFFICIAL-SENSITIVE — family"),
    ("legal", "OFFICIAL-SENSITIVE"),
    ("interventions", "OFFICIAL-SENSITIVE"),
]
PROTECTIVE_MARKING_DEFAULT = "OFFICIAL-SENSITIVE"
BREAK_GLASS_HOURS = int(os.environ.get("BREAK_GLASS_HOURS", "4"))  # how long emergency access lasts
# What the person is told about how long their data is kept (a default each deployment sets to its law).
RETENTION_STATEMENT = os.environ.get(
    "RETENTION_STATEMENT",
    "Case records are kept while the case is open and for 10 years after it closes. The need to keep them is "
    "reviewed every 3 years; records no longer needed are erased.",
)
CASELOAD_PAGE_SIZE = 25
# Lists count their rows up to this many and then say "more than" (lib/paging.py).
LIST_COUNT_CAP = 10_000
TIMELINE_PAGE_SIZE = 50
# A choice of a case or a person offers its rows as a list up to this many; beyond, it asks for the case's
# reference or the person's username or name, checked against the same rows (a select of thousands serves
# no one and costs every page that shows it).
LONGEST_CHOICE_LIST = 100
ATTENTION_PAGE_SIZE = 50

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
CASE_REFERENCE_PREFIX = os.environ.get("CASE_REFERENCE_PREFIX", "TC")
# Key of the audit log's hash chain. Keep it out of the database (and apart from database backups)
# so that someone who can write to the database cannot forge a consistent chain.
# In the demo it is derived from SECRET_KEY; in production it must be its own (the app's checks refuse a
# derived one). Where each key lives and how to rotate it: docs/operations.md.
AUDIT_CHAIN_KEY = os.environ.get("AUDIT_CHAIN_KEY", "audit:" + SECRET_KEY)
# The daily run writes a signed checkpoint of the audit chain here (and, if set, mails it to the address).
AUDIT_CHECKPOINT_DIR = os.environ.get("AUDIT_CHECKPOINT_DIR", str(BASE_DIR / "var" / "checkpoints"))
AUDIT_CHECKPOINT_EMAIL = os.environ.get("AUDIT_CHECKPOINT_EMAIL", "")
# Who seals consultations into the chain (docs/audit.md): "thread" — a thread in each web process (the
# default: nothing else to run), "process" — `manage.py audit_seal --follow` runs on its own, "off".
AUDIT_SEALER = os.environ.get("AUDIT_SEALER", "thread")
AUDIT_SEAL_INTERVAL = float(os.environ.get("AUDIT_SEAL_INTERVAL", "1.0"))
# Mail (the checkpoint): SMTP as EMAIL_HOST and friends say; the demo prints mail to the console instead.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_USE_TLS = env_flag("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "throughcare@localhost")
