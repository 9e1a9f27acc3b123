"""Policy-parameter versions as people read them on distribution pages and statements."""

from __future__ import annotations

from patentbridge.licensing.services.policy_text import version_text, versions_text


def test_a_provincial_version_names_its_label_region_date_and_article():
    text = version_text("INVENTOR_SHARE_MIN_LICENCE@37@2017-12-01")
    assert text.startswith("许可净收入奖励完成人最低比例")
    assert "山东省，2017-12-01 起" in text
    assert "《山东省促进科技成果转化条例》第三十四条" in text
    assert "@" not in text


def test_a_national_platform_default_is_not_dressed_as_a_document():
    text = version_text("NET_INCOME_DEDUCTIONS@CN@2015-10-01")
    assert "（全国，2015-10-01 起；平台默认值" in text
    assert "《平台" not in text


def test_an_unknown_version_keeps_its_id_and_says_so():
    assert version_text("GONE@CN@2001-01-01") == "GONE@CN@2001-01-01（已不在政策参数表中）"


def test_several_versions_are_joined_in_order():
    joined = versions_text(["GONE@CN@2001-01-01", "INVENTOR_SHARE_MIN_LICENCE@37@2017-12-01"])
    first, second = joined.split("；", 1)
    assert first == "GONE@CN@2001-01-01（已不在政策参数表中）"
    assert second.startswith("许可净收入奖励完成人最低比例")
    assert versions_text([]) == ""
