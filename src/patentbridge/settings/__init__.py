"""Settings from PATENTBRIDGE_* environment variables.

Each variable is declared with ``settings.env.setting()`` (name, default, meaning), and
docs/configuration.md is generated from those declarations by ``scripts/gen_docs.py``."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import django_stubs_ext

from patentbridge.settings import env
from patentbridge.settings.database import database_config
from patentbridge.settings.env import setting


def env_bool(name: str, default: str) -> bool:
    """Read a boolean variable; anything but True/False (or empty) is a configuration error."""
    return bool(env.convert(name, os.getenv(name, default), env.flag))


# Generic admin/queryset classes (ModelAdmin[Patent]) subscriptable at run time, as the type checker sees them.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR: Path = setting(
    "PATENTBRIDGE_DATA_DIR",
    "./var",
    "database (`db.sqlite3`, WAL mode), uploads (`media/`), reject reports, secret key, search indexes",
    parse=env.resolved_path,
)
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"


def _secret_key() -> str:
    """A per-installation key kept in the data directory, so nothing secret lives in the repo."""
    configured: str = setting(
        "PATENTBRIDGE_SECRET_KEY", "", "Django secret key", shown="generated into the data dir (`secret_key`)"
    )
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
DEBUG = setting("PATENTBRIDGE_DEBUG", "False", "`True`/`False` only", parse=env.flag)
ALLOWED_HOSTS = setting(
    "PATENTBRIDGE_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]", "comma-separated", parse=env.comma_list
)
CSRF_TRUSTED_ORIGINS = setting(
    "PATENTBRIDGE_CSRF_TRUSTED_ORIGINS", "", "comma-separated origins behind a proxy", parse=env.comma_list
)
# A form posted with a stale or missing token gets a Chinese page saying nothing was saved.
CSRF_FAILURE_VIEW = "patentbridge.site.errors.csrf_failure"

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
    "patentbridge.licensing",
    "patentbridge.menus",
    "patentbridge.pools",
    "patentbridge.roadshows",
    "patentbridge.analytics",
    "patentbridge.navigation",
    # Last: the site ties the feature apps together (home, audit page, demo, init/serve/worker).
    "patentbridge.site",
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
                "patentbridge.site.context.notification_badge",
                "patentbridge.matching.context.inbox_badge",
            ],
        },
    }
]

_DATABASE_URL = setting(
    "PATENTBRIDGE_DATABASE_URL",
    "",
    "`postgres://user:pass@host:5432/name`; a Unix socket host may be %-encoded (`%2Fvar%2Frun%2Fpostgresql`)",
    shown="empty (SQLite)",
)
DATABASES = {"default": database_config(_DATABASE_URL, DATA_DIR)}
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
_task_mode = setting(
    "PATENTBRIDGE_TASKS",
    "database",
    "`database`: jobs go to a queue drained by the worker `patentbridge serve` starts; `immediate`: run inline",
    parse=env.one_of(*_TASK_BACKENDS),
)
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[_task_mode]}}

# Need matching re-orders its top 20 candidates with E5 (issue 14). Patents' E5 vectors are
# cached beside the index and warmed by a background job when a need changes, so a page pays
# for the need's own text only; `off` keeps the plain hybrid order (test suites, slow machines).
PATENTBRIDGE_NEED_RERANK = setting(
    "PATENTBRIDGE_NEED_RERANK",
    "on",
    "`on`: need matching re-ranks its top 20 candidates with E5; `off`: hybrid order only",
    parse=env.one_of("on", "off"),
)

# Rows written per transaction during import: large enough for bulk writes, small enough
# that an interruption loses at most a few seconds of work.
PATENTBRIDGE_IMPORT_CHUNK = setting(
    "PATENTBRIDGE_IMPORT_CHUNK",
    "500",
    "rows per import transaction (an interruption loses at most one chunk)",
    parse=int,
)
# Helper processes that parse and classify rows while the writer writes (large imports only).
PATENTBRIDGE_IMPORT_HELPERS = setting(
    "PATENTBRIDGE_IMPORT_HELPERS",
    "1",
    "helper processes that parse and classify rows of large imports",
    parse=int,
)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Topic modules (LOGGING and PATENTBRIDGE_LOG_LEVEL live in settings/runtime.py), each owning its PATENTBRIDGE_* variables.
from patentbridge.settings.limits import *  # noqa: E402,F403
from patentbridge.settings.runtime import *  # noqa: E402,F403
from patentbridge.settings.security import *  # noqa: E402,F403

# Login lockout and CSP (settings/security.py cannot import this package, so it lists its additions).
INSTALLED_APPS = [*INSTALLED_APPS, *SECURITY_APPS]  # noqa: F405
MIDDLEWARE = [*MIDDLEWARE, *SECURITY_MIDDLEWARE]  # noqa: F405
