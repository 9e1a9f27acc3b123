"""Inventor team profiles and need → team ranking (engine, no Django)."""

from __future__ import annotations

from patentbridge_engine.search.teams import (
    TeamPatent,
    assign_teams,
    build_team_profiles,
    institution_of,
    rank_teams,
)

PATENTS = [
    TeamPatent(
        "1", "一种高温热泵机组及其控制方法", ["王五", "张三", "李四"], ["西安交通大学"], ["F25B30/02"], 2024
    ),
    TeamPatent(
        "2",
        "高温热泵蒸汽发生系统",
        ["李四", "张三"],
        ["西安交通大学", "某公司"],
        ["F25B30/06", "F22B1/00"],
        2022,
    ),
    TeamPatent("3", "热泵除霜控制方法", ["张三"], ["西安交通大学"], ["F25B47/02"], 2015),
    TeamPatent("4", "一种锂电池正极材料", ["孙七", "周八"], ["西安交通大学"], ["H01M4/36"], 2023),
    TeamPatent("5", "一种包装袋封口装置", ["赵六"], ["山东某机械有限公司"], ["B65B51/10"], None),
    TeamPatent("6", "无发明人的记录", [], ["西安交通大学"], ["F25B30/02"], 2020),
    TeamPatent("7", "无申请人的记录", ["张三"], [], ["F25B30/02"], 2020),
]


def test_institution_is_the_normalised_first_applicant():
    assert institution_of([" ", "西安交通大学 "]) == "西安交通大学"
    assert institution_of([]) == ""


def test_lead_is_the_institutions_most_frequent_inventor_on_the_patent():
    """张三 is on three patents of the university, so he leads the ones his students filed first;
    without him, the tie between 孙七 and 周八 goes to the first-named."""
    teams = assign_teams(PATENTS)
    assert teams == {
        "1": "西安交通大学|张三",
        "2": "西安交通大学|张三",
        "3": "西安交通大学|张三",
        "4": "西安交通大学|孙七",
        "5": "山东某机械有限公司|赵六",
    }


def test_profiles_describe_the_work():
    profiles = build_team_profiles(PATENTS, as_of_year=2025)
    assert set(profiles) == {"西安交通大学|张三", "西安交通大学|孙七", "山东某机械有限公司|赵六"}
    zhang = profiles["西安交通大学|张三"]
    assert zhang.patent_ids == ["1", "2", "3"] and zhang.patent_count == 3
    assert zhang.members == [("李四", 2), ("王五", 1)]
    assert zhang.ipc[0] == ("F25B", 3) and ("F22B", 1) in zhang.ipc
    assert zhang.topics[0] == ("热泵", 3)
    assert all(word not in dict(zhang.topics) for word in ("一种", "方法", "系统"))
    # "Recent" = filed in the three calendar years up to as_of_year (2023–2025): only patent 1.
    assert (zhang.first_year, zhang.last_year, zhang.recent_count) == (2015, 2024, 1)
    zhao = profiles["山东某机械有限公司|赵六"]
    assert (zhao.first_year, zhao.last_year, zhao.recent_count) == (None, None, 0)


def test_rank_teams_rewards_several_good_patents_over_one_lucky_hit():
    team_of = {"1": "A|张三", "2": "A|张三", "9": "B|赵六", "4": "A|李四"}
    ranked = rank_teams(["9", "1", "2", "x", "4"], team_of, k=5)
    assert [m.key for m in ranked] == ["A|张三", "B|赵六", "A|李四"]
    assert ranked[0].patents == (("1", 2), ("2", 3))
    assert ranked[0].score > ranked[1].score > ranked[2].score
    assert rank_teams(["9", "1"], team_of, k=1)[0].key == "B|赵六"
    assert rank_teams([], team_of) == []
