"""Team assignment and ranking rules, strength boundary cases, producer chunking/resume and the
synthetic load-test rows."""

from __future__ import annotations

import csv
import datetime as dt
import itertools
from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from patentbridge_engine.bench import SYNTHETIC_LABEL, synthetic_records, write_csv
from patentbridge_engine.classify import load_chain_config
from patentbridge_engine.ids import parse_application_number
from patentbridge_engine.ingest.producer import prepared_chunks
from patentbridge_engine.search.strength import (
    STRENGTH_EXPLANATIONS,
    STRENGTH_LABELS,
    Strength,
    StrengthThresholds,
    classify_strength,
    has_strong,
)
from patentbridge_engine.search.teams import (
    TeamPatent,
    assign_teams,
    build_team_profiles,
    rank_teams,
    team_key,
)
from patentbridge_engine.text.tokenize import Tokenizer

# ---------------------------------------------------------------------------------------------
# teams.py
# ---------------------------------------------------------------------------------------------


def _p(pid, inventors, applicants=("西安交通大学",), title="一种热泵", ipc=("F25B30/02",), year=2020):
    return TeamPatent(pid, title, list(inventors), list(applicants), list(ipc), year)


def test_leads_are_counted_per_institution_not_globally():
    """The same name at two institutions is two people: 张三's many patents at one university do not
    make him lead of the other's patent."""
    patents = [
        _p("1", ["张三"]),
        _p("2", ["张三"]),
        _p("3", ["张三"]),
        _p("4", ["李四", "张三"], applicants=("山东大学",)),
        _p("5", ["李四"], applicants=("山东大学",)),
    ]
    teams = assign_teams(patents)
    assert teams["4"] == team_key("山东大学", "李四")
    assert teams["1"] == team_key("西安交通大学", "张三")


def test_applicant_spellings_normalise_to_one_institution():
    """Whitespace around an applicant does not split its patents into two institutions."""
    patents = [
        _p("1", ["王五", "赵六"], applicants=(" 西安交通大学 ",)),
        _p("2", ["赵六"], applicants=("西安交通大学",)),
    ]
    teams = assign_teams(patents)
    assert teams["1"] == teams["2"] == team_key("西安交通大学", "赵六")


def test_a_name_listed_twice_on_one_patent_counts_once():
    """Duplicate inventor entries on a patent neither inflate the lead count nor appear as members."""
    patents = [_p("1", ["甲", "甲", "甲", "乙"]), _p("2", ["乙"]), _p("3", ["甲"])]
    teams = assign_teams(patents)
    # 甲 and 乙 are each on two patents; on patent 1 the tie goes to the first-named 甲.
    assert teams["1"] == team_key("西安交通大学", "甲")
    profiles = build_team_profiles(patents, as_of_year=2025)
    assert profiles[teams["1"]].members == [("乙", 1)]


def test_blank_names_and_applicants_are_ignored():
    """Blank inventor strings are not people and a blank-only applicant list is no institution."""
    patents = [_p("1", ["", "  ", "丙"]), _p("2", ["丁"], applicants=("", "  "))]
    assert assign_teams(patents) == {"1": team_key("西安交通大学", "丙")}


def test_every_patent_of_a_team_is_in_exactly_one_profile():
    """Profiles partition the assigned patents: each assigned id appears once, under its team key."""
    names = ["甲", "乙", "丙", "丁"]
    patents = [
        _p(str(n), names[n % 4 : n % 4 + 2], applicants=(["西安交通大学", "山东大学"][n % 2],))
        for n in range(24)
    ]
    teams = assign_teams(patents)
    profiles = build_team_profiles(patents, as_of_year=2025)
    listed = [pid for profile in profiles.values() for pid in profile.patent_ids]
    assert sorted(listed) == sorted(teams)
    for key, profile in profiles.items():
        assert all(teams[pid] == key for pid in profile.patent_ids)
        assert key == team_key(profile.institution, profile.lead)


def test_recent_count_covers_exactly_the_last_three_years():
    """ "Recent" = filed after as_of_year − 3: the boundary year itself is not recent."""
    patents = [_p(str(y), ["甲"], year=y) for y in (2021, 2022, 2023, 2024, 2025)] + [
        _p("none", ["甲"], year=None)
    ]
    profile = build_team_profiles(patents, as_of_year=2025)[team_key("西安交通大学", "甲")]
    assert profile.recent_count == 3
    assert (profile.first_year, profile.last_year) == (2021, 2025)
    assert profile.patent_count == 6


def test_profile_lists_are_capped_and_sorted_by_frequency():
    """Members, IPC classes and topics are most-frequent first and capped at their display sizes."""
    patents = [
        _p(str(n), ["组长", f"成员{n % 12}"], ipc=(f"A{n % 7:02d}B1/00", "H01M4/36"), title="锂电池正极材料")
        for n in range(40)
    ]
    profile = build_team_profiles(patents, as_of_year=2025, tokenizer=Tokenizer())[
        team_key("西安交通大学", "组长")
    ]
    assert len(profile.members) == 10
    assert len(profile.ipc) == 5
    assert profile.ipc[0] == ("H01M", 40)
    for ranking in (profile.members, profile.ipc, profile.topics):
        counts = [count for _, count in ranking]
        assert counts == sorted(counts, reverse=True)


def test_equal_topic_counts_put_the_longer_word_first():
    """Topic ties are broken by length: the more specific (longer) word is shown before the shorter."""
    tokenizer = Tokenizer()
    patents = [_p("1", ["甲"], title="锂离子电池 正极")]
    topics = build_team_profiles(patents, as_of_year=2025, tokenizer=tokenizer)[
        team_key("西安交通大学", "甲")
    ].topics
    lengths = [len(word) for word, _ in topics]
    assert lengths == sorted(lengths, reverse=True)


def test_team_score_is_the_sum_of_reciprocal_ranks_with_the_constant():
    """Each owned hit adds 1 / (10 + rank); hits without a team add nothing but still use a rank."""
    team_of = {"a": "T|甲", "b": "T|甲", "c": "U|乙"}
    ranked = rank_teams(["x", "a", "c", "y", "b"], team_of)
    scores = {m.key: m.score for m in ranked}
    assert scores["T|甲"] == pytest.approx(1 / 12 + 1 / 15, abs=1e-6)
    assert scores["U|乙"] == pytest.approx(1 / 13, abs=1e-6)


def test_equal_scores_are_ordered_by_team_key():
    """Two teams with exactly the same score come in key order, whichever was hit first:
    1/12 + 1/28 = 1/14 + 1/21, so ranks (2, 18) and (4, 11) tie."""
    hits = [f"h{n}" for n in range(1, 19)]
    team_of = {"h2": "Z|甲", "h18": "Z|甲", "h4": "A|乙", "h11": "A|乙"}
    ranked = rank_teams(hits, team_of)
    assert ranked[0].score == ranked[1].score
    assert [m.key for m in ranked] == ["A|乙", "Z|甲"]


@given(st.lists(st.sampled_from("abcdefgh"), max_size=20), st.integers(min_value=1, max_value=5))
def test_ranking_is_bounded_by_k_and_scores_never_increase(hits, k):
    """At most k teams, best first; each team's patents are listed in hit order with their ranks."""
    team_of = {"a": "T1", "b": "T1", "c": "T2", "d": "T3", "e": "T3", "f": "T4", "g": "T5"}
    ranked = rank_teams(hits, team_of, k=k)
    assert len(ranked) <= k
    assert [m.score for m in ranked] == sorted((m.score for m in ranked), reverse=True)
    for match in ranked:
        assert [r for _, r in match.patents] == sorted(r for _, r in match.patents)
        assert all(hits[r - 1] == pid and team_of[pid] == match.key for pid, r in match.patents)


# ---------------------------------------------------------------------------------------------
# strength.py boundary cases
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Hit:
    keyword_rank: int | None
    match_weight: float
    title_coverage: float


T = StrengthThresholds()


def test_just_below_each_possible_threshold_is_weak():
    """Below both possible thresholds a keyword hit is weak; reaching either one makes it possible."""
    eps = 1e-9
    below = _Hit(10, T.possible_weight - eps, T.possible_title_coverage - eps)
    assert classify_strength(below) is Strength.WEAK
    assert classify_strength(_Hit(10, T.possible_weight, 0.0)) is Strength.POSSIBLE
    assert classify_strength(_Hit(10, 0.0, T.possible_title_coverage)) is Strength.POSSIBLE


def test_a_rank_one_past_the_strong_cut_is_at_most_possible():
    """With perfect evidence, rank strong_rank + 1 is possible, never strong."""
    hit = _Hit(T.strong_rank + 1, 10.0, 1.0)
    assert classify_strength(hit) is Strength.POSSIBLE
    assert classify_strength(_Hit(1, 10.0, 1.0)) is Strength.STRONG


def test_custom_thresholds_are_honoured():
    """A stricter policy demotes a hit the default would call strong."""
    hit = _Hit(1, T.strong_weight, T.strong_title_coverage)
    assert classify_strength(hit) is Strength.STRONG
    strict = StrengthThresholds(strong_rank=1, strong_title_coverage=0.9, strong_weight=5.0)
    assert classify_strength(hit, strict) is Strength.POSSIBLE
    assert not has_strong([hit], strict)


@given(
    st.one_of(st.none(), st.integers(min_value=1, max_value=50)),
    st.floats(min_value=0, max_value=10, allow_nan=False),
    st.floats(min_value=0, max_value=1, allow_nan=False),
    st.floats(min_value=0, max_value=5, allow_nan=False),
    st.floats(min_value=0, max_value=1, allow_nan=False),
)
def test_more_evidence_never_lowers_strength(rank, weight, coverage, extra_weight, extra_coverage):
    """Strength is monotone: more shared weight or title coverage never makes a hit weaker."""
    order = {Strength.WEAK: 0, Strength.POSSIBLE: 1, Strength.STRONG: 2}
    before = classify_strength(_Hit(rank, weight, coverage))
    after = classify_strength(_Hit(rank, weight + extra_weight, min(1.0, coverage + extra_coverage)))
    assert order[after] >= order[before]


def test_labels_and_explanations_cover_every_level():
    """Every level has a distinct label, and its explanation opens with that label."""
    assert set(STRENGTH_LABELS) == set(Strength) == set(STRENGTH_EXPLANATIONS)
    assert len(set(STRENGTH_LABELS.values())) == len(Strength)
    for level in Strength:
        assert STRENGTH_EXPLANATIONS[level].startswith(STRENGTH_LABELS[level] + "：")


def test_has_strong_on_an_empty_or_generator_input():
    """No hits means no strong hit; a generator is consumed correctly."""
    assert not has_strong([])
    assert has_strong(h for h in [_Hit(None, 9, 1), _Hit(1, 9, 1)])


# ---------------------------------------------------------------------------------------------
# producer.py chunking and resume (inline; the parallel path is covered in test_producer.py)
# ---------------------------------------------------------------------------------------------

SEEDS = [
    {
        "title": "一种锂离子电池正极材料",
        "abstract": "提高循环寿命",
        "applicants": ["山东大学"],
        "ipc": ["H01M4/131"],
    },
    {"title": "一种高温热泵", "abstract": "余热回收", "applicants": ["某某公司"], "ipc": ["F25B30/02"]},
    {"title": "一种无人机", "abstract": "巡检", "applicants": ["西安交通大学"], "ipc": ["B64U20/80"]},
]


def _chunks(path, *, size, start_after=0):
    return list(
        prepared_chunks(
            path,
            "csv",
            {},
            start_after=start_after,
            size=size,
            chain_config=load_chain_config(),
            as_of=dt.date(2026, 1, 1),
            parallel=False,
        )
    )


@pytest.fixture
def csv_23(tmp_path):
    path = tmp_path / "rows.csv"
    write_csv(synthetic_records(SEEDS, 23), path)
    return path


@pytest.mark.parametrize("size", [1, 5, 23, 100])
def test_chunks_are_full_except_the_last_and_cover_every_row_once(csv_23, size):
    """Every data row (file rows 2..24) arrives once, in order, in chunks of ``size`` but the last."""
    chunks = _chunks(csv_23, size=size)
    lengths = [len(c) for c in chunks]
    assert all(n == size for n in lengths[:-1]) and 0 < lengths[-1] <= size
    assert [r.outcome.row_number for c in chunks for r in c] == list(range(2, 25))


@pytest.mark.parametrize("start_after", [0, 1, 2, 7, 13, 24])
def test_resuming_gives_exactly_the_rows_after_the_mark(csv_23, start_after):
    """Resuming after row n yields rows n+1.. with the same prepared content as a full run."""
    full = {r.outcome.row_number: r for c in _chunks(csv_23, size=4) for r in c}
    resumed = [r for c in _chunks(csv_23, size=4, start_after=start_after) for r in c]
    assert [r.outcome.row_number for r in resumed] == [n for n in sorted(full) if n > start_after]
    for row in resumed:
        assert row.outcome.record == full[row.outcome.row_number].outcome.record
        assert list(row.classes) == list(full[row.outcome.row_number].classes)


def test_resuming_past_the_end_yields_no_chunks(csv_23):
    """A batch that already committed every row produces nothing, not an empty chunk."""
    assert _chunks(csv_23, size=5, start_after=24) == []
    assert _chunks(csv_23, size=5, start_after=10_000) == []


def test_rejected_rows_are_kept_in_place_without_prepared_values(tmp_path):
    """A row with an invalid number is reported in its position with issues and no derived values."""
    rows = list(synthetic_records(SEEDS, 4))
    rows[1] = {**rows[1], "application_number": "不是申请号"}
    path = tmp_path / "bad.csv"
    write_csv(iter(rows), path)
    prepared = [r for c in _chunks(path, size=10) for r in c]
    assert [r.outcome.row_number for r in prepared] == [2, 3, 4, 5]
    bad = prepared[1]
    assert bad.outcome.record is None and bad.outcome.issues and bad.derived is None
    assert all(r.outcome.record is not None and r.derived is not None for r in prepared if r is not bad)


# ---------------------------------------------------------------------------------------------
# bench/synthetic.py
# ---------------------------------------------------------------------------------------------


@given(st.integers(min_value=1, max_value=300), st.integers(min_value=0, max_value=10_000))
def test_every_synthetic_title_carries_the_label(count, seed):
    """Whatever the count and seed, every generated title starts with 【合成测试数据】 followed by a
    seed title."""
    titles = {s["title"] for s in SEEDS}
    for row in synthetic_records(SEEDS, count, seed=seed):
        assert row["title"].startswith(SYNTHETIC_LABEL)
        assert row["title"].removeprefix(SYNTHETIC_LABEL) in titles


def test_a_seed_without_a_title_still_yields_a_labelled_title():
    """Even an empty seed cannot produce an unlabelled row."""
    rows = list(synthetic_records([{}], 3))
    assert all(r["title"] == SYNTHETIC_LABEL for r in rows)
    assert all(r["applicants"] == "" and r["ipc"] == "" for r in rows)


def test_synthetic_numbers_are_valid_and_in_the_reserved_range():
    """Numbers pass the check-character validation, use serials ≥ 9,000,000 and their type digit
    matches the stated patent type."""
    for row in synthetic_records(SEEDS, 400):
        number = parse_application_number(row["application_number"], require_check=True)
        assert int(number.digits[5:]) >= 9_000_000
        expected = {"invention": "发明", "utility_model": "实用新型"}[number.patent_type]
        assert row["patent_type"] == expected
        assert row["filing_date"][:4] == number.digits[:4]
        dt.date.fromisoformat(row["filing_date"])


def test_synthetic_rows_are_deterministic_per_seed():
    """The same seed gives the same rows; another seed varies dates/statuses but not the numbers."""
    a = list(synthetic_records(SEEDS, 50, seed=1))
    assert a == list(synthetic_records(SEEDS, 50, seed=1))
    b = list(synthetic_records(SEEDS, 50, seed=2))
    assert [r["application_number"] for r in a] == [r["application_number"] for r in b]
    assert a != b


def test_synthetic_rows_cycle_through_the_seeds():
    """Row n recombines seed n mod len(seeds)."""
    for n, row in zip(itertools.count(), synthetic_records(SEEDS, 9), strict=False):
        assert row["abstract"] == SEEDS[n % 3]["abstract"]


def test_no_seeds_is_an_error():
    """Generating from nothing fails loudly rather than yielding unlabelled or empty rows."""
    with pytest.raises(ValueError):
        list(synthetic_records([], 5))


def test_written_csv_has_the_chinese_header_and_every_row(tmp_path):
    """``write_csv`` returns the row count, writes the Chinese export header, and its rows are all
    accepted by the importer's own pipeline with the label intact."""
    path = tmp_path / "s.csv"
    assert write_csv(synthetic_records(SEEDS, 17), path) == 17
    with path.open(encoding="utf-8", newline="") as fh:
        table = list(csv.reader(fh))
    assert table[0][:2] == ["申请号", "专利名称"]
    assert len(table) == 18
    prepared = [r for c in _chunks(path, size=50) for r in c]
    assert len(prepared) == 17
    assert all(r.outcome.record is not None for r in prepared)
    assert all(r.outcome.record.title.startswith(SYNTHETIC_LABEL) for r in prepared)


def test_written_csv_honours_the_requested_encoding(tmp_path):
    """A GBK export (as commercial databases write) round-trips the Chinese label."""
    path = tmp_path / "gbk.csv"
    write_csv(synthetic_records(SEEDS, 3), path, encoding="gbk")
    text = path.read_bytes().decode("gbk")
    assert text.count(SYNTHETIC_LABEL) == 3
