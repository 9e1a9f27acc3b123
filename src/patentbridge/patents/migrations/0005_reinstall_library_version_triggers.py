"""Re-install the library version triggers of 0002. SQLite rebuilds ``patents_patent`` to add a
column (0004 added ``right_records``), and a rebuilt table loses its triggers: the version then
stopped moving on writes, so per-process caches (allowed sets, counts) went stale. Idempotent.

Any later migration that rebuilds a patents table must end with the same step (a test checks that
the triggers exist after all migrations)."""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.db import migrations


def _ensure(apps: Any, schema_editor: Any) -> None:
    import_module("patentbridge.patents.migrations.0002_library_speed")._install(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("patents", "0004_patent_right_records")]

    operations = [migrations.RunPython(_ensure, migrations.RunPython.noop)]
