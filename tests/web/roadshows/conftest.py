"""Fixtures of the roadshow web tests: the county cast of the menu tests and the chain configuration."""

from __future__ import annotations

from typing import Any

import pytest

from web.menus.factories import Cast, make_cast


@pytest.fixture
def cast(db: Any, chains: None) -> Cast:
    return make_cast()
