"""A roadshow audit row names its target in words (event, enterprise, patent, amount), not ids."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine

from patentbridge.core.models import AuditEvent
from web.roadshows.factories import make_show

pytestmark = pytest.mark.django_db


def test_roadshow_rows_are_named_in_words_in_the_audit(cast):
    with time_machine.travel(dt.datetime(2026, 3, 23, 9, 0, tzinfo=dt.UTC), tick=False):
        show = make_show(cast)
    intention = AuditEvent.objects.filter(action="roadshows.intention.recorded").order_by("pk").first()
    assert intention is not None
    assert "对专利" in intention.object_repr and "的意向（¥" in intention.object_repr
    assert not re.fullmatch(r"[\d ·.]+", intention.object_repr)
    item = AuditEvent.objects.filter(action="roadshows.item.added").order_by("pk").first()
    assert item is not None and item.object_repr.startswith(show.event.title + "：专利 ")
