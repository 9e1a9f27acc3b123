"""The topic section's title sample (``navigation.topics``): per main group, the first titled
patents by application number, read main IPC by main IPC with a falling bound. Compared with the
plain definition (every patent of the group sorted by number) on interleaved numbers, untitled
patents, patents outside the scope, numbers that sort differently by code point than by digits,
and a sample limit smaller than a main IPC."""

from __future__ import annotations

import random

import pytest
from django.db import connection

from patentbridge.navigation.topics import INDEX_NAME, first_titles, group_titles
from patentbridge.patents.models import Patent
from web.factories import make_patent

pytestmark = pytest.mark.django_db

IPCS = ["A61K 36/00", "A61K 36/18", "A61K 36/906", "H01M 10/05"]


def _library() -> None:
    rng = random.Random(7)
    numbers = [
        f"20{rng.randrange(10, 26)}1{rng.randrange(10**6, 10**7)}.{rng.randrange(10)}" for _ in range(60)
    ]
    # Old-style numbers and a trailing X: code point order, not digit order.
    numbers += ["88100234.5", "9810123X", "2005100000001.X"]
    for i, number in enumerate(dict.fromkeys(numbers)):
        status = "draft" if i % 11 == 0 else "in_library"
        title = "" if i % 13 == 0 else f"一种中药组合物{i}"
        make_patent(number=number, ipc_main=IPCS[i % len(IPCS)], title=title, status=status)


def _expected(ipcs: list[str], limit: int) -> list[tuple[str, str]]:
    rows = Patent.objects.filter(library_status="in_library", ipc_main__in=ipcs).exclude(title="")
    return sorted((n, t) for n, t in rows.values_list("application_number", "title"))[:limit]


@pytest.mark.parametrize("limit", [1, 3, 7, 40, 500])
def test_first_titles_equal_the_plain_definition(limit: int) -> None:
    _library()
    scoped = Patent.objects.filter(library_status="in_library")
    group = IPCS[:3]
    assert first_titles(scoped, group, limit) == _expected(group, limit)
    assert first_titles(scoped, IPCS, limit) == _expected(IPCS, limit)


def test_group_titles_per_group() -> None:
    _library()
    scoped = Patent.objects.filter(library_status="in_library")
    members = {"A61K36": IPCS[:3], "H01M10": IPCS[3:], "G06F": []}
    got = group_titles(scoped, members, ["A61K36", "H01M10", "G06F"])
    assert got["A61K36"] == _expected(IPCS[:3], 300)
    assert got["H01M10"] == _expected(IPCS[3:], 300)
    assert got["G06F"] == []
    assert len(got["A61K36"]) > 20  # the comparison is over a real sample, not two empty lists


def test_the_index_exists() -> None:
    with connection.cursor() as cursor:
        names = {
            c
            for table in ("patents_patent",)
            for c in connection.introspection.get_constraints(cursor, table)
        }
    assert INDEX_NAME in names


def test_the_narrow_and_the_wide_way_agree() -> None:
    """A narrow scope numbers its own patents (a window), a wide one walks the index: both give
    the plain definition's titles, on a scope that leaves out part of every main IPC."""
    _library()
    scoped = Patent.objects.filter(library_status="in_library").exclude(application_number__endswith="3")
    members = {"A61K36": IPCS[:3], "H01M10": IPCS[3:]}
    narrow = group_titles(scoped, members, ["A61K36", "H01M10"], wide=False)
    wide = group_titles(scoped, members, ["A61K36", "H01M10"], wide=True)
    assert narrow == wide
    expected = sorted(
        (n, t)
        for n, t in scoped.filter(ipc_main__in=IPCS[:3])
        .exclude(title="")
        .values_list("application_number", "title")
    )
    assert narrow["A61K36"] == expected and expected
