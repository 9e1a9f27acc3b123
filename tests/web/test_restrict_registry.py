"""One permission vocabulary: every user-visible model has a registered access rule behind
``core.restrict.restrict(queryset, user, action)``, and a model without one is refused."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from patentbridge.core.models import Notification
from patentbridge.core.restrict import registered_models, restrict
from patentbridge.demands.models import TechNeed
from patentbridge.demands.services import create_need
from patentbridge.grading.models import Assessment
from patentbridge.ingest.models import ImportBatch
from patentbridge.matching.models import MatchItem
from patentbridge.patents.models import Patent

pytestmark = pytest.mark.django_db


def test_every_user_visible_model_has_a_rule():
    """Patents, needs, match items, import batches and assessments are all behind one function."""
    assert {Patent, TechNeed, MatchItem, ImportBatch, Assessment} <= set(registered_models())


def test_a_model_without_a_rule_is_refused():
    """A new model cannot be listed through restrict before its app registers a rule."""
    with pytest.raises(KeyError, match="no access rule"):
        restrict(Notification.objects.all(), None)


def test_the_same_call_applies_each_apps_rule(users, orgs):
    """One call shape, each model's own rule: an enterprise sees its own need only; a university
    sees open needs; import batches are refused to enterprises with 403."""
    other = orgs["company"].__class__.objects.create(name="另一家企业", kind="enterprise")
    mine = create_need(actor=users["enterprise"], data={"title": "余热回收", "description": "车间余热制蒸汽"})
    theirs = create_need(
        actor=users["operator"], data={"title": "电池回收", "description": "锂电池"}, org=other
    )
    assert set(restrict(TechNeed.objects.all(), users["enterprise"])) == {mine}
    assert {mine, theirs} <= set(restrict(TechNeed.objects.all(), users["tto"]))
    assert set(restrict(TechNeed.objects.all(), users["operator"])) >= {mine, theirs}
    with pytest.raises(PermissionDenied):
        restrict(ImportBatch.objects.all(), users["enterprise"])
    assert list(restrict(Patent.objects.all(), users["enterprise"], "change")) == []
