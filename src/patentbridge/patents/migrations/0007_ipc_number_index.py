"""An index on (main IPC, application number) for the navigation report's topic titles
(``navigation.topics``): each main IPC's first titles read in number order, stopping early.

Written per database rather than declared on the model: PostgreSQL compares the numbers under the
"C" collation (code point order, as SQLite does by default), and an index serves that order only
when it is built with the same collation — a collation SQLite does not know by that name."""

from typing import Any

from django.db import migrations

NAME = "patent_ipc_number"


def _create(apps: Any, schema_editor: Any) -> None:
    number = (
        'application_number COLLATE "C"'
        if schema_editor.connection.vendor == "postgresql"
        else "application_number"
    )
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {NAME} ON patents_patent (ipc_main, {number})")


def _drop(apps: Any, schema_editor: Any) -> None:
    schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [("patents", "0006_created_at_index")]

    operations = [migrations.RunPython(_create, _drop, elidable=False)]
