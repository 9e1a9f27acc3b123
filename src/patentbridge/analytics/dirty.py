"""Which patents changed since the rollup last caught up, recorded by the database itself.

Triggers on the four tables the rollup is counted from — patents, their classifications,
grades, and the approval entries of the audit log — insert the patent's id into
``analytics_rollupdirty`` in the writer's own transaction, whatever the code path (services, the
bulk import writer, the grading sweep's bulk update, the admin, raw SQL). The incremental refresh
(``analytics.rollup_build.refresh``) recounts exactly those patents and deletes the rows it read.

SQLite drops a table's triggers when a migration rebuilds the table (to add a column); the
refresh checks that every trigger is present (``installed``) and otherwise recounts everything,
so a lost trigger costs speed, never a stale figure. ``install`` is idempotent (the ``rollup``
command re-runs it).
"""

from __future__ import annotations

from typing import Any

from django.db import connection

__all__ = ["TRIGGERS", "install", "installed", "remove"]

_APPROVED = "patents.patent.approved"

# (trigger name suffix, table, operation, WHEN condition or "", patent id expression)
_SQLITE: tuple[tuple[str, str, str, str, str], ...] = (
    ("patent_ins", "patents_patent", "INSERT", "", "NEW.id"),
    ("patent_upd", "patents_patent", "UPDATE", "", "NEW.id"),
    ("patent_del", "patents_patent", "DELETE", "", "OLD.id"),
    # Every scheme, not only chains: each write that moves the library version (the fingerprint)
    # leaves a dirty row, so an unexplained fingerprint move really means a missing trigger.
    ("class_ins", "patents_patentclass", "INSERT", "", "NEW.patent_id"),
    ("class_upd_new", "patents_patentclass", "UPDATE", "", "NEW.patent_id"),
    ("class_upd_old", "patents_patentclass", "UPDATE", "OLD.patent_id <> NEW.patent_id", "OLD.patent_id"),
    ("class_del", "patents_patentclass", "DELETE", "", "OLD.patent_id"),
    ("grade_ins", "grading_patentgrade", "INSERT", "", "NEW.patent_id"),
    ("grade_upd", "grading_patentgrade", "UPDATE", "", "NEW.patent_id"),
    ("grade_del", "grading_patentgrade", "DELETE", "", "OLD.patent_id"),
    (
        "approval_ins",
        "core_auditevent",
        "INSERT",
        f"NEW.action = '{_APPROVED}' AND NEW.target_type = 'patents.patent' "
        "AND NEW.target_id <> '' AND NEW.target_id NOT GLOB '*[^0-9]*'",
        "CAST(NEW.target_id AS INTEGER)",
    ),
    (
        "approval_upd",
        "core_auditevent",
        "UPDATE",
        f"NEW.action = '{_APPROVED}' AND NEW.target_type = 'patents.patent' "
        "AND NEW.target_id <> '' AND NEW.target_id NOT GLOB '*[^0-9]*'",
        "CAST(NEW.target_id AS INTEGER)",
    ),
)
TRIGGERS = tuple(f"pb_rollup_{name}" for name, *_ in _SQLITE)
_PG_TABLES = ("patents_patent", "patents_patentclass", "grading_patentgrade", "core_auditevent")

_PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION pb_rollup_dirty() RETURNS trigger AS $$
BEGIN
    IF TG_TABLE_NAME = 'patents_patent' THEN
        IF TG_OP = 'DELETE' THEN
            INSERT INTO analytics_rollupdirty (patent_id) VALUES (OLD.id);
        ELSE
            INSERT INTO analytics_rollupdirty (patent_id) VALUES (NEW.id);
        END IF;
    ELSIF TG_TABLE_NAME = 'patents_patentclass' THEN
        IF TG_OP <> 'DELETE' THEN
            INSERT INTO analytics_rollupdirty (patent_id) VALUES (NEW.patent_id);
        END IF;
        IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND OLD.patent_id <> NEW.patent_id) THEN
            INSERT INTO analytics_rollupdirty (patent_id) VALUES (OLD.patent_id);
        END IF;
    ELSIF TG_TABLE_NAME = 'grading_patentgrade' THEN
        IF TG_OP = 'DELETE' THEN
            INSERT INTO analytics_rollupdirty (patent_id) VALUES (OLD.patent_id);
        ELSE
            INSERT INTO analytics_rollupdirty (patent_id) VALUES (NEW.patent_id);
        END IF;
    ELSIF TG_TABLE_NAME = 'core_auditevent' THEN
        IF TG_OP <> 'DELETE' AND NEW.action = '{_APPROVED}' AND NEW.target_type = 'patents.patent'
                AND NEW.target_id ~ '^[0-9]{{1,18}}$' THEN
            INSERT INTO analytics_rollupdirty (patent_id) VALUES (NEW.target_id::bigint);
        END IF;
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql
"""


def _pg_ops(table: str) -> str:
    # Audit entries are only ever added (and in tests re-dated); patents et al. change any way.
    return "INSERT OR UPDATE" if table == "core_auditevent" else "INSERT OR UPDATE OR DELETE"


def install(conn: Any = None) -> None:
    """Create (or re-create) every dirty-tracking trigger on this database."""
    conn = conn or connection
    with conn.cursor() as cursor:
        if conn.vendor == "sqlite":
            for (_name, table, op, when, expr), trigger in zip(_SQLITE, TRIGGERS, strict=True):
                cursor.execute(f"DROP TRIGGER IF EXISTS {trigger}")
                condition = f" WHEN {when}" if when else ""
                cursor.execute(
                    f"CREATE TRIGGER {trigger} AFTER {op} ON {table} FOR EACH ROW{condition} BEGIN "
                    f"INSERT INTO analytics_rollupdirty (patent_id) VALUES ({expr}); END"
                )
        elif conn.vendor == "postgresql":
            cursor.execute(_PG_FUNCTION)
            for table in _PG_TABLES:
                cursor.execute(f"DROP TRIGGER IF EXISTS pb_rollup_dirty ON {table}")
                cursor.execute(
                    f"CREATE TRIGGER pb_rollup_dirty AFTER {_pg_ops(table)} ON {table} "
                    "FOR EACH ROW EXECUTE FUNCTION pb_rollup_dirty()"
                )
        else:
            raise NotImplementedError(f"rollup dirty triggers for {conn.vendor}")


def remove(conn: Any = None) -> None:
    """Drop the triggers (migration reversal; tests of the fallback)."""
    conn = conn or connection
    with conn.cursor() as cursor:
        if conn.vendor == "sqlite":
            for trigger in TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        else:
            for table in _PG_TABLES:
                cursor.execute(f"DROP TRIGGER IF EXISTS pb_rollup_dirty ON {table}")
            cursor.execute("DROP FUNCTION IF EXISTS pb_rollup_dirty()")


def installed() -> bool:
    """True when every trigger is in place (one catalogue read)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'pb_rollup_%'"
            )
            return set(TRIGGERS) <= {row[0] for row in cursor.fetchall()}
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname = 'pb_rollup_dirty' AND NOT t.tgisinternal AND t.tgenabled <> 'D'"
        )
        return set(_PG_TABLES) <= {row[0] for row in cursor.fetchall()}
