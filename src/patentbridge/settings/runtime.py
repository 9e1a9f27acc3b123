"""Settings: runtime (read from PATENTBRIDGE_* environment variables; see docs/configuration.md)."""

from __future__ import annotations

from patentbridge.settings import env
from patentbridge.settings.database import sqlite_busy_ms
from patentbridge.settings.env import setting

# PRAGMA busy_timeout of every SQLite connection: how long one statement waits for the write lock.
PATENTBRIDGE_SQLITE_BUSY_MS = sqlite_busy_ms()
# After a statement still failed on the lock, how long (seconds) it is retried with back-off before
# the request answers 503 "系统繁忙，请稍后重试" (see core/dblock.py). 20 s: several import chunks,
# while a waitress thread is not parked for minutes.
PATENTBRIDGE_DB_LOCK_RETRY_SECONDS = setting(
    "PATENTBRIDGE_DB_LOCK_RETRY_SECONDS",
    "20",
    "seconds a write that could not start within `PATENTBRIDGE_SQLITE_BUSY_MS` (BEGIN, or one autocommit "
    "statement) is retried with back-off; then pages answer 503 “系统繁忙，请稍后重试” (API: JSON 503) "
    "with `Retry-After` instead of 500",
    parse=float,
)
# A token's last use is written at most this often (seconds): a read-only API call then almost
# never writes, so it keeps working while an import holds the write lock.
PATENTBRIDGE_TOKEN_TOUCH_SECONDS = setting(
    "PATENTBRIDGE_TOKEN_TOUCH_SECONDS",
    "60",
    "an API token's `last_used_at` is written at most this often (seconds), best effort (never fails a read)",
    parse=int,
)
# The worker's restart back-off (seconds): first delay and cap; doubled after each quick death.
PATENTBRIDGE_WORKER_RESTART_MIN = setting(
    "PATENTBRIDGE_WORKER_RESTART_MIN",
    "1",
    "seconds `serve` waits before restarting a dead worker; doubles after each quick death, "
    "resets after a minute of healthy running",
    parse=float,
)
PATENTBRIDGE_WORKER_RESTART_MAX = setting(
    "PATENTBRIDGE_WORKER_RESTART_MAX",
    "60",
    "the longest wait (seconds) before `serve` restarts a dead worker",
    parse=float,
)


def _hour(raw: str) -> int:
    """A whole hour 0–23."""
    if not raw.isdigit() or not 0 <= int(raw) <= 23:
        raise env.BadValue("use a whole hour from 0 to 23")
    return int(raw)


# The hour (local time, 0–23) at which `serve` runs the daily sweep; 2 am: after the day's imports
# and before people start work, so reminders are in place in the morning.
PATENTBRIDGE_SWEEP_HOUR = setting(
    "PATENTBRIDGE_SWEEP_HOUR",
    "2",
    "hour of the day (0–23, local time) at which `serve` runs the daily sweep (`patentbridge sweep`: "
    "trial and filing reminders, conversions, expiries, overdue receivables, grades and the public "
    "list); it also runs once when `serve` starts if that day's run has not happened",
    parse=_hour,
)
# Where `patentbridge serve` listens unless --host / --port say otherwise.
PATENTBRIDGE_HOST = setting("PATENTBRIDGE_HOST", "127.0.0.1", "address `patentbridge serve` listens on")
PATENTBRIDGE_PORT = setting("PATENTBRIDGE_PORT", "8000", "port `patentbridge serve` listens on", parse=int)
# Re-read at each use (patents/versioned_cache.py calls env.read), so a test or bench can change it.
PATENTBRIDGE_FACET_MAX_LAG = setting(
    "PATENTBRIDGE_FACET_MAX_LAG",
    "0",
    "seconds the library's facet counts may trail the data: 0 recomputes them whenever the library "
    "changed; a server under a long import sets a few seconds, so the sidebar counts are refreshed "
    "in the background at most that often",
    parse=env.lag_seconds,
)

_LOG_LEVEL = setting(
    "PATENTBRIDGE_LOG_LEVEL",
    "WARNING",
    "level of the console log (`DEBUG`, `INFO`, `WARNING`, `ERROR`); worker and lock messages are "
    "logged at `INFO` regardless",
)
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
