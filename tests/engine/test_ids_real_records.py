"""Identifiers on real records: application numbers, publication numbers, USCC codes and applicant names.

The fixture rows are real public CNIPA records (see fixtures/SOURCE.md); every expectation below either
comes from the record itself (its filing date, its Locarno/IPC class) or from the published check-character
rules (ZC 0006-2003 for application numbers, GB 32100-2015 for USCC).
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from patentbridge_engine.errors import InvalidNumberError, PatentBridgeEngineError
from patentbridge_engine.ids import (
    ApplicationNumber,
    OrgKind,
    app_check_char,
    applicant_kind,
    is_valid_uscc,
    normalize_org_name,
    parse_application_number,
    parse_publication_number,
    region_of,
    uscc_check_char,
)
from patentbridge_engine.ids.orgs import PROVINCES

FIXTURES = Path(__file__).parent / "fixtures"
_LOCARNO = re.compile(r"^\d{2}-\d{2}")


def _rows(name: str) -> list[dict[str, str]]:
    with (FIXTURES / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


TAIAN = _rows("taian_sample_200.csv")
CNKI = _rows("cnki_sysu_sample_140.csv")


# --- application numbers on 200 real records -------------------------------------------------------


def test_fixture_covers_every_number_spelling() -> None:
    """The sample must keep old check-less, old checked and 12-digit numbers, or the tests below lose reach."""
    lengths = {len(r["app_no"]) for r in TAIAN}
    assert lengths == {10, 12, 16}
    assert len(TAIAN) == 200


@pytest.mark.parametrize("row", TAIAN, ids=lambda r: r["app_no"])
def test_every_real_application_number_validates(row: dict[str, str]) -> None:
    """Every real number (with its CNIPA-assigned check character) passes the ZC 0006-2003 check, and the
    number's year agrees with the recorded filing date."""
    number = parse_application_number(row["app_no"])
    assert number.filing_year == int(row["app_date"][:4])
    assert number.canonical.startswith(number.digits)
    if "." in row["app_no"]:
        assert row["app_no"].endswith("." + number.check)


def test_real_numbers_carry_the_type_their_class_implies() -> None:
    """Design numbers (type digit 3) are exactly the rows classified with a Locarno class; the others
    carry IPC symbols. The type digit is read from position 5 (12 digits) or 3 (8 digits)."""
    for row in TAIAN:
        number = parse_application_number(row["app_no"])
        is_design = number.patent_type == "design"
        assert is_design == bool(_LOCARNO.match(row["main_ipc"])), row


def test_check_characters_of_real_numbers_are_not_accidental() -> None:
    """Every other check character is refused for every real checked number (the check is a real check)."""
    checked = [r["app_no"] for r in TAIAN if "." in r["app_no"]]
    assert len(checked) >= 150
    for raw in checked:
        body, given_check = raw.rsplit(".", 1)
        for wrong in "0123456789X":
            if wrong == given_check:
                continue
            with pytest.raises(InvalidNumberError, match="校验位错误"):
                parse_application_number(f"{body}.{wrong}")


def test_pre_1989_numbers_without_check_get_one_and_keep_their_year() -> None:
    """CN85102475-style numbers (8 digits, no check) are completed and dated to the 1980s."""
    old = [r for r in TAIAN if len(r["app_no"]) == 10]
    assert len(old) == 9
    for row in old:
        number = parse_application_number(row["app_no"])
        assert len(number.digits) == 8
        assert 1985 <= number.filing_year <= 1989
        assert number.check == app_check_char(number.digits)
        assert not number.is_pct
        with pytest.raises(InvalidNumberError, match="缺少校验位"):
            parse_application_number(row["app_no"], require_check=True)


@pytest.mark.parametrize(
    "spelling",
    [
        "{n}",
        "CN{n}",
        "ZL{n}",
        "zl{n}",
        " CN {n} ",
        "CN{spaced}",
        "{dashed}",
    ],
)
def test_real_numbers_in_every_export_spelling_share_one_key(spelling: str) -> None:
    """Prefixes, case, spaces and separators never change the storage key of a real number."""
    for row in TAIAN[::17]:
        canonical = parse_application_number(row["app_no"]).canonical
        digits, check = canonical.split(".")
        raw = spelling.format(
            n=canonical,
            spaced=" ".join([digits[:4], digits[4:8], digits[8:]]).strip() + "." + check,
            dashed=digits + "-" + check,
        )
        assert parse_application_number(raw).canonical == canonical


def test_full_width_spelling_of_real_numbers() -> None:
    """Excel exports in full-width digits (and 。/． dots) normalise to the same key."""
    for row in TAIAN[::23]:
        canonical = parse_application_number(row["app_no"]).canonical
        wide = "".join(chr(ord(c) + 0xFEE0) if c.isdigit() or c in "X." else c for c in canonical)
        assert parse_application_number("ＣＮ" + wide).canonical == canonical


def test_patent_number_round_trips_through_the_parser() -> None:
    """专利号 (ZL + number) is itself a valid spelling of the same application."""
    for row in TAIAN[::11]:
        number = parse_application_number(row["app_no"])
        assert parse_application_number(number.patent_number) == number


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("CN20122004984944", "格式不正确"),  # 14 digits
        ("CN2012200498X4", "格式不正确"),  # X as a body digit
        ("CN2012200498.4", "格式不正确"),  # 10 digits and a check
        ("CN201220049849.44", "格式不正确"),
        ("US201220049849.4", "格式不正确"),
        ("CN201240049849.5", "类型位无效"),  # type digit 4 does not exist
        ("CN201270049849.1", "类型位无效"),
        ("   ", "为空"),
        ("CN", "格式不正确"),
    ],
)
def test_malformed_numbers_are_refused_with_the_specific_reason(raw: str, reason: str) -> None:
    """Each kind of malformation has its own Chinese reason (users fix the cell they are told about)."""
    with pytest.raises(InvalidNumberError, match=reason):
        parse_application_number(raw)


def test_type_digit_of_the_type_check_is_validated_before_use() -> None:
    """A number with a valid check but an impossible type digit is refused, even when computed."""
    digits = "201240049849"
    with pytest.raises(InvalidNumberError, match="类型位无效"):
        parse_application_number(digits + "." + app_check_char(digits))


def test_pct_national_phase_numbers() -> None:
    """Type digits 8 and 9 mark PCT entries: invention and utility model respectively."""
    for digits, ptype in (("201180012345", "invention"), ("201190012345", "utility_model")):
        number = parse_application_number(digits)
        assert number.is_pct and number.patent_type == ptype and number.type_digit == digits[4]
    assert not parse_application_number("201110012345").is_pct


@pytest.mark.parametrize(
    ("digits", "year"),
    [("85100312", 1985), ("99100001", 1999), ("00100001", 2000), ("03100001", 2003), ("84100001", 2084)],
)
def test_legacy_two_digit_years_pivot_at_1985(digits: str, year: int) -> None:
    """The Chinese patent system started in 1985: two-digit years 85–99 are 19xx, the rest 20xx."""
    assert parse_application_number(digits).filing_year == year


def test_application_number_is_hashable_and_compares_by_value() -> None:
    """Parsed numbers key dictionaries: equal spellings give equal, hash-equal values."""
    a = parse_application_number("CN201220049849.4")
    b = parse_application_number("201220049849")
    assert a == b and hash(a) == hash(b) and {a: 1}[b] == 1
    assert isinstance(a, ApplicationNumber)


@pytest.mark.parametrize("bad", ["", "1234567", "1234567890123", "12345678901a", "abcdefgh"])
def test_app_check_char_refuses_wrong_bodies(bad: str) -> None:
    """The check-character function accepts only 8 or 12 ASCII digits."""
    with pytest.raises(InvalidNumberError):
        app_check_char(bad)


_TWELVE = st.text(alphabet="0123456789", min_size=12, max_size=12).filter(lambda s: s[4] in "12389")


@given(_TWELVE, st.integers(0, 11), st.integers(1, 9))
def test_every_single_digit_substitution_is_detected(digits: str, position: int, delta: int) -> None:
    """Property: weights 2–9 are non-zero mod 11, so changing any one digit by any amount changes the
    check character (the guarantee the mod-11 scheme is chosen for)."""
    changed = digits[:position] + str((int(digits[position]) + delta) % 10) + digits[position + 1 :]
    assert app_check_char(changed) != app_check_char(digits)


@given(_TWELVE)
def test_canonical_form_is_a_fixed_point(digits: str) -> None:
    """Property: parsing the canonical key again yields the same number (keys are stable)."""
    number = parse_application_number(digits)
    again = parse_application_number(number.canonical, require_check=True)
    assert again == number and again.canonical == number.canonical


@given(st.text(max_size=30))
def test_application_parser_raises_only_its_documented_error(raw: str) -> None:
    """Property: any text either parses or raises InvalidNumberError (never IndexError, TypeError…)."""
    try:
        number = parse_application_number(raw)
    except InvalidNumberError as exc:
        assert str(exc)
    else:
        assert len(number.digits) in (8, 12) and number.check in "0123456789X"


# --- publication numbers on real CNKI rows ----------------------------------------------------------


def test_real_publication_numbers_parse_or_are_kindless() -> None:
    """Every real CNKI publication number either parses with a kind code or is an old number the source
    printed without one (which the parser refuses rather than guesses)."""
    parsed = kindless = 0
    for row in CNKI:
        raw = row["pub_no"]
        try:
            pub = parse_publication_number(raw)
        except InvalidNumberError as exc:
            assert re.fullmatch(r"CN\d{7,9}", raw), raw
            assert "公开（公告）号" in str(exc)
            kindless += 1
            continue
        assert pub.canonical == raw
        assert pub.country == "CN"
        parsed += 1
    assert parsed >= 100 and kindless >= 20


def test_real_publication_kinds_match_their_types() -> None:
    """Kind codes agree with the serial's type digit on real data: U is a utility model, S a design, A/B/C
    inventions; B, C, U and S are grants, A is not."""
    for row in CNKI:
        try:
            pub = parse_publication_number(row["pub_no"])
        except InvalidNumberError:
            continue
        expected = {"A": "invention", "B": "invention", "C": "invention", "U": "utility_model", "S": "design"}
        if len(pub.serial) == 9:  # since 2010 the serial's first digit is the type
            assert pub.patent_type == expected[pub.kind[0]], pub
        assert pub.is_grant == (pub.kind[0] != "A")


@pytest.mark.parametrize(
    ("raw", "country", "serial", "kind"),
    [
        ("CN 1045390 A", "CN", "1045390", "A"),
        ("ＣＮ１１０５１３９０２Ｂ", "CN", "110513902", "B"),
        ("cn110513902b", "CN", "110513902", "B"),
        ("CN-110513902-B", "CN", "110513902", "B"),
        ("CN110513902.B", "CN", "110513902", "B"),
        ("US10000000B2", "US", "10000000", "B2"),
        ("EP3000000A1", "EP", "3000000", "A1"),
        ("110513902B", "CN", "110513902", "B"),
    ],
)
def test_publication_number_spellings(raw: str, country: str, serial: str, kind: str) -> None:
    """Separators, width, case and a missing country code (defaults to CN) are normalised."""
    pub = parse_publication_number(raw)
    assert (pub.country, pub.serial, pub.kind) == (country, serial, kind)
    assert pub.canonical == f"{country}{serial}{kind}"


@pytest.mark.parametrize(
    ("kind", "grant"),
    [
        ("A", False),
        ("A1", False),
        ("B", True),
        ("B1", True),
        ("C", True),
        ("U", True),
        ("Y", True),
        ("S", True),
    ],
)
def test_grant_kind_codes(kind: str, grant: bool) -> None:
    """B/C (invention), U/Y (utility model) and S/D (design) are granted rights; A documents are not."""
    assert parse_publication_number(f"CN110513902{kind}").is_grant is grant


@pytest.mark.parametrize(
    "raw", ["", "CN", "CN12345A", "CN12345678901A", "CNABCDEFGB", "CN110513902", "TWI561939B"]
)
def test_publication_numbers_that_cannot_be_read(raw: str) -> None:
    """Too short, too long, kind-less and letters in the serial are refused with InvalidNumberError."""
    with pytest.raises(InvalidNumberError):
        parse_publication_number(raw)


@given(st.text(max_size=20))
def test_publication_parser_raises_only_its_documented_error(raw: str) -> None:
    """Property: any text parses or raises InvalidNumberError; a parsed canonical parses to itself."""
    try:
        pub = parse_publication_number(raw)
    except InvalidNumberError:
        return
    assert parse_publication_number(pub.canonical) == pub


def test_number_errors_belong_to_the_engine_hierarchy() -> None:
    """Callers catch PatentBridgeEngineError or ValueError; both must see a bad number."""
    with pytest.raises(PatentBridgeEngineError):
        parse_application_number("x")
    with pytest.raises(ValueError):
        parse_publication_number("x")


# --- USCC (GB 32100-2015) ---------------------------------------------------------------------------

# USCCs printed on the public filings (annual reports, licences) of well-known applicants.
REAL_USCC = [
    "914403001922038216",  # 华为技术有限公司
    "9144030071526726XG",  # 深圳市腾讯计算机系统有限公司
    "91330100799655058B",  # 阿里巴巴（中国）有限公司
    "91110108551385082Q",  # 小米科技有限责任公司
    "91110000710926094P",  # 中国石油化工股份有限公司
    "91440300708461136T",  # 中兴通讯股份有限公司
    "91310000132200821H",  # 上海汽车集团股份有限公司
    "91370200264574251E",  # 海尔智家股份有限公司
]
_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


@pytest.mark.parametrize("code", REAL_USCC)
def test_real_uscc_codes_validate(code: str) -> None:
    """Published codes pass; their check character is the computed one; lower case and spaces are folded."""
    assert is_valid_uscc(code)
    assert uscc_check_char(code[:17]) == code[17]
    assert is_valid_uscc(f"  {code.lower()}  ")


@pytest.mark.parametrize("code", REAL_USCC)
def test_every_wrong_check_character_is_refused(code: str) -> None:
    """All 30 other characters of the alphabet fail as the 18th character."""
    for ch in _USCC_ALPHABET:
        if ch != code[17]:
            assert not is_valid_uscc(code[:17] + ch)


@pytest.mark.parametrize(
    "code",
    [
        "",
        "91440300192203821",  # 17 characters
        "9144030019220382160",  # 19 characters
        "91440300192203821I",  # I is not in the alphabet
        "914403001922038O16",  # O is not in the alphabet
        "S14403001922038216",  # S neither
        "91440300-192203821",
    ],
)
def test_malformed_uscc_is_invalid_not_an_error(code: str) -> None:
    """is_valid_uscc answers False for anything malformed; it never raises."""
    assert is_valid_uscc(code) is False


@pytest.mark.parametrize("bad", ["", "9144030019220382", "914403001922038I1", "V1440300192203821"])
def test_uscc_check_char_refuses_bad_bodies(bad: str) -> None:
    """The check function itself raises ValueError for a body that is not 17 alphabet characters."""
    with pytest.raises(ValueError, match="统一社会信用代码"):
        uscc_check_char(bad)


_BODY = st.text(alphabet=_USCC_ALPHABET, min_size=17, max_size=17)


@given(_BODY, st.integers(0, 16), st.integers(1, 30))
def test_uscc_detects_every_single_substitution(body: str, position: int, shift: int) -> None:
    """Property: 31 is prime and every weight is non-zero mod 31, so any one changed character of the
    body changes the check character."""
    replaced = _USCC_ALPHABET[(_USCC_ALPHABET.index(body[position]) + shift) % 31]
    changed = body[:position] + replaced + body[position + 1 :]
    assert uscc_check_char(changed) != uscc_check_char(body)


@given(_BODY)
def test_uscc_completed_body_always_validates(body: str) -> None:
    """Property: a body plus its computed check character is a valid code, in either case."""
    code = body + uscc_check_char(body)
    assert is_valid_uscc(code) and is_valid_uscc(code.lower())


# --- applicant names on real records ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        # Hand-labelled real applicants of the fixtures.
        ("山东农业大学", OrgKind.UNIVERSITY),
        ("山东科技大学资源与环境工程学院", OrgKind.UNIVERSITY),
        ("山东省矿业学院", OrgKind.UNIVERSITY),
        ("泰山医学院", OrgKind.UNIVERSITY),
        ("泰山学院", OrgKind.UNIVERSITY),
        ("中山大学附属第一医院", OrgKind.UNIVERSITY),
        ("山东省果树研究所", OrgKind.INSTITUTE),
        ("泰安市大麻纺织科学研究所", OrgKind.INSTITUTE),
        ("中山大学中山眼科中心", OrgKind.UNIVERSITY),
        ("泰安市轴承厂", OrgKind.ENTERPRISE),
        ("山东省泰安市谷里灯泡厂", OrgKind.ENTERPRISE),
        ("新汶矿业集团有限责任公司华丰煤矿", OrgKind.ENTERPRISE),
        ("山东巨菱股份有限公司", OrgKind.ENTERPRISE),
        ("胜利油田会战指挥部测井公司", OrgKind.ENTERPRISE),
        ("尤洛卡(山东)深部地压防治安全技术有限公司", OrgKind.ENTERPRISE),
        ("泰安市山农大药业有限公司", OrgKind.ENTERPRISE),
        ("李玉泉", OrgKind.INDIVIDUAL),
        ("徐凯军", OrgKind.INDIVIDUAL),
        ("欧阳建国", OrgKind.INDIVIDUAL),
        ("阿不都·热合曼", OrgKind.UNKNOWN),  # longer than a Han name of ≤4 characters
        ("John Smith", OrgKind.UNKNOWN),
    ],
)
def test_real_applicant_kinds(name: str, kind: str) -> None:
    """Company words beat 大学 (a university-owned firm is a firm); 大学 beats 医院/中心; 研究所 is an
    institute; 2–4 Han characters are a person."""
    assert applicant_kind(name) == kind


def test_every_fixture_applicant_gets_a_kind_and_people_are_short_han_names() -> None:
    """On 200 real rows: individuals are exactly the 2–4 character Han names; nobody with 公司 or 大学 in
    the name is classed as a person."""
    for row in TAIAN:
        name = row["applicant"]
        kind = applicant_kind(name)
        assert kind in {
            OrgKind.UNIVERSITY,
            OrgKind.INSTITUTE,
            OrgKind.ENTERPRISE,
            OrgKind.INDIVIDUAL,
            OrgKind.UNKNOWN,
        }
        if kind == OrgKind.INDIVIDUAL:
            assert re.fullmatch(r"[\u4e00-\u9fff·]{2,4}", name), name
        if "公司" in name:
            assert kind == OrgKind.ENTERPRISE
        elif "大学" in name:
            assert kind == OrgKind.UNIVERSITY


@pytest.mark.parametrize(
    ("variant", "base"),
    [
        ("尤洛卡（山东）深部地压防治安全技术有限公司", "尤洛卡(山东)深部地压防治安全技术有限公司"),
        ("中山大学附属第八医院（深圳福田）", "中山大学附属第八医院(深圳福田)"),
        (" 山东 农业 大学 ", "山东农业大学"),
        ("山东农业大学\u3000", "山东农业大学"),
        ("ＡＢＣ科技有限公司", "ABC科技有限公司"),
        ("中国科学院\t理化技术研究所", "中国科学院理化技术研究所"),
    ],
)
def test_org_name_variants_compare_equal(variant: str, base: str) -> None:
    """Bracket width, spaces (incl. the ideographic space) and full-width letters do not split a party."""
    assert normalize_org_name(variant) == normalize_org_name(base)


def test_normalised_names_use_full_width_brackets_and_no_spaces() -> None:
    """The stored form is fixed: full-width brackets, no whitespace, half-width letters."""
    assert normalize_org_name("尤洛卡 (山东) 有限公司") == "尤洛卡（山东）有限公司"
    assert normalize_org_name("") == "" and normalize_org_name(None) == ""  # type: ignore[arg-type]


@given(st.text(max_size=40))
def test_org_name_normalisation_is_idempotent(name: str) -> None:
    """Property: normalising twice equals normalising once (stored names are stable keys)."""
    once = normalize_org_name(name)
    assert normalize_org_name(once) == once
    assert not re.search(r"\s", once) and "(" not in once and ")" not in once


@given(st.text(alphabet=st.sampled_from("山东大学研究所有限公司厂张三（）() \u3000ＡA"), max_size=16))
def test_applicant_kind_ignores_spelling_variants(name: str) -> None:
    """Property: the kind depends on the normalised name only, so a variant spelling never changes it."""
    assert applicant_kind(name) == applicant_kind(normalize_org_name(name))
    assert applicant_kind(name) == applicant_kind(" " + name.replace("(", "（") + " ")


# --- regions ---------------------------------------------------------------------------------------


def test_taian_applicants_named_after_their_city_resolve_to_shandong() -> None:
    """Real 泰安市… and 山东… applicants resolve to Shandong from their names; 泰安 names carry the city."""
    checked = 0
    for row in TAIAN:
        name = row["applicant"]
        region = region_of("", "", (name,))
        if normalize_org_name(name).startswith(("泰安", "山东")):
            assert region is not None and region.province == "山东" and region.source == "申请人名称"
            if name.startswith("泰安"):
                assert region.city == "泰安"
            checked += 1
    assert checked >= 30


@pytest.mark.parametrize(
    "name",
    [
        "泰州市凯华柴油发电机组有限公司",
        "扬州万福压力容器有限公司",
        "新泰市风龙王设备有限公司",
        "尤洛卡(山东)深部地压防治安全技术有限公司",
    ],
)
def test_names_that_do_not_start_with_a_place_give_no_region(name: str) -> None:
    """泰州 is not 泰安 (no prefix confusion) and a province in brackets mid-name is not a location claim:
    no region is better than a wrong one."""
    region = region_of("", "", (name,))
    assert region is None or region.province != "山东"


@pytest.mark.parametrize("province", PROVINCES)
def test_every_province_is_recognised_in_code_address_and_name(province: str) -> None:
    """Each of the 34 provincial units is found in a 国省代码 cell, at the start of an address, and at the
    start of an applicant name (also after 中国)."""
    assert region_of(f"{province}(99)").province == province  # type: ignore[union-attr]
    assert region_of("", f"{province}某地某路1号").province == province  # type: ignore[union-attr]
    named = region_of("", "", (f"{province}某某有限公司",))
    assert named is not None and named.province == province and named.source == "申请人名称"
    assert region_of("", "", (f"中国{province}某某有限公司",)).province == province  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("code", "address", "province", "city", "source"),
    [
        ("山东(37)", "271000山东省泰安市泰山区", "山东", "泰安", "国省代码"),
        ("山东（37）", "", "山东", "", "国省代码"),
        (" 河南 (41)", "450000河南省郑州市郑东新区", "河南", "郑州", "国省代码"),
        ("", "271018 山东省泰安市岱宗大街61号", "山东", "泰安", "地址"),
        ("", "泰安市高新区凤天路", "山东", "泰安", "地址"),
        ("", "中国山东省济南市历城区", "山东", "济南", "地址"),
        ("", "深圳市南山区科技园", "广东", "深圳", "地址"),
        ("", "内蒙古呼和浩特市", "内蒙古", "", "地址"),
        ("火星(99)", "山东省济南市", "山东", "济南", "地址"),
    ],
)
def test_region_from_code_and_address(code: str, address: str, province: str, city: str, source: str) -> None:
    """国省代码 decides the province when it names one; the city comes from the address's start (postcode
    stripped); an unknown code falls through to the address."""
    region = region_of(code, address)
    assert region is not None
    assert (region.province, region.city, region.source) == (province, city, source)


def test_region_is_none_when_nothing_points_anywhere() -> None:
    """Empty inputs, an address that names no known place and a person's name give no region."""
    assert region_of() is None
    assert region_of("", "某某路88号", ("张三",)) is None
    assert region_of("未知", "", ()) is None


def test_name_is_used_only_when_code_and_address_are_silent() -> None:
    """An address beats the name; the first name that points somewhere wins."""
    region = region_of("", "广州市天河区", ("山东农业大学",))
    assert region is not None and region.province == "广东"
    first = region_of("", "", ("张三", "青岛海尔股份有限公司", "广州某公司"))
    assert first is not None and (first.province, first.city) == ("山东", "青岛")


def test_city_only_counts_near_the_start_of_the_address() -> None:
    """A city named deep inside a long address (the agency's street, a building name) is not read."""
    region = region_of("", "山东省某某县某某镇某某村某某大街一百号济南商贸大厦")
    assert region is not None and (region.province, region.city) == ("山东", "")


def test_city_is_the_first_place_the_address_names() -> None:
    """青岛市市北区济南路 is in Qingdao: the street named after Jinan must not win."""
    region = region_of("山东(37)", "山东省青岛市市北区济南路")
    assert region is not None and region.city == "青岛"


def test_city_never_contradicts_the_province() -> None:
    """The city reported must belong to the province reported."""
    region = region_of("山东(37)", "广东省广州市天河区某某专利代理事务所")
    assert region is not None and region.province == "山东"
    assert region.city in ("", "济南", "青岛", "淄博", "枣庄", "东营", "烟台", "潍坊", "济宁", "泰安")
    # Nanjing's 广州路 is a street: an address that names its province first keeps the pair consistent too.
    street = region_of("", "江苏省广州路22号")
    assert street is not None and (street.province, street.city, street.source) == ("江苏", "", "地址")
    same = region_of("广东(44)", "广东省深圳市南山区广州街")
    assert same is not None and (same.province, same.city) == ("广东", "深圳")
