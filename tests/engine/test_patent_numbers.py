"""Application/publication numbers and USCC check characters (domain-rules §11.5, §11.6, §14)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from patentbridge_engine.errors import InvalidNumberError
from patentbridge_engine.ids import (
    app_check_char,
    is_valid_uscc,
    parse_application_number,
    parse_publication_number,
    uscc_check_char,
)


@pytest.mark.parametrize(
    ("digits", "check"),
    [
        ("200710308494", "X"),
        ("201080063196", "9"),
        ("202310123456", "6"),
        ("202320123456", "1"),
        ("202330123456", "7"),
        ("202480001234", "X"),
    ],
)
def test_check_character_matches_domain_vectors(digits, check):
    """The published test vectors fix the weights and the mod-11 rule."""
    assert app_check_char(digits) == check


@pytest.mark.parametrize(
    "raw",
    [
        "CN202310123456.6",
        "ZL202310123456.6",
        "202310123456.6",
        "2023 1012 3456.6",
        "２０２３１０１２３４５６．６",
        "cn202310123456.6",
    ],
)
def test_every_common_spelling_normalises_to_one_key(raw):
    """Exports write numbers with prefixes, spaces and full-width digits; all must merge."""
    number = parse_application_number(raw)
    assert number.canonical == "202310123456.6"
    assert number.patent_number == "ZL202310123456.6"
    assert number.patent_type == "invention"
    assert number.filing_year == 2023


def test_missing_check_character_is_computed_unless_required():
    """A bare 12-digit number gets its check character; strict mode refuses it."""
    assert parse_application_number("202320123456").canonical == "202320123456.1"
    with pytest.raises(InvalidNumberError):
        parse_application_number("202320123456", require_check=True)


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("202310123456.5", "校验位错误"),
        ("2023101234", "格式不正确"),
        ("", "为空"),
        ("202350123456.8", "类型位无效"),
    ],
)
def test_bad_numbers_are_refused_with_a_chinese_reason(raw, reason):
    """Wrong check character, wrong length, empty and unknown type digits are all errors."""
    with pytest.raises(InvalidNumberError, match=reason):
        parse_application_number(raw)


def test_legacy_eight_digit_numbers():
    """Pre-2003 numbers use 8 digits with the first 8 weights (CN85100312 of 1985)."""
    number = parse_application_number("85100312")
    assert number.canonical == "85100312.5"
    assert number.filing_year == 1985
    assert number.patent_type == "invention"


def test_pct_national_phase_type_digits():
    """Type digits 8 and 9 are PCT entries (invention / utility model)."""
    number = parse_application_number("202480001234.X")
    assert number.is_pct and number.patent_type == "invention"


@given(st.text(alphabet="0123456789", min_size=12, max_size=12).filter(lambda s: s[4] in "12389"))
def test_computed_check_character_always_validates(digits):
    """Property: a number carrying its own computed check character parses back to itself."""
    number = parse_application_number(digits + app_check_char(digits), require_check=True)
    assert number.digits == digits


@given(st.text(alphabet="0123456789", min_size=12, max_size=12).filter(lambda s: s[4] in "12389"))
def test_any_single_digit_change_is_detected(digits):
    """Property: changing one digit changes the check character (weights are non-zero mod 11)."""
    check = app_check_char(digits)
    altered = str((int(digits[0]) + 1) % 10) + digits[1:]
    assert app_check_char(altered) != check


@pytest.mark.parametrize(
    ("raw", "canonical", "grant", "ptype"),
    [
        ("CN110513902B", "CN110513902B", True, "invention"),
        ("cn 218751475 u", "CN218751475U", True, "utility_model"),
        ("CN1045390A", "CN1045390A", False, "invention"),
        ("CN118111132A", "CN118111132A", False, "invention"),
    ],
)
def test_publication_numbers_with_kind_codes(raw, canonical, grant, ptype):
    """Kind codes decide whether a publication is a grant."""
    pub = parse_publication_number(raw)
    assert (pub.canonical, pub.is_grant, pub.patent_type) == (canonical, grant, ptype)


def test_publication_number_without_kind_code_is_refused():
    """Without a kind code we cannot tell an A publication from a B grant."""
    with pytest.raises(InvalidNumberError):
        parse_publication_number("CN110513902")


@pytest.mark.parametrize(("first17", "check"), [("91370100MA3C00000", "E"), ("91370000163042000", "C")])
def test_uscc_vectors(first17, check):
    """GB 32100-2015 vectors from domain-rules §14."""
    assert uscc_check_char(first17) == check
    assert is_valid_uscc(first17 + check)
    assert not is_valid_uscc(first17 + ("0" if check != "0" else "1"))
