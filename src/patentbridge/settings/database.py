"""Database selection: embedded SQLite under the data directory, or PostgreSQL from a URL."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from django.core.exceptions import ImproperlyConfigured

from patentbridge.settings.env import setting

__all__ = ["database_config", "sqlite_busy_ms"]


def sqlite_busy_ms() -> int:
    """``PATENTBRIDGE_SQLITE_BUSY_MS``: how long a statement waits for SQLite's write lock (ms).

    10 s by default: an import commits a chunk every fraction of a second, so a waiting writer
    normally gets in long before; core/dblock.py retries beyond it and answers 503 at the end."""
    return int(
        setting(
            "PATENTBRIDGE_SQLITE_BUSY_MS",
            "10000",
            "SQLite `busy_timeout`: how long one statement waits for the write lock",
            parse=_busy_ms,
        )
    )


def _busy_ms(raw: str) -> int:
    value = int(raw)
    if value < 0:
        raise ImproperlyConfigured("PATENTBRIDGE_SQLITE_BUSY_MS must be >= 0")
    return value


def database_config(url: str, data_dir: Path) -> dict[str, Any]:
    """``postgres://user:pass@host:port/name`` (host may be a %-encoded socket dir) or SQLite."""
    if not url:
        data_dir.mkdir(parents=True, exist_ok=True)
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": data_dir / "db.sqlite3",
            "OPTIONS": {
                # WAL lets readers work during an import; IMMEDIATE takes the write lock at BEGIN
                # so busy_timeout applies instead of failing with "database is locked"
                # (core/dblock.py retries a BEGIN that still timed out).
                "init_command": (
                    "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;"
                    f"PRAGMA busy_timeout={sqlite_busy_ms()};"
                    "PRAGMA cache_size=-65536;PRAGMA temp_store=MEMORY;"
                ),
                "transaction_mode": "IMMEDIATE",
            },
            "TEST": {"NAME": str(data_dir / "test_db.sqlite3")},
        }
    parsed = urlparse(url)
    if parsed.scheme not in ("postgres", "postgresql"):
        raise ImproperlyConfigured(f"PATENTBRIDGE_DATABASE_URL must be postgres://…, got {parsed.scheme!r}")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parsed.path.lstrip("/")) or "patentbridge",
        "USER": unquote(parsed.username or ""),
        "PASSWORD": unquote(parsed.password or ""),
        "HOST": unquote(parsed.hostname or "")
        if "%2F" not in parsed.netloc
        else unquote(parsed.netloc.split("@")[-1]),
        "PORT": str(parsed.port or ""),
        "CONN_MAX_AGE": 60,
    }
