"""Settings of the RCP Registry, read from the environment.

DEBUG, SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL come from the environment; with none set the
registry runs locally on SQLite (db.sqlite3 next to manage.py) in debug mode.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from registry.serving.folders import private_folder

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_rate(name: str, default: str) -> str | None:
    """A throttle rate such as "300/minute"; "off" (or empty) turns that throttle off."""
    value = os.environ.get(name, default).strip()
    return None if value.lower() in {"", "off", "none"} else value


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    # Development only: a fixed key is harmless on a local, debug-mode instance.
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "simple_history",
    # Before import_export: the registry's `manage.py export` and `import` (the whole registry)
    # take the place of django-import-export's generic ones; the admin's buttons are unaffected.
    "registry",
    "import_export",
    "axes",
    "csp",
    "corsheaders",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Cross-origin access to the reconciliation service, which its protocol requires (below).
    "corsheaders.middleware.CorsMiddleware",
    # Content-Security-Policy on every response (CONTENT_SECURITY_POLICY below).
    "csp.middleware.CSPMiddleware",
    # A NUL in the query string is a 400 (PostgreSQL cannot compare text holding one).
    "registry.middleware.RefuseNulMiddleware",
    # Static files (the admin's, the API docs' from drf-spectacular-sidecar) served by the app.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # An ETag on every page and API read (a hash of the content, unless the view set one), and
    # 304 Not Modified to a matching If-None-Match: pollers re-download nothing unchanged.
    "django.middleware.http.ConditionalGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language: the URL's prefix on public pages (/en/, /fr/, /es/); elsewhere (admin, API)
    # the language cookie, then Accept-Language. An unprefixed page address redirects to the
    # visitor's language (Accept-Language on a first visit).
    "django.middleware.locale.LocaleMiddleware",
    "registry.middleware.RememberLanguageMiddleware",
    "registry.serving.cache.CurrentRequestMiddleware",
    "django.middleware.common.CommonMiddleware",
    # An address with a slug a record was renamed from redirects to its slug now (models/slugs.py).
    "registry.middleware.FormerSlugRedirectMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A view failing because the database cannot serve answers 503 (page or JSON), not 500.
    "registry.middleware.DatabaseUnavailableMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # API reads by clients without credentials, answered whole from the response cache before
    # Django REST Framework runs (its throttles still count): registry/api/middleware.py.
    "registry.api.middleware.CachedApiReadMiddleware",
    # Last, as django-axes asks: locks the admin's sign-in after repeated wrong passwords.
    "axes.middleware.AxesMiddleware",
]

# Caches. "responses" holds rendered pages and serialized API data (registry/serving/cache.py),
# keyed by the registry's change counters, which every request reads from the database first: any
# cache is correct, and a shared one is faster. "default" holds what Django's own parts keep
# (nothing the registry counts on being shared: the API's rate limits count in the database or in
# Redis, registry/serving/throttles.py). Both are folders under RUNTIME_DIR by default; REDIS_URL
# puts both in Redis, shared by several hosts.
RESPONSE_CACHE_SECONDS = int(os.environ.get("RESPONSE_CACHE_SECONDS", "600"))
RESPONSE_CACHE_MAX_BYTES = int(os.environ.get("RESPONSE_CACHE_MAX_BYTES", str(2 * 1024 * 1024)))
# Each worker also keeps the answers it served last in memory, up to this many bytes (0: none).
RESPONSE_CACHE_MEMORY_BYTES = int(os.environ.get("RESPONSE_CACHE_MEMORY_BYTES", str(32 * 1024 * 1024)))
REDIS_URL = os.environ.get("REDIS_URL", "")

# Each worker remembers where the last this-many addresses it served lead (the view and its
# arguments), skipping Django's URL matching for them: 30-45 µs of a 0.3 ms cached answer
# (registry/serving/handlers.py). 0: Django's own handler, matching every request.
URL_MATCHES_KEPT = int(os.environ.get("URL_MATCHES_KEPT", "2048"))

# Where this host keeps runtime files (the file caches, backups): the project's var/ unless set.
# Created readable by this user only, and refused when another user owns it or may write in it:
# the file caches are read back with pickle (registry/serving/folders.py).
RUNTIME_DIR = Path(os.environ.get("RUNTIME_DIR") or BASE_DIR / "var")


def cache_settings(folder_variable: str, folder_name: str, key_prefix: str, **options) -> dict:
    if REDIS_URL:
        return {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": key_prefix,
        }
    folder = private_folder(os.environ.get(folder_variable) or private_folder(RUNTIME_DIR) / folder_name)
    return {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(folder),
        "OPTIONS": options,
    }


CACHES = {
    "default": cache_settings("CACHE_LOCATION", "cache", "rcp"),
    "responses": cache_settings(
        "RESPONSE_CACHE_LOCATION",
        "responses",
        "rcp-responses",
        MAX_ENTRIES=int(os.environ.get("RESPONSE_CACHE_ENTRIES", "2000")),
    ),
}

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Project-wide overrides of other apps' templates (the admin's header: its language switch).
        "DIRS": [BASE_DIR / "config" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "registry.context_processors.languages",
                "registry.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite serving several workers: WAL lets readers go on while one writer writes; IMMEDIATE
    # takes the write lock when a transaction begins, so a transaction that reads then writes
    # waits its turn (up to the timeout) instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": float(os.environ.get("SQLITE_TIMEOUT", "20")),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        **DATABASES["default"].get("OPTIONS", {}),
    }
elif DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql"):
    # PostgreSQL's JIT compiles a query whose estimated cost is high: the as-of rule's subqueries
    # (Participation.objects.as_of) estimate high and run in milliseconds, but compiling them took
    # 4-5 s a page (the process list). Off for the registry's connections.
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = f"{options.get('options', '')} -c jit=off".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# django-axes first: it counts failed sign-ins (admin and any login form) and refuses a locked one.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# The client's address: REMOTE_ADDR, unless TRUSTED_PROXIES names how many proxies in front of the
# registry append to X-Forwarded-For (then the address they saw). Otherwise anyone could pick their
# identity for the throttles and the login lockout by sending X-Forwarded-For.
TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))

# Login lockout (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one username from one
# address, that pair is refused for an hour (README: "Locked out").
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1  # hour (the lockout page says so)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "registry.security.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
AXES_VERBOSE = False  # its own log lines; a lockout is logged as a warning below

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# IOM's three official languages. The catalogues are registry/locale/{fr,es}; the names of
# processes and organizations come from the data (aliases marked as a language's display name).
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fr", "Français"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "registry" / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# The stored copies of source documents (PDF or HTML), served only as downloads (registry/views).
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

# The registry's public address, for the absolute addresses of what is told outside a request
# (webhook deliveries). `make run` and `make serve-prod` set it from HOST and PORT; behind a proxy,
# set it to the public address (e.g. https://rcp.example.org). WEBHOOKS_BASE_URL is its old name.
SITE_URL = os.environ.get("SITE_URL") or os.environ.get("WEBHOOKS_BASE_URL") or "http://127.0.0.1:8000"
# Webhooks (registry/webhooks.py): subscribers on private, loopback or link-local addresses are
# refused unless this is on (a subscription must not reach internal services).
WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = env_bool("WEBHOOKS_ALLOW_PRIVATE_ADDRESSES", False)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # In production, hashed and compressed files made by `collectstatic` (make serve-prod runs it).
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# In development (and the tests) whitenoise serves the apps' files directly, without collectstatic.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

# Production (DEBUG off): HTTPS only, behind a proxy that terminates TLS and sets
# X-Forwarded-Proto. `manage.py check --deploy` reports nothing with these.
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain HTTP
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# Content-Security-Policy (django-csp): only the site's own scripts, styles, images and fonts; no
# inline script, no plugin, no framing, forms posted only here. The API's documentation pages
# (Swagger UI, ReDoc, from drf-spectacular-sidecar) add inline styles, data: images and a blob:
# worker, which their frameworks need (registry/api/urls.py); the maps, SVG images with their own
# <style>, get a policy of their own (registry/views/overview.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# The reconciliation service (/api/reconcile/) answers every origin, as the W3C protocol requires of
# it (OpenRefine in a browser calls it from its own origin); it reads no cookie, so this lends no
# one's session to another site. The rest of the site sends no CORS header.
CORS_ALLOW_ALL_ORIGINS = True
CORS_URLS_REGEX = r"^/api/reconcile/.*$"

# The licence of the registry's data (its records and citations; the source documents remain their
# publishers'), named on the About page and in the exports.
REGISTRY_DATA_LICENCE = {
    "name": os.environ.get(
        "REGISTRY_DATA_LICENCE_NAME", "Creative Commons Attribution 4.0 International (CC BY 4.0)"
    ),
    "url": os.environ.get("REGISTRY_DATA_LICENCE_URL", "https://creativecommons.org/licenses/by/4.0/"),
}

# The curated seed data (see fixtures/README.md and `manage.py seed`).
REGISTRY_FIXTURES_DIR = BASE_DIR / "fixtures"
# Whether `manage.py seed` also records the later sources (fixtures/sources/) after the papers.
REGISTRY_SEED_LATER_SOURCES = True

# The API (registry/api/, described in README.md#api): anonymous clients read, Curators write
# (token or session); rates per client, configurable per deployment.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["registry.api.permissions.ReadOrModelPermissions"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "registry.api.renderers.BrowsableAPIRenderer",  # its policy allows DRF's inline styles
    ],
    # JSON nested deeper than any record is refused (registry/api/parsers.py).
    "DEFAULT_PARSER_CLASSES": [
        "registry.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "registry.api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "registry.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "registry.api.exceptions.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "registry.serving.throttles.AnonRateThrottle",
        "registry.serving.throttles.UserRateThrottle",
    ],
    "NUM_PROXIES": TRUSTED_PROXIES,
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_rate("API_THROTTLE_ANON", "300/minute"),
        "user": env_rate("API_THROTTLE_USER", "1200/minute"),
    },
}

SPECTACULAR_SETTINGS = {
    "TITLE": "RCP Registry API",
    "DESCRIPTION": (
        "The reference registry of the Regional Consultative Processes on Migration: processes, "
        "who takes part in them and since when, IOM's role, events, and the sources every fact "
        "cites. Anonymous clients read; Curators write with a token (`Authorization: Token ...`). "
        "Objects carry an ETag; send it back in If-Match to make a write conditional (412 if the "
        "object changed meanwhile)."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "RoleEnum": "registry.choices.Role",
        "DatePrecisionEnum": "registry.choices.DatePrecision",
        "ParticipantKindEnum": "registry.choices.ParticipantKind",
        "OrganizationTypeEnum": "registry.choices.OrganizationType",
        "ProcessStatusEnum": "registry.choices.ProcessStatus",
        "MechanismTypeEnum": "registry.choices.MechanismType",
    },
}

# Logs go to stderr; LOG_FORMAT=json (the default when DEBUG is off) writes one JSON object a line.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "registry.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # django-axes logs every sign-in at INFO; its lockouts are warnings.
    "loggers": {"axes": {"level": "WARNING"}},
}

# Admin import/export (django-import-export; CSV and JSON, see registry/admin/base.py): an
# import with any row error changes nothing. CSV cells that look like formulae are escaped by
# registry.resources.SafeCSV (the library's own setting strips only one leading "=").
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "change"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
