"""Fixtures of the navigation web tests."""

from __future__ import annotations

from typing import Any

import pytest

from web.navigation.world import World, build_world


@pytest.fixture
def world(db: Any, chains: None) -> World:
    return build_world()
