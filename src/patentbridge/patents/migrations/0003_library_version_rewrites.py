"""Re-run the (idempotent) library version setup of 0002 for databases that applied its first
cut, which had no ``rewrites`` column; on a database created with the current 0002 it changes
nothing."""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.db import migrations


def _ensure(apps: Any, schema_editor: Any) -> None:
    import_module("patentbridge.patents.migrations.0002_library_speed")._install(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("patents", "0002_library_speed")]

    operations = [migrations.RunPython(_ensure, migrations.RunPython.noop)]
