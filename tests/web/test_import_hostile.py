"""Hostile uploads through the real import page, service and CLI (#b-#g).

Every malformed file ends as a clear Chinese form error or a finished batch with a Chinese
reason, never a 500; the upload cap holds on the page and the CLI; and the slow work of
registering an upload happens outside the database transaction.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client

from patentbridge.core.models import AuditEvent
from patentbridge.ingest.models import ImportBatch
from patentbridge.ingest.services import create_batch, run_batch
from patentbridge.patents.models import Patent
from patentbridge_engine.bench.hostile import shared_strings_bomb, small_xlsx

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db

GOOD_CSV = "申请号,专利名称,申请日\n202310123456.6,一种电池装置,2023-05-01\n"


def _client(user: Any) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def _upload(client: Client, name: str, content: bytes, capture: Any) -> Any:
    with capture(execute=True):
        return client.post("/imports/", {"file": SimpleUploadedFile(name, content)})


# Files refused on the form: no batch is created and the page says why.
REFUSED = {
    "not_a_zip.xlsx": (lambda: "申请号\n202310123456.6\n".encode(), "不是有效的 Excel"),
    "truncated.xlsx": (lambda: small_xlsx([["申请号"], ["202310123456.6"]])[:300], "不是有效的 Excel"),
    "bomb.xlsx": (shared_strings_bomb, "疑似压缩炸弹"),
    "empty.csv": (lambda: b"", "空文件"),
}

# Files accepted for import whose batch ends FAILED with a Chinese reason.
FAILED = {
    "deep.json": (lambda: ("[" * 100_000 + "]" * 100_000).encode(), "嵌套层级过深"),
    "blank.csv": (lambda: b"\n \n\n", "文件为空"),
    "garbage.csv": (lambda: bytes(range(256)) * 20, "申请号"),
    "scalar.json": (lambda: b"42", "对象数组"),
    "huge_int.json": (lambda: b"[" + b"9" * 5000 + b"]", "无法解析 JSON"),
}

# Files whose single row is rejected (with a Chinese reason) while the batch completes.
ROW_REJECTED = {
    "deep.jsonl": (lambda: ("[" * 100_000 + "]" * 100_000).encode(), "嵌套层级过深"),
    "doctype.xml": (lambda: b'<?xml version="1.0"?><!DOCTYPE' + b" " * 655_360, "XML 无法解析"),
    "laughs.xml": (
        lambda: (
            b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "]"><!ENTITY l "lol">'
            b'<!ENTITY l2 "&l;&l;&l;&l;&l;&l;&l;&l;&l;&l;">]><cn-application-body>&l2;</cn-application-body>'
        ),
        "XML 无法解析",
    ),
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_hostile_file_is_refused_on_the_form(users, django_capture_on_commit_callbacks, name):
    """A non-zip, truncated or zip-bomb .xlsx (or an empty file) gets a Chinese form error, no batch."""
    build, reason = REFUSED[name]
    response = _upload(_client(users["operator"]), name, build(), django_capture_on_commit_callbacks)
    assert response.status_code == 200 and reason in response.content.decode()
    assert not ImportBatch.objects.exists()


@pytest.mark.parametrize("name", sorted(FAILED))
def test_malformed_file_ends_as_a_failed_batch(users, django_capture_on_commit_callbacks, name):
    """Deep, empty, binary or wrongly shaped files give a FAILED batch with a Chinese reason, not a 500."""
    build, reason = FAILED[name]
    response = _upload(_client(users["operator"]), name, build(), django_capture_on_commit_callbacks)
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert batch.status == ImportBatch.Status.FAILED and reason in batch.error and _cjk(batch.error)
    assert AuditEvent.objects.filter(action="ingest.batch.failed", target_id=str(batch.pk)).exists()


@pytest.mark.parametrize("name", sorted(ROW_REJECTED))
def test_hostile_row_is_rejected_and_the_batch_completes(users, django_capture_on_commit_callbacks, name):
    """A deep JSONL line, an unclosed 640 KB DOCTYPE, entity expansion: one rejected row each."""
    build, reason = ROW_REJECTED[name]
    response = _upload(_client(users["operator"]), name, build(), django_capture_on_commit_callbacks)
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert batch.status == ImportBatch.Status.COMPLETED and (batch.rows_read, batch.rejected) == (1, 1)
    (issue,) = batch.issues.all()
    assert reason in issue.reason


def test_one_bad_byte_rejects_one_row_of_a_utf8_csv(users, django_capture_on_commit_callbacks):
    """#e: a stray byte in row 4 rejects that row (field, Chinese reason); the other 19 rows import."""
    from patentbridge_engine.ids.patent_numbers import app_check_char

    numbers = [f"2023101234{i:02d}" for i in range(20)]
    rows = [f"{n}.{app_check_char(n)},一种电池装置{i},2023-05-01" for i, n in enumerate(numbers)]
    content = "\n".join(["申请号,专利名称,申请日", *rows]).encode()
    content = content.replace("一种电池装置2,".encode(), "一种电池装置2".encode() + b"\xff,", 1)
    response = _upload(
        _client(users["operator"]), "bad_byte.csv", content, django_capture_on_commit_callbacks
    )
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and batch.status == ImportBatch.Status.COMPLETED
    assert (batch.rows_read, batch.imported, batch.rejected) == (20, 19, 1)
    (issue,) = batch.issues.filter(severity="error")
    assert (issue.row_number, issue.field) == (4, "title") and "编码" in issue.reason
    assert Patent.objects.filter(title="一种电池装置7").exists()


def test_run_batch_fails_cleanly_when_the_stored_file_is_hostile(users, tmp_path):
    """#f: a reader's RecursionError during the run becomes a FAILED batch, not an escaping exception."""
    path = tmp_path / "ok.json"
    path.write_text(json.dumps([{"申请号": "202310123456.6"}]), encoding="utf-8")
    batch = create_batch(actor=users["operator"], source=path, original_name=path.name)
    Path(batch.file_path).write_text("[" * 100_000 + "]" * 100_000)
    failed = run_batch(batch.pk)
    assert failed.status == ImportBatch.Status.FAILED and "嵌套层级过深" in failed.error


@pytest.mark.django_db(transaction=True)
def test_upload_stores_hashes_and_inspects_outside_the_transaction(users, monkeypatch, tmp_path):
    """#f: copying, hashing and inspecting an upload run with no transaction open (no write lock held)."""
    import patentbridge.ingest.services as services

    seen: dict[str, bool] = {}

    def spy(name: str, original: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            seen[name] = connection.in_atomic_block
            return original(*args, **kwargs)

        return wrapper

    for name in ("_store", "file_sha256", "inspect_file"):
        monkeypatch.setattr(services, name, spy(name, getattr(services, name)))
    response = _client(users["operator"]).post(
        "/imports/", {"file": SimpleUploadedFile("a.csv", GOOD_CSV.encode())}
    )
    assert response.status_code == 302
    assert seen == {"_store": False, "file_sha256": False, "inspect_file": False}
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.COMPLETED and batch.rows_estimated == 1


def test_upload_above_the_cap_is_refused_without_storing_it(
    users, settings, django_capture_on_commit_callbacks
):
    """#c: with PATENTBRIDGE_UPLOAD_MAX_MB=1 a 1.5 MB file gets a Chinese error and leaves nothing behind."""
    settings.PATENTBRIDGE_UPLOAD_MAX_MB = 1
    content = (GOOD_CSV + "202310123457.0,一种电池装置,2023-05-01\n" * 40_000).encode()
    assert len(content) > 1.5 * (1 << 20)
    response = _upload(_client(users["operator"]), "big.csv", content, django_capture_on_commit_callbacks)
    page = response.content.decode()
    assert response.status_code == 200 and "过大" in page and "上限为 1 MB" in page
    assert not ImportBatch.objects.exists()
    assert not (Path(settings.MEDIA_ROOT) / "imports").exists()


def test_service_and_cli_refuse_a_file_above_the_cap(users, settings, tmp_path):
    """#c: create_batch and `patentbridge import` refuse an oversized file with the same Chinese message."""
    from django.core.exceptions import ValidationError

    settings.PATENTBRIDGE_UPLOAD_MAX_MB = 1
    path = tmp_path / "big.csv"
    path.write_bytes((GOOD_CSV * 60_000).encode())
    with pytest.raises(ValidationError, match="上限为 1 MB"):
        create_batch(actor=users["operator"], source=path, original_name=path.name)
    with pytest.raises(CommandError, match="上限为 1 MB"):
        call_command("import_patents", str(path), "--user", "operator", "--json")
    assert not ImportBatch.objects.exists()


def test_upload_cap_setting_is_read_from_the_environment(monkeypatch):
    """PATENTBRIDGE_UPLOAD_MAX_MB is configurable and a non-number is a configuration error."""
    import importlib

    from django.core.exceptions import ImproperlyConfigured

    import patentbridge.settings.limits as limits

    monkeypatch.setenv("PATENTBRIDGE_UPLOAD_MAX_MB", "7")
    assert importlib.reload(limits).PATENTBRIDGE_UPLOAD_MAX_MB == 7
    monkeypatch.setenv("PATENTBRIDGE_UPLOAD_MAX_MB", "lots")
    with pytest.raises(ImproperlyConfigured, match="PATENTBRIDGE_UPLOAD_MAX_MB"):
        importlib.reload(limits)
    monkeypatch.delenv("PATENTBRIDGE_UPLOAD_MAX_MB")
    assert importlib.reload(limits).PATENTBRIDGE_UPLOAD_MAX_MB == 200
