"""The nightly status run (``pools-sweep`` and the run after the licensing sweep), the restrict
rules of every pool model by role, and the Chinese labels of the pool audit actions."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.management import call_command

from patentbridge.core.labels import action_label
from patentbridge.core.models import AuditEvent
from patentbridge.core.restrict import restrict
from patentbridge.licensing.services.ledger import record_right_event
from patentbridge.licensing.services.sweep import run_sweep
from patentbridge.pools import models
from patentbridge.pools.labels import POOL_ACTION_LABELS
from patentbridge.pools.services import applications
from web.pools.factories import Cast, farm_patent, make_pool, pool_patent

pytestmark = pytest.mark.django_db
D = dt.date


def pledged_pool(cast: Cast) -> Any:
    pool = make_pool(cast)
    pp = pool_patent(cast, pool, farm_patent(cast.uni_a), tto=cast.tto_a)
    record_right_event(
        cast.tto_a,
        pp.patent,
        kind="pledge",
        start=D(2026, 4, 1),
        source="manual",
        source_ref="质押-测试",
        counterparty="某银行",
    )
    return pp


def test_command_suspends_from_the_pledge_date_and_is_repeatable(cast: Cast) -> None:
    pp = pledged_pool(cast)
    out = io.StringIO()
    call_command("pools_sweep", "--as-of", "2026-05-01", stdout=out)
    assert out.getvalue().strip() == "2026-05-01：核查入池专利 1 件，暂停 1 件，恢复在池 0 件，移出 0 件"
    pp.refresh_from_db()
    assert (pp.status, pp.status_since, pp.checked_on) == ("suspended", D(2026, 4, 1), D(2026, 5, 1))
    again = io.StringIO()
    call_command("pools_sweep", "--as-of", "2026-05-02", stdout=again)
    assert "暂停 0 件" in again.getvalue()
    assert pp.changes.count() == 2
    assert AuditEvent.objects.filter(action="pools.sweep.ran").count() == 2


def test_the_licensing_sweep_triggers_the_pool_run(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    pp = pledged_pool(cast)
    with django_capture_on_commit_callbacks(execute=True):
        run_sweep(D(2026, 5, 1), recompute=False)
    pp.refresh_from_db()
    assert pp.status == "suspended"
    assert AuditEvent.objects.filter(action="pools.sweep.ran").count() == 1


def test_restrict_rules_by_role(cast: Cast) -> None:
    forming = make_pool(cast, open_on=None)
    operating = make_pool(cast)
    pool_patent(cast, operating, farm_patent(cast.uni_a), tto=cast.tto_a)
    pending = applications.submit_application(
        cast.tto_b, operating, farm_patent(cast.uni_b), on=D(2026, 2, 1)
    )

    def visible(model: Any, user: Any, action: str = "view") -> set[int]:
        return set(restrict(model.objects.all(), user, action).values_list("pk", flat=True))

    assert visible(models.Pool, cast.operator) == {forming.pk, operating.pk}
    assert visible(models.Pool, cast.agency_user, "change") == {forming.pk, operating.pk}
    assert visible(models.Pool, cast.tto_a) == {operating.pk}
    assert visible(models.Pool, cast.tto_a, "change") == set()
    assert visible(models.Pool, cast.enterprise_user) == {operating.pk}
    assert visible(models.Pool, cast.officer_city) == {forming.pk, operating.pk}
    assert visible(models.Pool, cast.officer_other) == set()
    for user in (cast.inventor, cast.viewer):
        assert visible(models.Pool, user) == set()
    # Applications: the agency and the applicant; withdrawal only by the applicant.
    assert visible(models.MemberApplication, cast.tto_b) == {pending.pk}
    assert pending.pk not in visible(models.MemberApplication, cast.tto_a)
    assert visible(models.MemberApplication, cast.tto_a, "withdraw") == set(
        models.MemberApplication.objects.filter(org=cast.uni_a).values_list("pk", flat=True)
    )
    assert visible(models.MemberApplication, cast.enterprise_user) == set()
    assert pending.pk in visible(models.MemberApplication, cast.agency_user, "change")
    # Catalogue rows: the contributor (and the agency) may withdraw, another member may not.
    entry = models.PoolPatent.objects.get(pool=operating)
    assert visible(models.PoolPatent, cast.tto_a, "withdraw") == {entry.pk}
    assert visible(models.PoolPatent, cast.tto_b, "withdraw") == set()
    assert visible(models.PoolPatent, cast.enterprise_user) == {entry.pk}
    assert visible(models.PoolPatentStatusChange, cast.officer_other) == set()
    assert visible(models.PoolDistribution, cast.enterprise_user) == set()


def test_service_refusals_outside_ones_organisation(cast: Cast) -> None:
    from django.core.exceptions import PermissionDenied

    pool = make_pool(cast)
    patent_b = farm_patent(cast.uni_b)
    with pytest.raises(PermissionDenied, match="只能为本机构的专利申请入池"):
        applications.submit_application(cast.tto_a, pool, patent_b, on=D(2026, 2, 1))
    with pytest.raises(PermissionDenied):
        applications.submit_application(cast.enterprise_user, pool, patent_b, on=D(2026, 2, 1))
    app = applications.submit_application(cast.tto_b, pool, patent_b, on=D(2026, 2, 1))
    with pytest.raises(PermissionDenied, match="运营管理机构"):
        applications.admit(cast.tto_b, app, on=D(2026, 2, 1))
    with pytest.raises(PermissionDenied, match="只能撤回本机构"):
        applications.withdraw_application(cast.tto_a, app, on=D(2026, 2, 1))
    pp = applications.admit(cast.operator, app, on=D(2026, 2, 2))
    with pytest.raises(PermissionDenied, match="只能撤回本机构贡献"):
        applications.withdraw_patent(cast.tto_a, pp, on=D(2026, 3, 1))
    assert AuditEvent.objects.filter(action="pools.application.admitted", actor=cast.operator).count() == 1


def test_audit_actions_read_in_chinese() -> None:
    for code, label in POOL_ACTION_LABELS.items():
        assert action_label(code) == label
