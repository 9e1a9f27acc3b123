"""Fixtures of the pool web tests."""

from __future__ import annotations

from typing import Any

import pytest

from web.pools.factories import Cast, make_cast


@pytest.fixture
def cast(db: Any) -> Cast:
    return make_cast()
