"""Availability under SQLite's single write lock, input limits, credentials and 403 logging.

The lock tests hold SQLite's write lock from a second, raw connection (as an import does) on the
real test database file, with a short busy timeout so that the old behaviour shows within a second.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from .conftest import PASSWORD

BUSY_MS = 200


@pytest.fixture
def sqlite_only(transactional_db: Any) -> Iterator[None]:
    """A committed-transaction database on SQLite with a 200 ms busy timeout on Django's connection."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's write lock only")
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA busy_timeout={BUSY_MS}")
    yield
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout=10000")


@contextmanager
def write_lock(release_after: float | None = None) -> Iterator[None]:
    """Hold the write lock from another connection (for ``release_after`` seconds, or the block)."""
    conn = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None, check_same_thread=False)
    conn.execute("BEGIN IMMEDIATE")
    released = threading.Event()

    def release() -> None:
        if not released.is_set():
            released.set()
            conn.execute("ROLLBACK")

    timer = threading.Timer(release_after, release) if release_after is not None else None
    if timer is not None:
        timer.start()
    try:
        yield
    finally:
        if timer is not None:
            timer.join()
        release()
        conn.close()


def test_login_waits_for_a_lock_held_past_the_busy_timeout(sqlite_only, users):
    """A login whose session write meets a lock held longer than busy_timeout is retried and
    succeeds once the lock is free, instead of answering 500."""
    client = Client()
    with write_lock(release_after=1.0):
        started = time.monotonic()
        response = client.post("/accounts/login/", {"username": "operator", "password": PASSWORD})
    assert response.status_code == 302, response.status_code
    assert time.monotonic() - started >= 0.8  # it really waited for the lock
    assert client.get("/").status_code == 200


def test_a_lock_that_never_frees_answers_503_in_chinese(sqlite_only, users, settings):
    """When the lock outlives the retries the user gets 503 "系统繁忙，请稍后重试" with
    Retry-After, not a 500 with a traceback; the API gets the same as JSON."""
    settings.PATENTBRIDGE_DB_LOCK_RETRY_SECONDS = 0.3
    client = Client()
    with write_lock():
        response = client.post("/accounts/login/", {"username": "operator", "password": PASSWORD})
    assert response.status_code == 503
    assert "系统繁忙，请稍后重试" in response.content.decode()
    assert response["Retry-After"]


def test_the_worker_loop_survives_a_lock_past_the_busy_timeout(sqlite_only, settings):
    """The worker that fetches a job while the lock is held past busy_timeout (and past the
    retries) waits and then runs the job, instead of dying with "database is locked"."""
    from django.db.utils import OperationalError
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    from patentbridge.core.worker import ResilientWorker
    from patentbridge.patents.tasks import reclassify_all

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.PATENTBRIDGE_DB_LOCK_RETRY_SECONDS = 0
    result = reclassify_all.enqueue()
    options: dict[str, Any] = {
        "queue_names": ["*"],
        "interval": 0.05,
        "batch": True,
        "backend_name": "default",
        "startup_delay": False,
        "max_tasks": None,
        "worker_id": "test-worker",
        "excluded_queue_names": [],
    }
    # The upstream loop (what serve ran before) dies on the lock: the finding.
    with write_lock(), pytest.raises(OperationalError):
        Worker(**options).run()
    with write_lock(release_after=1.0):
        ResilientWorker(**options).run()
    assert DBTaskResult.objects.get(pk=result.id).status == "SUCCESSFUL"


def _token(user: Any) -> str:
    from patentbridge.accounts.models import ApiToken

    raw = "pb_test_" + "x" * 32
    ApiToken.objects.create(user=user, name="test", key_hash=ApiToken.hash_key(raw))
    return raw


def test_token_reads_work_while_an_import_holds_the_lock(sqlite_only, users):
    """A token-authenticated GET answers 200 while another process holds the write lock: the
    last-use write is skipped if recent and never fails the request when busy."""
    from patentbridge.accounts.models import ApiToken

    raw = _token(users["operator"])
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    with write_lock():
        first = client.get("/api/patents")
        second = client.get("/api/patents")
    assert first.status_code == 200 and second.status_code == 200
    assert ApiToken.objects.get().last_used_at is None  # busy: not recorded, and that is fine
    assert client.get("/api/patents").status_code == 200
    assert ApiToken.objects.get().last_used_at is not None


@pytest.mark.django_db
def test_token_last_use_is_written_at_most_once_a_minute(users, django_capture_on_commit_callbacks):
    """Within a minute of the recorded last use an API GET issues no UPDATE at all; after a
    minute it records the new time."""
    import time_machine

    from patentbridge.accounts.models import ApiToken

    raw = _token(users["operator"])
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert client.get("/api/patents").status_code == 200
        first = ApiToken.objects.get().last_used_at
        assert first == start
    with time_machine.travel(start + timedelta(seconds=30), tick=False):
        with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks(execute=True):
            assert client.get("/api/patents").status_code == 200
        assert not [q for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
        assert ApiToken.objects.get().last_used_at == first
    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert client.get("/api/patents").status_code == 200
        assert ApiToken.objects.get().last_used_at == start + timedelta(seconds=61)


@pytest.mark.django_db
def test_need_description_over_the_limit_is_refused_in_chinese(users, client, chains):
    """A 3.3M-character need is refused by the form with a Chinese message (no need is created
    and nothing is classified); the service refuses 20,001 characters too (CLI/API path)."""
    from django.core.exceptions import ValidationError

    from patentbridge.demands.forms import NeedForm
    from patentbridge.demands.models import TechNeed
    from patentbridge.demands.services import MAX_DESCRIPTION_CHARS, create_need

    huge = "高温循环后容量衰减快" * 330_000
    form = NeedForm({"title": "电池", "description": huge, "wanted_mode": "licence"})
    assert not form.is_valid()
    assert "需求描述不能超过 20,000 字" in form.errors["description"][0]
    client.force_login(users["enterprise"])
    over = "衰" * (MAX_DESCRIPTION_CHARS + 1)
    response = client.post("/needs/new/", {"title": "电池", "description": over, "wanted_mode": "licence"})
    assert response.status_code == 200 and "需求描述不能超过" in response.content.decode()
    with pytest.raises(ValidationError) as exc:
        create_need(actor=users["enterprise"], data={"title": "电池", "description": over})
    assert "需求描述不能超过" in exc.value.messages[0]
    assert not TechNeed.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_need_classification_runs_outside_the_write_transaction(users, chains, monkeypatch):
    """Suggesting a need's IPC and chains (the slow part) happens with no transaction open, so
    SQLite's write lock is held only for the insert and its audit row."""
    from patentbridge.demands import services

    seen: list[bool] = []
    original = services.classify_need

    def spy(*args: Any, **kwargs: Any) -> Any:
        seen.append(connection.in_atomic_block)
        return original(*args, **kwargs)

    monkeypatch.setattr(services, "classify_need", spy)
    need = services.create_need(
        actor=users["enterprise"], data={"title": "锂电池", "description": "高温循环后容量衰减快"}
    )
    services.set_need_ipc(actor=users["operator"], need=need, ipc_text="H01M10/0525")
    assert seen == [False, False]


@pytest.mark.django_db(transaction=True)
def test_assessment_limits_and_analysis_outside_the_transaction(users, chains, monkeypatch):
    """A draft over 50,000 characters is refused in Chinese; an accepted draft is analysed with
    no transaction open and saved with its audit row."""
    from django.core.exceptions import ValidationError

    from patentbridge.core.models import AuditEvent
    from patentbridge.grading import assessment

    with pytest.raises(ValidationError) as exc:
        assessment.assess_draft(
            actor=users["tto"], title="换热器", abstract="一种换热器" * 6_000, claims="1. 一种换热器" * 5_000
        )
    assert "不能超过 50,000 字" in exc.value.messages[0]
    seen: list[bool] = []
    original = assessment.classify_need

    def spy(*args: Any, **kwargs: Any) -> Any:
        seen.append(connection.in_atomic_block)
        return original(*args, **kwargs)

    monkeypatch.setattr(assessment, "classify_need", spy)
    done = assessment.assess_draft(
        actor=users["tto"], title="高温热泵", abstract="一种高温热泵系统，包括压缩机、冷凝器和蒸发器。"
    )
    assert seen == [False]
    assert AuditEvent.objects.filter(action="grading.assessment.created", target_id=str(done.pk)).exists()


@pytest.mark.django_db
def test_assessment_page_shows_the_limit_error(users, client):
    """The assessment form answers an over-long draft with the Chinese limit message."""
    client.force_login(users["tto"])
    response = client.post(
        "/grading/assess/", {"title": "换热器", "abstract": "换" * 50_001, "claims": ""}, follow=True
    )
    assert "不能超过 50,000 字" in response.content.decode()


@pytest.mark.django_db
def test_forbidden_is_logged_without_a_traceback(users, client, caplog):
    """A 403 is one warning line for django.request, without exc_info (no traceback)."""
    client.force_login(users["viewer"])
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get("/grading/assess/")
    assert response.status_code == 403
    records = [r for r in caplog.records if r.name == "django.request"]
    assert records and all(r.exc_info is None for r in records)
    assert "Forbidden" in records[0].getMessage()


@pytest.mark.django_db
def test_init_demo_prints_the_credentials_once(monkeypatch, settings, tmp_path):
    """`init --demo` prints the credentials file path and every demo account with its password."""
    from io import StringIO

    from django.core.management import call_command

    from patentbridge.site.management.commands import init

    settings.DATA_DIR = tmp_path
    creds = [("operator", "s3cret-pw", "运营中心 · 运营人员"), ("tto", "tto-pw-123", "大学 · 技术转移")]
    # The real demo load (imports, indexes, grading) is covered by the browser suite; here only
    # what init prints about its result matters.
    monkeypatch.setattr(init, "load_demo", lambda stdout, **options: creds)
    out = StringIO()
    call_command("init", "--demo", stdout=out)
    text = out.getvalue()
    assert str(tmp_path / "demo_credentials.txt") in text
    assert "operator / s3cret-pw" in text and "tto / tto-pw-123" in text
