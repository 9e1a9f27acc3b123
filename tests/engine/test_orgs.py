"""Applicant kinds and regions from names, addresses and 国省代码."""

import pytest

from patentbridge_engine.ids import applicant_kind, normalize_org_name, region_of


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("山东大学", "university"),
        ("中国科学院理化技术研究所", "institute"),
        ("齐鲁工业大学（山东省科学院）", "university"),
        ("青岛海尔研究院有限公司", "enterprise"),
        ("珠海格力电器股份有限公司", "enterprise"),
        ("山东第一医科大学附属省立医院", "university"),
        ("张三", "individual"),
        ("", "unknown"),
    ],
)
def test_applicant_kind(name, kind):
    """Corporate research entities are enterprises; 科学院 institutes are not universities."""
    assert applicant_kind(name) == kind


def test_region_sources_in_priority_order():
    """国省代码 first, then address, then the applicant name."""
    assert region_of("河南(41)", "450000河南省郑州市郑东新区").province == "河南"
    assert region_of("", "山东省济南市历城区").city == "济南"
    assert region_of("", "", ("青岛科技大学",)).province == "山东"
    assert region_of("", "", ("某某公司",)) is None


def test_name_normalisation_folds_brackets_and_spaces():
    """The same organisation written with ASCII or full-width brackets is one party."""
    assert normalize_org_name("齐鲁工业大学 (山东省科学院)") == normalize_org_name(
        "齐鲁工业大学（山东省科学院）"
    )
