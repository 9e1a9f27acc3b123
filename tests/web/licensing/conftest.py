"""Fixtures of the licensing web tests: the cast of a licence and a granted patent of the university."""

from __future__ import annotations

from typing import Any

import pytest

from web.licensing.factories import Parties, make_granted_patent, make_parties


@pytest.fixture
def parties(db: Any) -> Parties:
    """A state-run university with its TTO, a second university, two enterprises, the centre."""
    return make_parties()


@pytest.fixture
def patent(parties: Parties) -> Any:
    """A granted invention of the university (valid until 2042-03-01)."""
    return make_granted_patent(parties.university)
