"""Statutory terms across the 2021 amendment and the calendar's edges, and the legal-status state model.

Invariants protected here (domain-rules §11.1–11.2):
- a term runs from the filing date and ends the day before the anniversary; 29 February falls back to
  28 February (细则 Art. 5); designs filed from 2021-06-01 get 15 years, earlier ones 10;
- expiry never moves backwards when the filing date moves forwards;
- status texts of commercial exports map onto states by their specific (post-dash) part;
- the status on a date is replayed from the events up to that date; a granted right past its term is expired.
"""

from __future__ import annotations

import datetime as dt
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from patentbridge_engine.legal import (
    LegalEvent,
    LegalState,
    PatentType,
    add_years,
    parse_status_text,
    status_as_of,
    term_expiry,
)

_AMENDMENT = dt.date(2021, 6, 1)
_DATES = st.dates(min_value=dt.date(1985, 4, 1), max_value=dt.date(2060, 12, 31))


# --- add_years ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "years", "expected"),
    [
        (dt.date(2020, 2, 29), 4, dt.date(2024, 2, 29)),  # leap to leap keeps the 29th
        (dt.date(2020, 2, 29), 1, dt.date(2021, 2, 28)),
        (dt.date(2020, 2, 29), 100, dt.date(2120, 2, 29)),
        (dt.date(2000, 2, 29), 100, dt.date(2100, 2, 28)),  # 2100 is not a leap year
        (dt.date(2020, 2, 29), -1, dt.date(2019, 2, 28)),
        (dt.date(2021, 2, 28), 3, dt.date(2024, 2, 28)),  # the 28th stays the 28th in a leap year
        (dt.date(2021, 1, 31), 1, dt.date(2022, 1, 31)),
        (dt.date(2021, 12, 31), 20, dt.date(2041, 12, 31)),
        (dt.date(2021, 6, 1), 0, dt.date(2021, 6, 1)),
    ],
)
def test_add_years_calendar_edges(start: dt.date, years: int, expected: dt.date) -> None:
    """Only 29 February lacks a corresponding day; every other date keeps month and day."""
    assert add_years(start, years) == expected


@given(_DATES, st.integers(-30, 30))
def test_add_years_keeps_month_and_day_except_for_29_february(start: dt.date, years: int) -> None:
    """Property: the year moves by exactly ``years``; month/day are kept unless 29 Feb has no twin."""
    result = add_years(start, years)
    assert result.year == start.year + years
    assert result.month == start.month
    if (start.month, start.day) == (2, 29):
        assert result.day in (28, 29)
    else:
        assert result.day == start.day


@given(_DATES, st.integers(0, 30), st.integers(0, 30))
def test_add_years_composes_except_through_29_february(start: dt.date, a: int, b: int) -> None:
    """Property: adding a then b years equals adding a+b, unless a 29 Feb was cut to the 28th on the way."""
    stepped = add_years(add_years(start, a), b)
    direct = add_years(start, a + b)
    if (start.month, start.day) != (2, 29):
        assert stepped == direct
    else:
        assert (direct - stepped).days in (0, 1)


# --- term_expiry -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ptype", "filed", "expiry"),
    [
        (PatentType.INVENTION, dt.date(2004, 2, 29), dt.date(2024, 2, 28)),  # 2024 has a 29 Feb
        (PatentType.INVENTION, dt.date(2004, 3, 1), dt.date(2024, 2, 29)),
        (PatentType.INVENTION, dt.date(2005, 1, 1), dt.date(2024, 12, 31)),  # year boundary
        (PatentType.INVENTION, dt.date(2005, 12, 31), dt.date(2025, 12, 30)),
        (PatentType.UTILITY_MODEL, dt.date(2014, 3, 1), dt.date(2024, 2, 29)),
        (PatentType.UTILITY_MODEL, dt.date(2015, 3, 1), dt.date(2025, 2, 28)),
        (PatentType.UTILITY_MODEL, dt.date(2011, 5, 1), dt.date(2021, 4, 30)),  # month end
        (PatentType.DESIGN, dt.date(2021, 5, 31), dt.date(2031, 5, 30)),  # last day of the old law
        (PatentType.DESIGN, dt.date(2021, 6, 1), dt.date(2036, 5, 31)),  # first day of the new law
        (PatentType.DESIGN, dt.date(2009, 10, 1), dt.date(2019, 9, 30)),
        (PatentType.DESIGN, dt.date(2024, 3, 1), dt.date(2039, 2, 28)),
    ],
)
def test_expiry_vectors_around_month_ends_leap_days_and_the_amendment(
    ptype: PatentType, filed: dt.date, expiry: dt.date
) -> None:
    """Hand-computed: anniversary minus one day; the design term changes on 2021-06-01."""
    assert term_expiry(ptype, filed) == expiry


def test_the_design_amendment_does_not_touch_inventions_or_utility_models() -> None:
    """The 2020 amendment lengthened only designs: 20 and 10 years either side of 2021-06-01."""
    for filed in (dt.date(2021, 5, 31), _AMENDMENT):
        assert term_expiry(PatentType.INVENTION, filed) == add_years(filed, 20) - dt.timedelta(days=1)
        assert term_expiry(PatentType.UTILITY_MODEL, filed) == add_years(filed, 10) - dt.timedelta(days=1)


def test_29_february_filings_expire_between_their_neighbours() -> None:
    """A 29 Feb filing expires no earlier than one filed on the 28th and earlier than one filed 1 March."""
    for ptype in PatentType:
        for year in (2000, 2004, 2012, 2016, 2020, 2024):
            feb28 = term_expiry(ptype, dt.date(year, 2, 28))
            feb29 = term_expiry(ptype, dt.date(year, 2, 29))
            mar1 = term_expiry(ptype, dt.date(year, 3, 1))
            assert feb28 <= feb29 < mar1
            assert feb29.month == 2


@given(_DATES, _DATES, st.sampled_from(list(PatentType)))
def test_expiry_is_monotonic_in_the_filing_date(a: dt.date, b: dt.date, ptype: PatentType) -> None:
    """Property: a later filing never expires earlier (the design jump in 2021 only lengthens)."""
    first, second = sorted((a, b))
    assert term_expiry(ptype, first) <= term_expiry(ptype, second)


@given(_DATES, st.sampled_from(list(PatentType)))
def test_expiry_is_the_day_before_the_anniversary(filed: dt.date, ptype: PatentType) -> None:
    """Property: the day after expiry is the anniversary (add_years, so 29 Feb becomes 28 Feb), within
    the term's last year."""
    years = {PatentType.INVENTION: 20, PatentType.UTILITY_MODEL: 10}.get(ptype)
    if years is None:
        years = 15 if filed >= _AMENDMENT else 10
    expiry = term_expiry(ptype, filed)
    assert expiry + dt.timedelta(days=1) == add_years(filed, years)
    assert expiry.year in (filed.year + years, filed.year + years - 1)


# --- PatentType ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("发明公开", PatentType.INVENTION),
        ("发明公开;发明授权", PatentType.INVENTION),  # the real 61-column export
        ("发明专利", PatentType.INVENTION),
        ("发明申请", PatentType.INVENTION),
        ("实用新型专利", PatentType.UTILITY_MODEL),
        ("外观设计专利", PatentType.DESIGN),
        ("外观", PatentType.DESIGN),
        ("  Invention ", PatentType.INVENTION),
        ("UTILITY MODEL", PatentType.UTILITY_MODEL),
        ("Design", PatentType.DESIGN),
        ("U", PatentType.UTILITY_MODEL),
        ("A", PatentType.INVENTION),
        ("B", PatentType.INVENTION),
        ("S", PatentType.DESIGN),
        ("D", PatentType.DESIGN),
        ("   ", None),
        ("PCT", None),
        ("商标", None),
    ],
)
def test_patent_type_spellings(text: str, expected: PatentType | None) -> None:
    """Type cells of exports name the type in Chinese, English or as a kind letter."""
    assert PatentType.from_text(text) is expected


def test_patent_type_labels_and_values() -> None:
    """Each type's value is its storage key and its label the Chinese name shown to users."""
    assert {t.value: t.label for t in PatentType} == {
        "invention": "发明",
        "utility_model": "实用新型",
        "design": "外观设计",
    }
    for t in PatentType:
        assert PatentType.from_text(t.label) is t and PatentType.from_text(t.value) is t


# --- states --------------------------------------------------------------------------------------


def test_every_state_has_a_label_and_exactly_one_group() -> None:
    """有效/审中/失效/未知: only GRANTED is valid, three states are pending, UNKNOWN is unknown."""
    groups = {state: state.group for state in LegalState}
    assert [s for s, g in groups.items() if g == "valid"] == [LegalState.GRANTED]
    assert {s for s, g in groups.items() if g == "pending"} == {
        LegalState.FILED,
        LegalState.PUBLISHED,
        LegalState.SUBSTANTIVE_EXAM,
    }
    assert [s for s, g in groups.items() if g == "unknown"] == [LegalState.UNKNOWN]
    assert all(state.label for state in LegalState)
    assert len({state.label for state in LegalState}) == len(LegalState)
    for state in LegalState:
        assert state.is_valid == (state.group == "valid")
        assert state.is_pending == (state.group == "pending")


def test_states_are_strings_that_round_trip() -> None:
    """States are stored by value and read back with LegalState(value)."""
    for state in LegalState:
        assert LegalState(state.value) is state and state == state.value


# --- status texts ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "state"),
    [
        # 61-column export and incoPat style "group-event" texts.
        ("有权-审定授权", LegalState.GRANTED),
        ("审中-实质审查", LegalState.SUBSTANTIVE_EXAM),
        ("审中-公开", LegalState.PUBLISHED),
        ("失效-期限届满", LegalState.EXPIRED),
        ("失效-未缴年费", LegalState.LAPSED_NON_PAYMENT),
        ("失效-驳回", LegalState.REJECTED),
        ("失效-撤回", LegalState.WITHDRAWN),
        ("失效-视为撤回", LegalState.DEEMED_WITHDRAWN),
        ("失效-放弃", LegalState.ABANDONED),
        ("失效-全部无效", LegalState.INVALIDATED),
        ("失效－未缴年费专利权终止", LegalState.LAPSED_NON_PAYMENT),  # full-width dash
        # CNIPA register event names.
        ("授权", LegalState.GRANTED),
        ("实质审查的生效", LegalState.SUBSTANTIVE_EXAM),
        ("发明专利申请公布后的视为撤回", LegalState.DEEMED_WITHDRAWN),
        ("发明专利申请公布后的撤回", LegalState.WITHDRAWN),
        ("专利权有效期届满", LegalState.EXPIRED),
        ("避免重复授权放弃专利权", LegalState.ABANDONED),  # 放弃 outranks 授权
        ("专利权全部无效", LegalState.INVALIDATED),
        ("宣告专利权全部无效", LegalState.INVALIDATED),
        ("受理", LegalState.FILED),
        # incoPat 专利有效性 column.
        ("有效", LegalState.GRANTED),
        ("审中", LegalState.SUBSTANTIVE_EXAM),
        ("失效", LegalState.ABANDONED),
        ("  有权  ", LegalState.GRANTED),
    ],
)
def test_real_status_vocabularies(text: str, state: LegalState) -> None:
    """Texts of the export formats we read map onto the state model."""
    assert parse_status_text(text) is state


def test_the_specific_part_after_the_dash_decides() -> None:
    """In 'group-event' texts the event is read first; the group word only decides when the event is
    unknown."""
    assert parse_status_text("有权-某种新事件") is LegalState.GRANTED
    assert parse_status_text("失效-某种新事件") is LegalState.ABANDONED
    assert parse_status_text("审中-某种新事件") is LegalState.SUBSTANTIVE_EXAM
    assert parse_status_text("有权-全部无效") is LegalState.INVALIDATED


@pytest.mark.parametrize(
    "text", [None, "", "   ", "专利实施许可合同备案的生效", "专利权质押合同登记的生效", "PCT指定期内"]
)
def test_overlays_and_unknown_texts_are_unknown(text: str | None) -> None:
    """Licence/pledge registrations do not change the right's state; unknown texts are not guessed."""
    assert parse_status_text(text) is LegalState.UNKNOWN


@pytest.mark.parametrize("text", ["专利权的终止", "权利终止"])
def test_termination_texts_are_invalid(text: str) -> None:
    """A right that has terminated belongs to the 失效 group whatever the cause."""
    assert parse_status_text(text).group == "invalid"


@given(st.text(max_size=30))
def test_status_parser_is_total(text: str) -> None:
    """Property: any text maps to some state (never raises), and empty text is UNKNOWN."""
    state = parse_status_text(text)
    assert isinstance(state, LegalState)
    if not text.strip():
        assert state is LegalState.UNKNOWN


# --- status replay --------------------------------------------------------------------------------

_FILED = dt.date(2015, 3, 10)
_EVENTS = [
    LegalEvent(dt.date(2015, 9, 1), LegalState.PUBLISHED, "公开"),
    LegalEvent(dt.date(2016, 3, 1), LegalState.SUBSTANTIVE_EXAM, "实质审查的生效"),
    LegalEvent(dt.date(2018, 7, 20), LegalState.GRANTED, "授权"),
    LegalEvent(dt.date(2019, 5, 5), None, "专利实施许可合同备案的生效"),
    LegalEvent(dt.date(2022, 3, 10), LegalState.LAPSED_NON_PAYMENT, "未缴年费专利权终止"),
]


def _status(events: list[LegalEvent], as_of: dt.date, **kw: object) -> LegalState:
    kwargs: dict[str, object] = {"patent_type": PatentType.INVENTION, "filing_date": _FILED}
    kwargs.update(kw)
    return status_as_of(events, as_of, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("as_of", "state"),
    [
        (dt.date(2015, 3, 10), LegalState.UNKNOWN),  # before any event: the fallback
        (dt.date(2015, 8, 31), LegalState.UNKNOWN),
        (dt.date(2015, 9, 1), LegalState.PUBLISHED),  # an event counts on its own date
        (dt.date(2018, 7, 19), LegalState.SUBSTANTIVE_EXAM),
        (dt.date(2018, 7, 20), LegalState.GRANTED),
        (dt.date(2020, 1, 1), LegalState.GRANTED),  # the licence overlay changes nothing
        (dt.date(2022, 3, 9), LegalState.GRANTED),
        (dt.date(2022, 3, 10), LegalState.LAPSED_NON_PAYMENT),
        (dt.date(2040, 1, 1), LegalState.LAPSED_NON_PAYMENT),  # lapsed stays lapsed, never "expired"
    ],
)
def test_replay_through_a_real_life_cycle(as_of: dt.date, state: LegalState) -> None:
    """Publication, examination, grant, licence overlay and lapse, read on each side of each date."""
    assert _status(_EVENTS, as_of) is state


def test_replay_does_not_depend_on_the_order_events_are_given() -> None:
    """The event log is sorted by date before replay: shuffled logs give the same states."""
    rnd = random.Random(3)
    days = [dt.date(2015, 1, 1) + dt.timedelta(days=d) for d in range(0, 3000, 97)]
    expected = [_status(_EVENTS, day) for day in days]
    for _ in range(5):
        shuffled = _EVENTS[:]
        rnd.shuffle(shuffled)
        assert [_status(shuffled, day) for day in days] == expected


def test_a_granted_right_expires_the_day_after_its_last_day() -> None:
    """Invention filed 2015-03-10: valid through 2035-03-09, expired from 2035-03-10."""
    granted = _EVENTS[:3]
    assert _status(granted, dt.date(2035, 3, 9)) is LegalState.GRANTED
    assert _status(granted, dt.date(2035, 3, 10)) is LegalState.EXPIRED


def test_expiry_needs_type_and_filing_date() -> None:
    """Without the type or the filing date the term is unknown, so a grant is not declared expired."""
    granted = _EVENTS[:3]
    late = dt.date(2099, 1, 1)
    assert _status(granted, late, patent_type=None) is LegalState.GRANTED
    assert _status(granted, late, filing_date=None) is LegalState.GRANTED


def test_design_term_follows_the_amendment_in_replay() -> None:
    """Designs filed either side of 2021-06-01 expire after 10 and 15 years respectively."""
    grant = [LegalEvent(dt.date(2021, 12, 1), LegalState.GRANTED)]
    old, new = dt.date(2021, 5, 31), dt.date(2021, 6, 1)
    assert (
        _status(grant, dt.date(2031, 6, 1), patent_type=PatentType.DESIGN, filing_date=old)
        is LegalState.EXPIRED
    )
    assert (
        _status(grant, dt.date(2031, 6, 1), patent_type=PatentType.DESIGN, filing_date=new)
        is LegalState.GRANTED
    )
    assert (
        _status(grant, dt.date(2036, 6, 1), patent_type=PatentType.DESIGN, filing_date=new)
        is LegalState.EXPIRED
    )


def test_fallback_is_the_state_before_any_event() -> None:
    """A record without events uses its stated status as the fallback (still subject to the term)."""
    assert _status([], dt.date(2020, 1, 1), fallback=LegalState.PUBLISHED) is LegalState.PUBLISHED
    assert _status([], dt.date(2020, 1, 1), fallback=LegalState.GRANTED) is LegalState.GRANTED
    assert _status([], dt.date(2036, 1, 1), fallback=LegalState.GRANTED) is LegalState.EXPIRED
    later = [LegalEvent(dt.date(2021, 1, 1), LegalState.INVALIDATED)]
    assert _status(later, dt.date(2020, 1, 1), fallback=LegalState.GRANTED) is LegalState.GRANTED
    assert _status(later, dt.date(2021, 1, 1), fallback=LegalState.GRANTED) is LegalState.INVALIDATED


@given(
    st.lists(
        st.tuples(
            st.dates(min_value=dt.date(2010, 1, 1), max_value=dt.date(2030, 1, 1)),
            st.one_of(st.none(), st.sampled_from(list(LegalState))),
        ),
        max_size=8,
    ),
    st.dates(min_value=dt.date(2009, 1, 1), max_value=dt.date(2031, 1, 1)),
)
def test_future_events_never_influence_the_status(
    pairs: list[tuple[dt.date, LegalState | None]], as_of: dt.date
) -> None:
    """Property: dropping every event dated after as_of does not change the status on as_of."""
    events = [LegalEvent(d, s) for d, s in pairs]
    past = [e for e in events if e.date <= as_of]
    kwargs = {"patent_type": PatentType.UTILITY_MODEL, "filing_date": dt.date(2010, 1, 1)}
    assert status_as_of(events, as_of, **kwargs) is status_as_of(past, as_of, **kwargs)  # type: ignore[arg-type]


@given(
    st.lists(
        st.tuples(
            st.dates(min_value=dt.date(2010, 1, 1), max_value=dt.date(2030, 1, 1)),
            st.sampled_from([s for s in LegalState if s is not LegalState.GRANTED]),
        ),
        max_size=6,
    )
)
def test_only_granted_rights_turn_expired(pairs: list[tuple[dt.date, LegalState]]) -> None:
    """Property: a replay that never reaches GRANTED never reports EXPIRED unless an event said so."""
    events = [LegalEvent(d, s) for d, s in pairs]
    state = status_as_of(
        events, dt.date(2060, 1, 1), patent_type=PatentType.UTILITY_MODEL, filing_date=dt.date(2000, 1, 1)
    )
    if state is LegalState.EXPIRED:
        assert any(e.state is LegalState.EXPIRED for e in events)
