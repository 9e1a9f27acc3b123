"""Settings from PATENTBRIDGE_* environment variables (documented in docs/configuration.md)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from patentbridge.settings.database import database_config


def env_bool(name: str, default: str) -> bool:
    """Read a boolean variable; anything but True/False (or empty) is a configuration error."""
    value = os.getenv(name, default)
    if value not in ("", "True", "False", "true", "false", "1", "0"):
        raise ImproperlyConfigured(f"Unexpected value {name}={value}, use 'True' or 'False'")
    return value in ("True", "true", "1")


BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.getenv("PATENTBRIDGE_DATA_DIR", "./var")).resolve()
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"


def _secret_key() -> str:
    """A per-installation key kept in the data directory, so nothing secret lives in the repo."""
    configured = os.getenv("PATENTBRIDGE_SECRET_KEY")
    if configured:
        return configured
    key_file = DATA_DIR / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


SECRET_KEY = _secret_key()
DEBUG = env_bool("PATENTBRIDGE_DEBUG", "False")
ALLOWED_HOSTS = [
    h for h in os.getenv("PATENTBRIDGE_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",") if h
]
CSRF_TRUSTED_ORIGINS = [o for o in os.getenv("PATENTBRIDGE_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    # Django Ninja serves its Swagger UI from its own packaged static files when listed here (no CDN).
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "patentbridge.core",
    "patentbridge.accounts",
    "patentbridge.patents",
    "patentbridge.ingest",
    "patentbridge.demands",
    "patentbridge.search",
    "patentbridge.matching",
    "patentbridge.grading",
]

MIDDLEWARE = [
    # Outermost: a write lock that outlived the retries answers 503, not 500 (core/dblock.py).
    "patentbridge.core.dblock.BusyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "patentbridge.core.audit.RequestIdMiddleware",
]

ROOT_URLCONF = "patentbridge.urls"
WSGI_APPLICATION = "patentbridge.wsgi.application"
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
                "patentbridge.accounts.context.membership",
                "patentbridge.core.context.notification_badge",
                "patentbridge.matching.context.inbox_badge",
            ],
        },
    }
]

DATABASES = {"default": database_config(os.getenv("PATENTBRIDGE_DATABASE_URL", ""), DATA_DIR)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/accounts/login/"

# Embedded mode runs jobs in a worker process started by `patentbridge serve`; tests and
# one-off commands may choose the immediate backend with PATENTBRIDGE_TASKS=immediate.
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
_task_mode = os.getenv("PATENTBRIDGE_TASKS", "database")
if _task_mode not in _TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"Unexpected value PATENTBRIDGE_TASKS={_task_mode}, use 'database' or 'immediate'"
    )
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[_task_mode]}}

# Rows written per transaction during import: large enough for bulk writes, small enough
# that an interruption loses at most a few seconds of work.
PATENTBRIDGE_IMPORT_CHUNK = int(os.getenv("PATENTBRIDGE_IMPORT_CHUNK", "500"))
# Helper processes that parse and classify rows while the writer writes (large imports only).
PATENTBRIDGE_IMPORT_HELPERS = int(os.getenv("PATENTBRIDGE_IMPORT_HELPERS", "1"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.getenv("PATENTBRIDGE_LOG_LEVEL", "WARNING")},
}

# Topic modules, each owning its PATENTBRIDGE_* variables.
from patentbridge.settings.limits import *  # noqa: E402,F403
from patentbridge.settings.runtime import *  # noqa: E402,F403
from patentbridge.settings.security import *  # noqa: E402,F403

# Login lockout and CSP (settings/security.py cannot import this package, so it lists its additions).
INSTALLED_APPS = [*INSTALLED_APPS, *SECURITY_APPS]  # noqa: F405
MIDDLEWARE = [*MIDDLEWARE, *SECURITY_MIDDLEWARE]  # noqa: F405
