"""Library speed: indexes for the list order and a library version counter kept by the database.

The counter (``patents_libraryversion``, one row) moves whenever a patent row or a patent
classification row is inserted, updated or deleted — by any code path: services, the bulk
import writer, the admin, raw SQL. Caches of permission scopes (allowed id sets) and facet
counts are keyed by it, so they can never outlive the data they were computed from. ``token``
is re-drawn at random with every bump: a rolled-back transaction restores an old version number,
and the token keeps a cache entry from being mistaken for data with the same number. ``rewrites``
counts only updates and deletes of patent rows (the writes that can take a patent out of a
permission scope).
"""

from __future__ import annotations

from typing import Any

from django.db import migrations, models

_TABLES = (("patents_patent", "id"), ("patents_patentclass", "patent_id"))

_SQLITE_CREATE = (
    "CREATE TABLE IF NOT EXISTS patents_libraryversion "
    "(id integer PRIMARY KEY, version integer NOT NULL, token integer NOT NULL, rewrites integer NOT NULL)",
    "INSERT OR IGNORE INTO patents_libraryversion (id, version, token, rewrites) VALUES (1, 0, 0, 0)",
)
# SQLite writers are serialised (one write transaction at a time), so a per-row bump inside
# the writer's transaction becomes visible exactly when its rows do.
_SQLITE_TRIGGER = (
    "CREATE TRIGGER IF NOT EXISTS pb_version_{table}_{op} AFTER {op} ON {table} BEGIN "
    "UPDATE patents_libraryversion SET version = version + 1, token = random(){rewrites} WHERE id = 1; END"
)

_PG_CREATE = (
    "CREATE TABLE IF NOT EXISTS patents_libraryversion "
    "(id integer PRIMARY KEY, version bigint NOT NULL, token bigint NOT NULL, rewrites bigint NOT NULL)",
    "INSERT INTO patents_libraryversion (id, version, token, rewrites) VALUES (1, 0, 0, 0) ON CONFLICT DO NOTHING",
    """
    CREATE OR REPLACE FUNCTION pb_bump_library_version() RETURNS trigger AS $$
    BEGIN
        UPDATE patents_libraryversion
        SET version = version + 1,
            token = floor(random() * 9007199254740991)::bigint,
            rewrites = rewrites + (TG_TABLE_NAME = 'patents_patent' AND TG_OP <> 'INSERT')::int
        WHERE id = 1;
        RETURN NULL;
    END
    $$ LANGUAGE plpgsql
    """,
)
# Once per statement, not per row: a 500-row import chunk bumps the counter once. The row lock
# on the counter serialises writers from that statement to their commit, which keeps the
# version order equal to the commit order.
_PG_TRIGGER = (
    "CREATE TRIGGER pb_version_{table} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
    "FOR EACH STATEMENT EXECUTE FUNCTION pb_bump_library_version()"
)


def _rewrites(table: str, op: str) -> bool:
    """Whether a write may shrink what someone may see: an update or delete of a patent row.
    Inserts only add patents and classifications never decide visibility (``rewrites`` lets an
    allowed set keep serving while it is rebuilt after inserts only; see ``versioned_cache``)."""
    return table == "patents_patent" and op != "INSERT"


def _install(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    with schema_editor.connection.cursor() as cursor:
        if vendor == "sqlite":
            cursor.execute(_SQLITE_CREATE[0])
            cursor.execute("PRAGMA table_info(patents_libraryversion)")
            if "rewrites" not in {row[1] for row in cursor.fetchall()}:
                # A database that ran the first cut of this migration (0003 re-runs this function).
                cursor.execute(
                    "ALTER TABLE patents_libraryversion ADD COLUMN rewrites integer NOT NULL DEFAULT 0"
                )
            cursor.execute(_SQLITE_CREATE[1])
            for table, _ in _TABLES:
                for op in ("INSERT", "UPDATE", "DELETE"):
                    rewrites = ", rewrites = rewrites + 1" if _rewrites(table, op) else ""
                    cursor.execute(f"DROP TRIGGER IF EXISTS pb_version_{table}_{op}")
                    cursor.execute(_SQLITE_TRIGGER.format(table=table, op=op, rewrites=rewrites))
        elif vendor == "postgresql":
            cursor.execute(_PG_CREATE[0])
            cursor.execute(
                "ALTER TABLE patents_libraryversion ADD COLUMN IF NOT EXISTS rewrites bigint NOT NULL DEFAULT 0"
            )
            for sql in _PG_CREATE[1:]:
                cursor.execute(sql)
            for table, _ in _TABLES:
                cursor.execute(f"DROP TRIGGER IF EXISTS pb_version_{table} ON {table}")
                cursor.execute(_PG_TRIGGER.format(table=table))
        else:
            raise NotImplementedError(f"library version triggers for {vendor}")


def _remove(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    with schema_editor.connection.cursor() as cursor:
        for table, _ in _TABLES:
            if vendor == "sqlite":
                for op in ("INSERT", "UPDATE", "DELETE"):
                    cursor.execute(f"DROP TRIGGER IF EXISTS pb_version_{table}_{op}")
            else:
                cursor.execute(f"DROP TRIGGER IF EXISTS pb_version_{table} ON {table}")
        if vendor == "postgresql":
            cursor.execute("DROP FUNCTION IF EXISTS pb_bump_library_version()")
        cursor.execute("DROP TABLE IF EXISTS patents_libraryversion")


class Migration(migrations.Migration):
    dependencies = [("patents", "0001_initial")]

    operations = [
        # The list's order (newest filing first) within the approved library (every enterprise,
        # government and viewer request) and over everything (platform roles).
        migrations.AddIndex(
            model_name="patent",
            index=models.Index(
                fields=["library_status", "-filing_date", "application_number"], name="patent_status_order"
            ),
        ),
        migrations.AddIndex(
            model_name="patent",
            index=models.Index(fields=["-filing_date", "application_number"], name="patent_list_order"),
        ),
        migrations.RunPython(_install, _remove),
    ]
