"""Every audit action of the licensing deals, navigation and roadshows has a Chinese name, and a
roadshow audit row names its target in words (event, enterprise, patent, amount), not ids."""

from __future__ import annotations

import re
from pathlib import Path

from patentbridge.core.labels import ACTION_LABELS, action_label

SRC = Path(__file__).resolve().parents[2] / "src" / "patentbridge"
_LITERAL = re.compile(r'"(licensing\.(?:offer|application)\.[a-z_]+|navigation\.[a-z_]+\.[a-z_]+)"')


def _recorded_actions() -> set[str]:
    """Audit action codes written as literals by the offer, application and navigation services."""
    found: set[str] = set()
    for path in (SRC / "licensing" / "services").glob("*.py"):
        found |= set(_LITERAL.findall(path.read_text(encoding="utf-8")))
    found |= set(_LITERAL.findall((SRC / "navigation" / "services.py").read_text(encoding="utf-8")))
    return found


def test_the_scan_finds_the_services_actions():
    actions = _recorded_actions()
    assert "navigation.report.published" in actions and "licensing.application.accepted" in actions


def test_each_recorded_action_has_a_chinese_name():
    missing = sorted(a for a in _recorded_actions() if a not in ACTION_LABELS)
    assert missing == []
    assert action_label("navigation.report.published") == "发布导航报告"
    assert action_label("licensing.offer.published") == "许可发布上线"


def test_offer_steps_built_from_events_are_labelled():
    from patentbridge.licensing.services.offers import OFFER_EVENTS

    for verb in OFFER_EVENTS.values():
        assert f"licensing.offer.{verb}" in ACTION_LABELS, verb
