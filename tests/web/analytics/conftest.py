"""Fixtures of the statistics tests: the hand-built world of ``world.py``."""

from __future__ import annotations

from typing import Any

import pytest

from web.analytics.world import World, build_world


@pytest.fixture
def world(db: Any) -> World:
    return build_world()
