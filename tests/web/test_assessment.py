"""Pre-filing assessment: the report's parts, saving, printing, and confidentiality."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from patentbridge.core.models import AuditEvent
from patentbridge.demands.services import create_need
from patentbridge.grading.assessment import assess_draft, visible_assessments
from patentbridge.grading.models import Assessment
from patentbridge.patents import services as patent_services
from patentbridge.search.index import get_index, update_index

from .test_matching import HEAT_NEED, library  # noqa: F401  (fixture)
from .test_permissions import client_for

pytestmark = pytest.mark.django_db

DRAFT = {
    "title": "一种用于工业蒸汽制取的高温热泵系统",
    "abstract": "本发明公开一种高温热泵系统，回收工业低温余热，经两级压缩把热量提升到120℃以上，直接产生工业用蒸汽，替代燃气锅炉。",
    "claims": "1. 一种高温热泵系统，包括压缩机、冷凝器和闪蒸罐，其特征在于，冷凝器出口连接闪蒸罐产生蒸汽。\n2. 根据权利要求1所述的系统，其特征在于，采用两级压缩。\n3. 根据权利要求1所述的系统，其特征在于，工质为R1233zd。",
}


@pytest.fixture
def with_need(users, library, django_capture_on_commit_callbacks):  # noqa: F811
    with django_capture_on_commit_callbacks(execute=True):
        create_need(actor=users["enterprise"], data=HEAT_NEED)


def test_report_has_similar_patents_classification_demand_and_predicted_grade(users, with_need):
    assessment = assess_draft(actor=users["inventor"], **DRAFT)
    report = assessment.report
    assert report["similar"] and all(s["application_number"] for s in report["similar"])
    top = report["similar"][0]
    assert "热泵" in top["title"] and top["terms"] and top["passage"]
    assert report["novelty"]
    assert report["suggested_ipc"] and report["suggested_ipc"][0]["code"].startswith("F")
    assert report["demand"]["same_field_count"] >= 1
    assert report["demand"]["related"] and report["demand"]["related"][0]["title"] == HEAT_NEED["title"]
    predicted = report["predicted"]
    assert predicted["grade"] in "ABCD" and predicted["policy_version"]
    claims = next(i for i in predicted["indicators"] if i["key"] == "claims_count")
    assert "3 项" in claims["reason"]
    legal = next(i for i in predicted["indicators"] if i["key"] == "legal_status")
    assert legal["score"] is None  # not granted yet: missing, not zero
    assert AuditEvent.objects.filter(action="grading.assessment.created").exists()


def test_drafts_stay_with_their_organisation_and_out_of_search(users, with_need):
    assessment = assess_draft(actor=users["tto"], **DRAFT)
    assert assessment in visible_assessments(users["inventor"])  # same university
    for outsider in ("other_tto", "operator", "enterprise"):
        assert assessment not in visible_assessments(users[outsider])
        assert client_for(users[outsider]).get(f"/grading/assess/{assessment.pk}/").status_code in (403, 404)
    page = client_for(users["inventor"]).get(f"/grading/assess/{assessment.pk}/")
    assert page.status_code == 200 and "打印" in page.content.decode()
    hits = get_index().search(DRAFT["abstract"], 20)
    assert all(h.id != str(assessment.pk) for h in hits)
    assert not any("R1233zd" in (h.sentence or "") for h in hits)


def test_similar_patents_never_include_other_organisations_unpublished_records(users, library):  # noqa: F811
    """Another university's pending record with the same text is not shown to this university."""
    pending = patent_services.create_patent(
        actor=users["other_tto"],
        data={
            "application_number": "202310123456.6",
            "title": DRAFT["title"],
            "abstract": DRAFT["abstract"],
            "ipc": "F25B30/02",
        },
        submit=True,
    )
    update_index([pending.application_number])
    mine = assess_draft(actor=users["tto"], **DRAFT)
    assert pending.application_number not in {s["application_number"] for s in mine.report["similar"]}
    theirs = assess_draft(actor=users["other_tto"], **DRAFT)
    assert theirs.report["similar"][0]["application_number"] == pending.application_number


def test_roles_and_validation(users, library):  # noqa: F811
    with pytest.raises(PermissionDenied):
        assess_draft(actor=users["enterprise"], **DRAFT)
    with pytest.raises(ValidationError):
        assess_draft(actor=users["tto"], title="太短", abstract="一句话")
    assert client_for(users["enterprise"]).get("/grading/assess/").status_code == 403
    response = client_for(users["tto"]).post("/grading/assess/", DRAFT)
    assert response.status_code == 302 and Assessment.objects.count() == 1
