"""Settings, read from the environment (see `.env.example`).

Three modes, chosen by ``DJANGO_ENV``: ``development`` (the default, used by ``make run``),
``test`` (pytest) and ``production`` (refuses to start without a secret key and allowed hosts).
Without ``DATABASE_URL`` the database is SQLite under ``var/``; without ``REDIS_URL`` Celery uses
kombu's filesystem transport under ``var/`` and the cache is local memory, so nothing needs a server.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DJANGO_ENV = env.str("DJANGO_ENV", default="development")
if DJANGO_ENV not in {"development", "test", "production"}:
    raise ImproperlyConfigured("DJANGO_ENV must be development, test or production.")
PRODUCTION = DJANGO_ENV == "production"
TESTING = DJANGO_ENV == "test"

DEBUG = env.bool("DJANGO_DEBUG", default=not PRODUCTION and not TESTING)

if PRODUCTION:
    # Nothing security-relevant has a default in production.
    missing = [name for name in ("DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS") if not env.str(name, default="")]
    if missing:
        raise ImproperlyConfigured(f"Production mode needs {', '.join(missing)} in the environment.")
    SECRET_KEY = env.str("DJANGO_SECRET_KEY")
    ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
else:
    SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="insecure-development-key-do-not-use-in-production")
    ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])

CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    # third party
    "crispy_forms",
    "crispy_bootstrap5",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "django_celery_beat",
    "import_export",
    "simple_history",
    "axes",
    # ours, in dependency order: a lower app never imports a higher one
    "congress",
    "deputies",
    "suggestions",
    "liaison_stations",
    "dashboard",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "congress.middleware.SecurityHeadersMiddleware",
    "congress.middleware.RejectNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "congress.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # last, so it sees the outcome of authentication
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "congress.urls"
WSGI_APPLICATION = "congress.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "congress.context_processors.navigation",
            ],
        },
    },
]

# --- database -------------------------------------------------------------------------------
VAR_DIR.mkdir(exist_ok=True)
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60 if PRODUCTION else 0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the worker write while the web server reads.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
# PostgreSQL's JIT compiles the plans of big aggregates; for the dashboard's queries it spent
# 100 ms compiling to save a few (docs/PERFORMANCE.md). Off for our connections unless asked.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and not env.bool("DATABASE_JIT", default=False):
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
# A streaming replica for the dashboard's reads (congress/db_router.py, docs/SCALING.md).
if env.str("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env.db("DATABASE_REPLICA_URL")
    DATABASES["replica"]["CONN_MAX_AGE"] = DATABASES["default"]["CONN_MAX_AGE"]
    DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["replica"]["OPTIONS"] = dict(DATABASES["default"].get("OPTIONS", {}))
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["congress.db_router.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- cache and Celery -----------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    # Short socket timeouts: a Redis host that stops answering must cost a request seconds, not minutes
    # (the rate limits and the dashboard cache fail open; notices wait in the outbox).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600, "socket_connect_timeout": 3}
    CELERY_BROKER_CONNECTION_TIMEOUT = 3
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "congress"}}
    CELERY_BROKER_URL = "filesystem://"
    _queue_dir = VAR_DIR / "celery" / "queue"
    _processed_dir = VAR_DIR / "celery" / "processed"
    _control_dir = VAR_DIR / "celery" / "control"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "processed_folder": str(_processed_dir),
        "control_folder": str(_control_dir),
        "store_processed": False,
    }
    for _folder in (_queue_dir, _processed_dir, _control_dir):
        _folder.mkdir(parents=True, exist_ok=True)

CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=300)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=240)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=TESTING)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE = {
    "heartbeat": {"task": "congress.tasks.heartbeat", "schedule": 60.0},
    # The daily sweep of deadlines (reminders, closing unrated replies); `run_reminders` runs the same code.
    "suggestion-reminders": {"task": "suggestions.tasks.run_reminders", "schedule": crontab(hour=6, minute=30)},
    # Duty-record points and ranks for the year and the quarter to date; `duty_snapshots` runs the same code.
    "duty-snapshots": {"task": "deputies.tasks.duty_snapshots", "schedule": crontab(hour=1, minute=30)},
    # Citizens' issues whose intake notice could not be queued (broker down) are told within minutes.
    "intake-sweep": {"task": "liaison_stations.tasks.intake_sweep", "schedule": 300.0},
    # Notices owed after a commit that the broker did not carry (congress/outbox.py); the command
    # `deliver_outbox` runs the same code.
    "outbox": {"task": "congress.tasks.deliver_outbox", "schedule": 60.0},
}
# How old the heartbeat may be before /healthz calls it stale (two missed beats and some slack).
HEARTBEAT_STALE_AFTER_SECONDS = env.int("HEARTBEAT_STALE_AFTER_SECONDS", default=180)
# How long a notice may wait in the outbox before /healthz calls the service degraded.
OUTBOX_STALE_AFTER_SECONDS = env.int("OUTBOX_STALE_AFTER_SECONDS", default=600)

# --- auth -----------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)

# --- i18n -----------------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- mail -----------------------------------------------------------------------------------
if env.str("EMAIL_URL", default=""):
    globals().update(env.email_url("EMAIL_URL"))
else:
    # Without a mail server, messages are written as files under var/mail for inspection.
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(VAR_DIR / "mail")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="noreply@congress.example")

# --- forms, REST, OpenAPI, import/export ----------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["rest_framework.filters.SearchFilter", "rest_framework.filters.OrderingFilter"],
    # Errors as {"detail": ..., "errors": {field: [...]}}; a forbidden workflow move is 409.
    "EXCEPTION_HANDLER": "congress.api_errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Deputy work API",
    "DESCRIPTION": "People's congress deputy work: registry, suggestions, liaison stations, statistics.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # Swagger UI comes from npm (copied by `make static`), never from a CDN.
    "SWAGGER_UI_DIST": f"{STATIC_URL}vendor/swagger-ui",
    "SWAGGER_UI_FAVICON_HREF": f"{STATIC_URL}vendor/swagger-ui/favicon-32x32.png",
    # Choice sets named after their classes, so fields called "kind" or "status" do not collide.
    "ENUM_NAME_OVERRIDES": {
        name.rsplit(".", 1)[-1] + "Enum": name
        for name in (
            "congress.choices.CongressLevel",
            "congress.choices.CommitteeKind",
            "congress.choices.HandlingUnitKind",
            "deputies.choices.DeputyCategory",
            "deputies.choices.ActivityKind",
            "deputies.choices.ActivityState",
            "deputies.choices.InvitationStatus",
            "deputies.choices.InvitationSource",
            "deputies.choices.SignInMethod",
            "deputies.choices.TrainingKind",
            "deputies.choices.PlanStatus",
            "deputies.choices.MaterialKind",
            "deputies.choices.GroupRole",
            "deputies.choices.OutputKind",
            "deputies.choices.OpinionStatus",
            "deputies.choices.RoundStatus",
            "deputies.choices.ProposalStatus",
            "deputies.choices.DraftStatus",
            "deputies.choices.ProvisionKind",
            "deputies.choices.EvaluationKind",
            "suggestions.choices.AssignmentRole",
        )
    },
}
IMPORT_EXPORT_USE_TRANSACTIONS = True
# Importing needs the add permission (office staff); exporting needs view (also committee staff, leaders).
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
# Text that starts like a formula (=, +, -, @) is exported as text, never evaluated by Excel.
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True

# --- security -------------------------------------------------------------------------------
# No inline script anywhere (data-* attributes and static/js/site.js instead); styles may be inline
# because Bootstrap, ECharts and the admin set them. Images may be data: or blob: (charts exported).
CONTENT_SECURITY_POLICY = env.str(
    "DJANGO_CONTENT_SECURITY_POLICY",
    default="; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    ),
)
CONTENT_SECURITY_POLICY_REPORT_ONLY = env.bool("DJANGO_CONTENT_SECURITY_POLICY_REPORT_ONLY", default=False)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
# Failed log-ins from one address within an hour before every log-in from it pauses (429); django-axes
# separately locks a user name at an address after AXES_FAILURE_LIMIT failures.
LOGIN_FAILURES_PER_HOUR = env.int("LOGIN_FAILURES_PER_HOUR", default=30)
# How many of our own proxies stand in front of the app and append to X-Forwarded-For; the per-address
# limits then count the address the outermost of them saw (0: REMOTE_ADDR, the proxy passes it through).
TRUSTED_PROXY_COUNT = env.int("DJANGO_TRUSTED_PROXY_COUNT", default=0)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# A session lasts a working day (8 hours) unless set otherwise; shared office PCs should not stay signed in.
SESSION_COOKIE_AGE = env.int("DJANGO_SESSION_COOKIE_AGE", default=8 * 3600)
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# --- logging --------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}

# --- product defaults -----------------------------------------------------------------------
# The name shown in the header when a user has no congress (anonymous pages, superusers).
PRODUCT_NAME = _("Deputy Work Platform")
# How long the dashboard's aggregates stay cached (seconds); writes that change them drop them sooner.
DASHBOARD_CACHE_SECONDS = env.int("DASHBOARD_CACHE_SECONDS", default=60)
DASHBOARD_CACHE_PREFIX = "dashboard"
