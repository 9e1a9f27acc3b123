"""Concordance rules, industry chains and the classifier facade on real table rows."""

import pytest

from patentbridge_engine.classify import (
    Classifier,
    Rule,
    assign,
    load_chain_config,
    match_chains,
    parse_chain_config,
    parse_ipc_list,
    parse_pattern,
)
from patentbridge_engine.classify.catalog import (
    descriptive_terms,
    load_green_rules,
    load_key_digital_rules,
    load_sei_rules,
    load_wipo35_rules,
    load_xinsanyang_rules,
)


@pytest.fixture(scope="module")
def classifier():
    return Classifier.default(parse_chain_config(load_chain_config()))


def _codes(text):
    return parse_ipc_list(text)[0]


def test_shipped_tables_load_with_expected_sizes():
    """Row counts follow the SOURCE notes: a loader that silently drops rows would show here."""
    assert len(load_sei_rules()) == 303
    assert len(load_green_rules()) == 155
    assert len(load_key_digital_rules()) == 527
    assert len(load_xinsanyang_rules()) == 78
    assert len(load_wipo35_rules()) == 35
    assert {r.code for r in load_sei_rules()} >= {"1.1", "5.1", "9.2"}


def test_exclusion_blocks_an_otherwise_matching_rule():
    """An IPC under an excluded entry does not get the category."""
    rule = Rule(
        scheme="t", code="1", name="n", include=(parse_pattern("G06F*"),), exclude=(parse_pattern("G06F3*"),)
    )
    assert assign([rule], _codes("G06F3/01"), "") == []
    assert [a.code for a in assign([rule], _codes("G06F16/33"), "")] == ["1"]


def test_keyword_condition_is_required_and_reported():
    """A keyword-constrained row needs the keyword in the text; the reason names it."""
    rule = Rule(
        scheme="t",
        code="1",
        name="n",
        include=(parse_pattern("H01M*"),),
        keywords=("锂离子",),
        keyword_exclude=("铅酸",),
    )
    assert assign([rule], _codes("H01M10/0525"), "一种电池") == []
    hit = assign([rule], _codes("H01M10/0525"), "一种锂离子电池")
    assert hit and "锂离子" in hit[0].reason and "H01M10/0525" in hit[0].reason
    assert assign([rule], _codes("H01M10/0525"), "锂离子与铅酸混合电池") == []


def test_xinsanyang_battery_and_digital_ai(classifier):
    """Real rows: a lithium battery hits 新三样·锂电池; a GPU chip hits 关键数字技术."""
    battery = classifier.classify(_codes("H01M10/0525;H01M4/131"), "一种锂离子电池正极材料")
    schemes = {(a.scheme, a.name.split("·")[0]) for a in battery}
    assert ("xinsanyang", "锂电池") in schemes
    gpu = classifier.classify(_codes("G06T1/20"), "一种GPU图形处理器的调度方法")
    assert any(a.scheme == "digital" and "GPU" in a.name for a in gpu)


def test_wipo35_and_green_for_a_heat_pump(classifier):
    """F25B heat pumps: WIPO field 30 (thermal processes) and a green category."""
    result = classifier.classify(_codes("F25B30/02"), "一种高温热泵")
    assert any(a.scheme == "wipo35" and a.code == "30" for a in result)
    assert any(a.scheme == "green" for a in result)
    assert any(a.scheme == "chain" and a.code == "GLC" for a in result)


def test_sei_branch_for_an_ipc_only_row(classifier):
    """A row without keywords assigns the SEI branch by IPC alone (every such row is checked)."""
    checked = 0
    for rule in load_sei_rules():
        if rule.keywords or rule.exclude:
            continue
        entry = next((p for p in rule.include if p.main_group), None)
        if entry is None:
            continue
        code = f"{entry.prefix}{entry.main_group}/{entry.subgroup or '00'}"
        result = classifier.classify(_codes(code), "")
        assert any(a.scheme == "sei" and a.code == rule.code for a in result), (rule.code, code)
        checked += 1
    assert checked > 0


def test_descriptive_keywords_become_literal_terms():
    """Table descriptions are cut into terms that occur in patent text."""
    assert descriptive_terms("极地破冰船、落管抛石船等海洋工程装备制造") == (
        "极地破冰船",
        "落管抛石船",
        "海洋工程装备",
    )
    assert "节能空调" in descriptive_terms("节能空调；双工况太阳能热泵空调机组")


def test_chain_keyword_only_match_is_marked_as_keyword():
    """A chain matched by text alone says so, so operators can judge it."""
    chains = parse_chain_config(
        {"chains": [{"code": "X", "name": "测试链", "ipc": ["H01M*"], "keywords": ["储能"]}]}
    )
    [hit] = match_chains(chains, _codes("F24S10/00"), "一种储能装置")
    assert hit.method == "keyword" and "储能" in hit.reason
    [both] = match_chains(chains, _codes("H01M10/0525"), "一种储能装置")
    assert both.method == "rule" and "H01M10/0525" in both.reason


def test_chain_config_rejects_duplicates_and_bad_patterns():
    """The operator's configuration is validated before it replaces the old one."""
    with pytest.raises(ValueError, match="重复"):
        parse_chain_config({"chains": [{"code": "A", "name": "a"}, {"code": "A", "name": "b"}]})
    with pytest.raises(ValueError):
        parse_chain_config({"chains": [{"code": "A", "name": "a", "ipc": ["Y02E*"]}]})


def test_shandong_starting_configuration_names_the_provincial_chains():
    """The shipped starting point covers the chains the provincial documents name."""
    names = {c.name for c in parse_chain_config(load_chain_config())}
    assert {
        "高端装备",
        "新能源汽车",
        "新材料",
        "生物医药",
        "高端化工",
        "新一代信息技术",
        "现代海洋",
        "绿色低碳",
    } <= names


def test_records_without_ipc_get_three_scored_suggestions(classifier):
    """No IPC → top-3 subclass suggestions with scores and the words behind them."""
    result = [
        a
        for a in classifier.classify([], "一种锂离子电池正极材料及其制备方法")
        if a.scheme == "ipc_suggested"
    ]
    assert len(result) == 3
    assert result[0].code == "H01M"
    assert result[0].score is not None and result[0].score >= result[1].score
    assert "正极" in result[0].reason


def test_ipc_titles_fall_back_to_coarser_levels(classifier):
    """A subgroup missing from the title table still shows its main group's title."""
    assert "锂离子电池" in classifier.ipc_title("H01M10/0525")
    assert classifier.ipc_title("H01M").startswith("用于直接转变化学能为电能")
    assert classifier.ipc_title("not a code") == ""
