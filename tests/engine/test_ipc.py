"""IPC parsing and concordance patterns (domain-rules §8.2)."""

import pytest

from patentbridge_engine.classify import parse_ipc, parse_ipc_list, parse_pattern
from patentbridge_engine.errors import InvalidIpcError


@pytest.mark.parametrize(
    "raw",
    ["H01M10/0525", "H01M 10/0525", "H01M  10/0525 (2010.01)", "H01M0010052500", "ｈ０１Ｍ１０／０５２５"],
)
def test_all_input_forms_parse_to_one_code(raw):
    """Compact, spaced, versioned, 14-character PATSTAT and full-width forms are one symbol."""
    code = parse_ipc(raw)
    assert code.code == "H01M10/0525"
    assert (code.section, code.class_code, code.subclass, code.main_group_code) == (
        "H",
        "H01",
        "H01M",
        "H01M10/00",
    )
    assert code.level == "subgroup"
    assert code.ancestors() == ["H", "H01", "H01M", "H01M10/00"]


@pytest.mark.parametrize(
    ("raw", "code", "level"),
    [
        ("H01M", "H01M", "subclass"),
        ("H01", "H01", "class"),
        ("H", "H", "section"),
        ("F25B 30/00", "F25B30/00", "main_group"),
    ],
)
def test_coarser_levels(raw, code, level):
    """Symbols may stop at section, class, subclass or main group."""
    parsed = parse_ipc(raw)
    assert (parsed.code, parsed.level) == (code, level)


@pytest.mark.parametrize("raw", ["", "Z01B", "H01M/10", "12345", "H0M1"])
def test_malformed_symbols_raise(raw):
    """Garbage is refused rather than guessed."""
    with pytest.raises(InvalidIpcError):
        parse_ipc(raw)


def test_list_splitting_deduplicates_and_reports_bad_parts():
    """A ``;``-joined field yields unique codes in order plus the parts it could not read."""
    codes, bad = parse_ipc_list("B64U20/80;B64U101/30；B64U20/80;???")
    assert [c.code for c in codes] == ["B64U20/80", "B64U101/30"]
    assert bad == ["???"]


@pytest.mark.parametrize(
    ("pattern", "code", "expected"),
    [
        ("H01M2*", "H01M2/10", True),
        ("H01M2*", "H01M20/10", False),  # field by field, not string prefix
        ("G06F3/048*", "G06F3/0484", True),
        ("G06F3/048*", "G06F3/049", False),
        ("B03*", "B03C3/09", True),
        ("H02S*", "H02S40/44", True),
        ("H04M3/42", "H04M3/42", True),
        ("H04M3/42", "H04M3/428", False),  # no star: that subgroup exactly
        ("H01M10/00", "H01M10/0525", True),  # a main group entry covers the whole group
        ("F21H%", "F21H1/00", True),
        ("E21B43/295*", "E21B43/2955", True),
    ],
)
def test_pattern_semantics(pattern, code, expected):
    """Concordance entries match field by field with ``*`` meaning "and below"."""
    assert parse_pattern(pattern).matches(parse_ipc(code)) is expected
