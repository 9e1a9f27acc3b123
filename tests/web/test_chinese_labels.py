"""Users read Chinese, never raw codes: audit actions, history fields and values, facet labels."""

from __future__ import annotations

import pytest

from patentbridge.core.labels import ACTION_LABELS, action_label
from patentbridge.patents import services as patent_services

from .factories import HEAT_PUMP, make_patent
from .test_permissions import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(users, chains):
    from .test_workflow import FORM

    patent = patent_services.create_patent(actor=users["inventor"], data=FORM)
    patent_services.submit_patent(actor=users["inventor"], patent=patent)
    patent = patent_services.approve_college(actor=users["college"], patent=patent)
    return patent_services.approve_university(actor=users["tto"], patent=patent, self_assessment="good")


def test_audit_page_names_actions_in_chinese(users, approved):
    """The audit log says 审核通过入库, not patents.patent.approved (the code stays in a tooltip)."""
    page = client_for(users["operator"]).get("/audit/").content.decode()
    assert ">审核通过入库<" in page and ">学院审核通过<" in page
    assert ">patents.patent.approved<" not in page


def test_patent_history_shows_field_and_value_labels(users, approved):
    """History rows read 入库状态：待学校审核 → 已入库 rather than library_status: pending_university."""
    page = client_for(users["tto"]).get(f"/patents/{approved.application_number}/").content.decode()
    assert "入库状态：待学校审核 → 已入库" in page
    assert "library_status" not in page.split("变更历史", 1)[1]


def test_every_action_the_code_writes_has_a_label_and_unknown_ones_are_not_raw():
    """Unknown actions fall back to Chinese object/verb words instead of the code."""
    assert all(label and not label.isascii() for label in ACTION_LABELS.values())
    assert action_label("licensing.contract.signed") == "其他：操作"
    assert action_label("patents.patent.deleted") == "专利：删除"


def test_facets_show_chinese_names_without_internal_codes(users, chains):
    """Chain and WIPO facets read 高温热泵… / 热工过程和设备（机械工程）: no GLC/NGIT codes, no English."""
    make_patent(**HEAT_PUMP, classify=True)
    make_patent(**{**HEAT_PUMP, "ipc": ["G01N33/00", "F25B30/02"]}, classify=True)
    page = client_for(users["operator"]).get("/patents/").content.decode()
    facets = page.split('data-testid="facets"', 1)[1].split("</aside>", 1)[0]
    assert "热工过程和设备（机械工程）" in facets
    assert "Mechanical engineering" not in facets and "Instruments" not in facets
    assert "绿色低碳" in facets and "GLC 绿色低碳" not in facets
