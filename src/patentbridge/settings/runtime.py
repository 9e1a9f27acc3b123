"""Settings: runtime (read from PATENTBRIDGE_* environment variables; see docs/configuration.md)."""

from __future__ import annotations

import os

from patentbridge.settings.database import sqlite_busy_ms

# PRAGMA busy_timeout of every SQLite connection: how long one statement waits for the write lock.
PATENTBRIDGE_SQLITE_BUSY_MS = sqlite_busy_ms()
# After a statement still failed on the lock, how long (seconds) it is retried with back-off before
# the request answers 503 "系统繁忙，请稍后重试" (see core/dblock.py). 20 s: several import chunks,
# while a waitress thread is not parked for minutes.
PATENTBRIDGE_DB_LOCK_RETRY_SECONDS = float(os.getenv("PATENTBRIDGE_DB_LOCK_RETRY_SECONDS", "20"))
# A token's last use is written at most this often (seconds): a read-only API call then almost
# never writes, so it keeps working while an import holds the write lock.
PATENTBRIDGE_TOKEN_TOUCH_SECONDS = int(os.getenv("PATENTBRIDGE_TOKEN_TOUCH_SECONDS", "60"))
# The worker's restart back-off (seconds): first delay and cap; doubled after each quick death.
PATENTBRIDGE_WORKER_RESTART_MIN = float(os.getenv("PATENTBRIDGE_WORKER_RESTART_MIN", "1"))
PATENTBRIDGE_WORKER_RESTART_MAX = float(os.getenv("PATENTBRIDGE_WORKER_RESTART_MAX", "60"))

_LOG_LEVEL = os.getenv("PATENTBRIDGE_LOG_LEVEL", "WARNING")
# Overrides the LOGGING of settings/__init__.py (this module is star-imported after it).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"quiet_client_errors": {"()": "patentbridge.core.logfilters.QuietClientErrors"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        # A 403/404 is logged as one line, without a traceback.
        "django.request": {"filters": ["quiet_client_errors"]},
        # Supervisor and lock messages are worth seeing at INFO even when the root level is WARNING.
        "patentbridge.supervisor": {"level": "INFO"},
    },
    "root": {"handlers": ["console"], "level": _LOG_LEVEL},
}
