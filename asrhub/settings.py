"""Settings for ASR Hub: one module, every value from the environment.

Local runs need no environment at all (SQLite, local-memory cache, console
email, debug on). Production sets ``DJANGO_DEBUG=0`` and must then provide a
secret key; everything else has a safe default. See ``.env.example``.
"""

import os
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def envbool(name: str, default: str) -> bool:
    value = env(name, default).strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {value!r}")


def envint(name: str, default: str) -> int:
    value = env(name, default)
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}") from None


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


TESTING = "pytest" in sys.modules or (len(sys.argv) > 1 and sys.argv[1] == "test")

DEBUG = envbool("DJANGO_DEBUG", "1")

SECRET_KEY = env("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")
    # Only ever used for local development and tests.
    SECRET_KEY = "local-development-only-not-a-secret-" + "x" * 32  # noqa: S105

ALLOWED_HOSTS = envlist("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
if TESTING:
    ALLOWED_HOSTS += ["testserver"]
CSRF_TRUSTED_ORIGINS = envlist("DJANGO_CSRF_TRUSTED_ORIGINS")

# The public address of the site, used in feeds, calendars, e-mails and the
# User-Agent of the fetcher.
SITE_URL = env("ASRHUB_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django_filters",
    "django_htmx",
    "template_partials",
    "csp",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "accounts",
    "catalogue",
    "suggestions",
    "digests",
    "river",
]

MIDDLEWARE = [
    # First: a body too large is refused before anything reads it.
    "asrhub.middleware.RequestBodyLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "asrhub.middleware.CrossOriginResourcePolicyMiddleware",
    "asrhub.middleware.PrivateCacheMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages and feeds compressed for clients that accept gzip, here rather than only at a
    # proxy so every deployment gets it; Django pads compressed bodies with random bytes
    # against BREACH. After WhiteNoise, which serves static files precompressed itself.
    "django.middleware.gzip.GZipMiddleware",
    "asrhub.middleware.RejectNulMiddleware",
    "asrhub.middleware.CatalogueVersionMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "asrhub.urls"
WSGI_APPLICATION = "asrhub.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=envint("DATABASE_CONN_MAX_AGE", "60"),
        conn_health_checks=True,
    )
}
# The SQLite search index is an unmanaged model: never dumped, loaded or flushed.
DATABASE_ROUTERS = ["catalogue.search_sqlite.SearchIndexRouter"]
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Typo tolerance: how close a title word must be for the trigram index (%> operator).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        "-c pg_trgm.word_similarity_threshold=0.45"
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"


def redis_cache(url: str) -> dict:
    """django-redis: one client per server, zlib-compressed values (level 1).

    When Redis is down the site keeps answering from the database, only slower: errors
    are ignored and logged (logger "asrhub.cache"), and /healthz says "degraded".
    """
    return {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": url,
        "KEY_PREFIX": "asrhub",
        "OPTIONS": {
            "COMPRESSOR": "asrhub.compressors.FastZlibCompressor",
            "IGNORE_EXCEPTIONS": True,
            # Seconds: a server that does not answer must not hold a page up.
            "SOCKET_CONNECT_TIMEOUT": 0.25,
            "SOCKET_TIMEOUT": 0.5,
        },
    }


DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
DJANGO_REDIS_LOGGER = "asrhub.cache"
REDIS_URL = env("REDIS_URL", env("CACHE_URL"))
if REDIS_URL:
    CACHES = {"default": redis_cache(REDIS_URL)}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# django-axes: lock a client address after repeated failures. The address is the real
# client's (accounts.throttle.client_address): with AXES_PROXY_COUNT trusted proxies in
# front, each appending to X-Forwarded-For, the entry that many places from the right,
# for requests that come from a trusted proxy; otherwise REMOTE_ADDR. A member is never
# locked out from other clients: failures for one username from many addresses are only
# throttled (accounts.throttle).
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", "5")
AXES_COOLOFF_TIME = timedelta(minutes=envint("AXES_COOLOFF_MINUTES", "15"))
AXES_LOCKOUT_PARAMETERS = ["ip_address"]
# Failures expire after the cool-off; a success does not clear them, or signing in to
# one's own account between guesses would reset the count.
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "accounts.throttle.client_address"
ASRHUB_PROXY_COUNT = envint("AXES_PROXY_COUNT", "0")
# X-Forwarded-For counts only from these peers (addresses or networks), the same list
# gunicorn trusts for X-Forwarded-Proto (deploy/gunicorn.conf.py).
ASRHUB_TRUSTED_PROXIES = envlist("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
AXES_VERBOSE = False
# Per username, from all addresses together: after this many failures in the window,
# sign-ins for that username are slowed to one try per interval, except from a browser
# the member signed in with before (a signed cookie), so the owner is never locked out.
ASRHUB_USERNAME_FAILURES = envint("ASRHUB_USERNAME_FAILURES", "10")
ASRHUB_USERNAME_WINDOW = envint("ASRHUB_USERNAME_WINDOW_SECONDS", "900")
ASRHUB_USERNAME_INTERVAL = envint("ASRHUB_USERNAME_INTERVAL_SECONDS", "30")
# Password-reset mails: per address and per client, in the window.
ASRHUB_RESET_LIMIT = envint("ASRHUB_RESET_LIMIT", "3")
ASRHUB_RESET_WINDOW = envint("ASRHUB_RESET_WINDOW_SECONDS", "3600")

# Request bodies: forms are small; the largest upload is a 1 MB OPML file. Bodies above
# ASRHUB_MAX_REQUEST_BODY are refused with 413 before they are read (the proxy in front
# should refuse them first, see docs/deploy.md); files stay in memory, never spooled.
DATA_UPLOAD_MAX_MEMORY_SIZE = envint("DATA_UPLOAD_MAX_MEMORY_SIZE", str(1024 * 1024))
FILE_UPLOAD_MAX_MEMORY_SIZE = envint("FILE_UPLOAD_MAX_MEMORY_SIZE", str(2 * 1024 * 1024))
ASRHUB_MAX_REQUEST_BODY = envint("ASRHUB_MAX_REQUEST_BODY", str(2 * 1024 * 1024))

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_MAX_AGE = 31536000 if not DEBUG else 0

# E-mail: console locally, SMTP when EMAIL_HOST is set.
EMAIL_HOST = env("EMAIL_HOST")
EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = envint("EMAIL_PORT", "587")
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", "1")
EMAIL_USE_SSL = envbool("EMAIL_USE_SSL", "0")
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", "30")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "ASR Hub <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("Set at most one of EMAIL_USE_TLS and EMAIL_USE_SSL.")

# Security headers, on in every mode; transport security only in production.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# Pages carry the token (hx-headers, forms); scripts never need the cookie.
CSRF_COOKIE_HTTPONLY = True
if not DEBUG:
    # No SECURE_PROXY_SSL_HEADER: gunicorn sets the scheme from X-Forwarded-Proto only
    # for peers in FORWARDED_ALLOW_IPS (deploy/gunicorn.conf.py); from anyone else the
    # header means nothing.
    SECURE_SSL_REDIRECT = envbool("DJANGO_SECURE_SSL_REDIRECT", "1")
    # The container health check talks plain HTTP to the process itself.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = envint("DJANGO_HSTS_SECONDS", "31536000")
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# A strict policy: no inline scripts or styles anywhere, nothing from another origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    },
}

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# Fetching feeds and checking links (see catalogue/fetching).
ASRHUB_FETCH_ALLOWLIST = envlist("ASRHUB_FETCH_ALLOWLIST")
ASRHUB_FEED_ENTRIES_KEPT = envint("ASRHUB_FEED_ENTRIES_KEPT", "50")

# Background jobs (django-tasks, see docs/architecture.md "Background jobs"). Locally
# and in tests a job runs at once in the process that enqueues it; with
# ASRHUB_TASKS_BACKEND=database jobs wait in the database for `manage.py db_worker`.
# The "database" alias always exists, so a worker can be pointed at it explicitly.
_TASK_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}
_tasks_backend = env("ASRHUB_TASKS_BACKEND", "immediate")
if _tasks_backend not in _TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"ASRHUB_TASKS_BACKEND must be one of {sorted(_TASK_BACKENDS)}, got {_tasks_backend!r}"
    )
TASKS = {
    "default": {"BACKEND": _TASK_BACKENDS[_tasks_backend], "QUEUES": ["default", "mail"]},
    "database": {"BACKEND": _TASK_BACKENDS["database"], "QUEUES": ["default", "mail"]},
}

# Mail to members (see digests/): posts per source in a digest, how long a one-click
# unsubscribe link stays valid, and how often a verification mail may be resent.
ASRHUB_DIGEST_POSTS_PER_SOURCE = envint("ASRHUB_DIGEST_POSTS_PER_SOURCE", "5")
ASRHUB_DIGEST_DEADLINE_DAYS = envint("ASRHUB_DIGEST_DEADLINE_DAYS", "30")
ASRHUB_UNSUBSCRIBE_MAX_AGE_DAYS = envint("ASRHUB_UNSUBSCRIBE_MAX_AGE_DAYS", "90")
ASRHUB_VERIFY_MAX_AGE_HOURS = envint("ASRHUB_VERIFY_MAX_AGE_HOURS", "72")
ASRHUB_VERIFY_RESEND_SECONDS = envint("ASRHUB_VERIFY_RESEND_SECONDS", "600")
# The river (/latest/, /me/feed/) keeps posts this many days; starred posts stay.
ASRHUB_RIVER_RETENTION_DAYS = envint("ASRHUB_RIVER_RETENTION_DAYS", "365")
# /latest/'s facet counts count at most this many of the newest matching posts per facet
# (the page says so); each window costs about 1,000 index probes per 100 posts.
ASRHUB_RIVER_FACET_WINDOW = envint("ASRHUB_RIVER_FACET_WINDOW", "1000")
# PostgreSQL search (catalogue/word_index.py): a word in at least this many published
# resources gets bit sets in the facet index, so searching it reads no matches…
ASRHUB_SEARCH_COMMON_WORDS = envint("ASRHUB_SEARCH_COMMON_WORDS", "1000")
# …and a search with more matches than this ranks only this many, taken in a cheap
# pre-order (title matches, live, active, newest first): results.TextMasks.candidates.
ASRHUB_SEARCH_RANK_BOUND = envint("ASRHUB_SEARCH_RANK_BOUND", "1000")
