"""The library version moves with every write to patents after all migrations have run: SQLite
drops a table's triggers when a migration rebuilds it (adding a column with a default does), and
a version that no longer moves leaves cached allowed sets and counts stale for good."""

from __future__ import annotations

import pytest
from django.db import connection

from patentbridge.patents.models import Patent
from patentbridge.patents.versioned_cache import library_version

from .factories import make_patent

pytestmark = pytest.mark.django_db


def _triggers() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        else:
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        return {row[0] for row in cursor.fetchall()}


def test_every_version_trigger_survives_the_migrations():
    names = _triggers()
    if connection.vendor == "sqlite":
        expected = {f"pb_version_patents_patent_{op}" for op in ("INSERT", "UPDATE", "DELETE")}
    else:
        expected = {"pb_version_patents_patent"}
    assert expected <= names


def test_inserting_updating_and_deleting_a_patent_moves_the_version():
    start = library_version()
    patent = make_patent(title="一种版本测试装置")
    inserted = library_version()
    assert inserted != start
    Patent.objects.filter(pk=patent.pk).update(title="一种版本测试装置（改）")
    updated = library_version()
    assert updated != inserted
    Patent.objects.filter(pk=patent.pk).delete()
    assert library_version() != updated
