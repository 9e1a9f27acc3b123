"""Configuration parsing and recovery of interrupted imports at start-up."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from patentbridge.settings import env_bool
from patentbridge.settings.database import database_config

from .conftest import demo_file


def test_sqlite_is_the_default_with_wal_and_immediate_transactions(tmp_path: Path):
    """No URL → SQLite under the data directory, WAL mode and IMMEDIATE transactions."""
    config = database_config("", tmp_path)
    assert config["ENGINE"].endswith("sqlite3") and config["NAME"] == tmp_path / "db.sqlite3"
    assert "journal_mode=WAL" in config["OPTIONS"]["init_command"]
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_postgres_urls_including_a_socket_directory(tmp_path: Path):
    """TCP and %-encoded Unix-socket hosts both parse; other schemes are refused."""
    tcp = database_config("postgres://pb:s%40cret@db.example:5433/patents", tmp_path)
    assert (tcp["HOST"], tcp["PORT"], tcp["USER"], tcp["PASSWORD"], tcp["NAME"]) == (
        "db.example",
        "5433",
        "pb",
        "s@cret",
        "patents",
    )
    socket = database_config("postgres://root@%2Fvar%2Frun%2Fpostgresql/pb", tmp_path)
    assert socket["HOST"] == "/var/run/postgresql" and socket["USER"] == "root"
    with pytest.raises(ImproperlyConfigured):
        database_config("mysql://x@y/z", tmp_path)


def test_boolean_settings_fail_loudly(monkeypatch):
    """A typo in a boolean variable is a configuration error, not silently False."""
    monkeypatch.setenv("PB_TEST_FLAG", "yes")
    with pytest.raises(ImproperlyConfigured):
        env_bool("PB_TEST_FLAG", "False")
    monkeypatch.setenv("PB_TEST_FLAG", "True")
    assert env_bool("PB_TEST_FLAG", "False") is True


@pytest.mark.django_db
def test_interrupted_batches_are_requeued_and_finish(users, tmp_path, django_capture_on_commit_callbacks):
    """A batch left 'running' by a dead worker is queued again at start-up and completes."""
    from patentbridge.core.models import AuditEvent
    from patentbridge.ingest.models import ImportBatch
    from patentbridge.ingest.recovery import requeue_interrupted
    from patentbridge.ingest.services import create_batch

    path = demo_file(tmp_path, "schema_sample_10.csv.gz")
    batch = create_batch(actor=users["operator"], source=path, original_name=path.name)
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.RUNNING)
    with django_capture_on_commit_callbacks(execute=True):
        assert requeue_interrupted() == 1
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.COMPLETED and batch.imported == 10
    assert AuditEvent.objects.filter(action="ingest.batch.requeued", target_id=str(batch.pk)).exists()
