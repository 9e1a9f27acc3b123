"""The fixed tune / holdout split of the real needs (by a hash of the need id)."""

from __future__ import annotations

import hashlib

from bench.eval.real_needs import Need


def half(need: Need) -> str:
    """A fixed split of the needs, independent of their content and order."""
    return "tune" if hashlib.sha1(need.rid.encode()).digest()[0] % 2 == 0 else "holdout"
