"""Web test fixtures: organisations, one user per role, and an import helper.

Runs against the real database chosen by PATENTBRIDGE_DATABASE_URL (PostgreSQL) or the
embedded SQLite file; jobs run inline (PATENTBRIDGE_TASKS=immediate, set by the Makefile).
"""

from __future__ import annotations

import gzip
import os
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("PATENTBRIDGE_TASKS", "immediate")
# Need matching's E5 re-rank costs seconds per new need on two cores; the tests that check it
# switch it on themselves (test_matching_rerank.py).
os.environ.setdefault("PATENTBRIDGE_NEED_RERANK", "off")

DEMO_DATA = Path(__file__).resolve().parents[2] / "src" / "patentbridge" / "demo_data"
PASSWORD = "pw-for-tests-only"


@pytest.fixture(autouse=True)
def _data_dir(settings: Any, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path / "data"
    settings.MEDIA_ROOT = tmp_path / "data" / "media"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    # Password hashing strength is not under test; PBKDF2 would cost seconds per fixture.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The test client's login() calls authenticate() without a request, which the lockout backend
    # refuses; test_accounts_security.py turns lockout on for the tests that exercise it.
    settings.AXES_ENABLED = False


@pytest.fixture(autouse=True)
def _fresh_classifier() -> None:
    from patentbridge.patents.classification import invalidate_classifier

    invalidate_classifier()


@pytest.fixture(autouse=True)
def _fresh_library_cache() -> None:
    """Each test starts without cached counts and allowed sets. Entries are keyed by the library
    version, which every test's rollback returns to the same value; with a facet lag (``grows_ok``)
    an entry of an earlier test in the same process (an xdist worker runs many modules) could be
    served as if only inserts had happened since."""
    from patentbridge.patents import versioned_cache

    versioned_cache.clear()


@pytest.fixture
def orgs(db: Any) -> dict[str, Any]:
    from patentbridge.accounts.models import Organization

    return {
        "centre": Organization.objects.create(name="运营中心", kind="operation_centre"),
        "uni": Organization.objects.create(name="西安交通大学", kind="university"),
        "other_uni": Organization.objects.create(name="山东大学", kind="university"),
        "company": Organization.objects.create(name="青岛某制造有限公司", kind="enterprise"),
        "gov": Organization.objects.create(name="市场监督管理局", kind="government"),
    }


def make_user(username: str, org: Any, role: str, college: str = "") -> Any:
    from django.contrib.auth import get_user_model

    from patentbridge.accounts.models import Membership

    user = get_user_model().objects.create_user(username=username, password=PASSWORD)
    Membership.objects.create(user=user, org=org, role=role, college=college)
    return user


@pytest.fixture
def users(orgs: dict[str, Any]) -> dict[str, Any]:
    return {
        "admin": make_user("admin", orgs["centre"], "admin"),
        "operator": make_user("operator", orgs["centre"], "operator"),
        "tto": make_user("tto", orgs["uni"], "tto"),
        "college": make_user("college", orgs["uni"], "tto", college="能源学院"),
        "inventor": make_user("inventor", orgs["uni"], "inventor"),
        "other_tto": make_user("other_tto", orgs["other_uni"], "tto"),
        "enterprise": make_user("enterprise", orgs["company"], "enterprise"),
        "viewer": make_user("viewer", orgs["gov"], "viewer"),
    }


@pytest.fixture
def chains(db: Any) -> None:
    from patentbridge.patents.models import IndustryChain
    from patentbridge_engine.classify import load_chain_config

    for position, chain in enumerate(load_chain_config()["chains"]):
        IndustryChain.objects.create(
            code=chain["code"],
            name=chain["name"],
            ipc_patterns=chain["ipc"],
            keywords=chain["keywords"],
            position=position,
        )


def demo_file(tmp_path: Path, name: str) -> Path:
    """A bundled demo file, decompressed into tmp_path."""
    source = DEMO_DATA / name
    if name.endswith(".gz"):
        target = tmp_path / name.removesuffix(".gz")
        target.write_bytes(gzip.decompress(source.read_bytes()))
        return target
    return source


def run_import(actor: Any, path: Path, **kwargs: Any) -> Any:
    """Create and run a batch synchronously; returns the finished batch."""
    from patentbridge.ingest.services import create_batch, run_batch

    batch = create_batch(actor=actor, source=path, original_name=path.name, **kwargs)
    return run_batch(batch.pk)
