"""Operators' tools: chain configuration page, back office, API tokens, unmapped columns."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

from patentbridge.accounts.models import ApiToken
from patentbridge.core.models import AuditEvent
from patentbridge.patents.models import IndustryChain

from .conftest import run_import
from .test_permissions import client_for

pytestmark = pytest.mark.django_db


def test_operator_replaces_the_chain_configuration(users, chains, django_capture_on_commit_callbacks):
    """The page shows the chains; a valid JSON replaces them (audited); invalid input keeps the old ones."""
    client = client_for(users["operator"])
    page = client.get("/patents/chains/").content.decode()
    assert "新能源汽车" in page and "H01M10*" in page
    bad = client.post("/patents/chains/", {"config": "{not json"}, follow=True).content.decode()
    assert "JSON 格式错误" in bad and IndustryChain.objects.count() == 10
    invalid = json.dumps({"chains": [{"code": "A", "name": "x", "ipc": ["坏"]}]})
    assert (
        "产业链配置无效" in client.post("/patents/chains/", {"config": invalid}, follow=True).content.decode()
    )
    config = json.dumps(
        {"chains": [{"code": "HP", "name": "热泵", "ipc": ["F25B30*"], "keywords": ["热泵"]}]}
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/patents/chains/", {"config": config})
    assert response.status_code == 302
    assert list(IndustryChain.objects.values_list("code", flat=True)) == ["HP"]
    assert AuditEvent.objects.filter(action="patents.chains.saved", actor=users["operator"]).exists()


@pytest.mark.parametrize("role", ["tto", "inventor", "enterprise", "viewer"])
def test_chain_page_is_for_operators_only(users, role):
    """Other roles get 403 on the configuration page."""
    assert client_for(users[role]).get("/patents/chains/").status_code == 403


def test_back_office_lists_and_keeps_patents_read_only(users, tmp_path):
    """Admins browse patents in the admin; changes must go through the audited services."""
    path = tmp_path / "a.csv"
    path.write_text("申请号,专利名称\n202310123456.6,一种电池\n", encoding="utf-8")
    run_import(users["operator"], path)
    users["admin"].is_staff = users["admin"].is_superuser = True
    users["admin"].save()
    client = client_for(users["admin"])
    listing = client.get("/admin/patents/patent/").content.decode()
    assert "202310123456.6" in listing
    patent_id = __import__("patentbridge.patents.models", fromlist=["Patent"]).Patent.objects.get().pk
    response = client.post(f"/admin/patents/patent/{patent_id}/change/", {"title": "改名"})
    assert response.status_code == 403


def test_token_command_prints_a_working_key(users):
    """The printed key authenticates as the user; only its hash is stored."""
    out = StringIO()
    call_command("token", "tto", "同步", stdout=out)
    key = out.getvalue().strip()
    assert key.startswith("pb_")
    token = ApiToken.objects.get(user=users["tto"])
    assert token.key_hash == ApiToken.hash_key(key) and key not in token.key_hash
    from django.test import Client

    assert Client().get("/api/imports", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200


def test_unmapped_columns_are_recorded_and_shown(users, tmp_path):
    """Columns the importer does not know are listed on the batch, not dropped silently."""
    path = tmp_path / "extra.csv"
    path.write_text("申请号,专利名称,神秘备注\n202310123456.6,一种电池,x\n", encoding="utf-8")
    batch = run_import(users["operator"], path)
    assert batch.unmapped_headers == ["神秘备注"]
    page = client_for(users["operator"]).get(f"/imports/{batch.pk}/").content.decode()
    assert "未识别、未导入的列" in page and "神秘备注" in page


def test_invalid_mapping_file_is_refused_before_import(users, tmp_path):
    """A mapping naming an unknown field stops the upload with a clear message."""
    from django.core.exceptions import ValidationError

    from patentbridge.ingest.services import create_batch

    path = tmp_path / "a.csv"
    path.write_text("编号\n202310123456.6\n", encoding="utf-8")
    with pytest.raises(ValidationError, match="字段名无效"):
        create_batch(actor=users["operator"], source=path, original_name=path.name, mapping={"编号": "nope"})
