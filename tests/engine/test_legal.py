"""Terms, calendar arithmetic and the legal-status model (domain-rules §11.1, §11.2, §14)."""

import datetime as dt

import pytest

from patentbridge_engine.legal import LegalEvent, LegalState, PatentType, add_years, status_as_of, term_expiry
from patentbridge_engine.legal.status import parse_status_text


@pytest.mark.parametrize(
    ("ptype", "filed", "expiry"),
    [
        (PatentType.INVENTION, dt.date(2015, 3, 10), dt.date(2035, 3, 9)),
        (PatentType.DESIGN, dt.date(2021, 5, 31), dt.date(2031, 5, 30)),
        (PatentType.DESIGN, dt.date(2021, 6, 1), dt.date(2036, 5, 31)),
        (PatentType.UTILITY_MODEL, dt.date(2022, 12, 2), dt.date(2032, 12, 1)),
    ],
)
def test_term_expiry_vectors(ptype, filed, expiry):
    """Term runs from the filing date and ends the day before the anniversary; designs changed in 2021."""
    assert term_expiry(ptype, filed) == expiry


def test_add_years_from_29_february():
    """细则 Art. 5: a missing day in the target month falls back to the month's last day."""
    assert add_years(dt.date(2020, 2, 29), 3) == dt.date(2023, 2, 28)


@pytest.mark.parametrize(
    ("text", "state"),
    [
        ("有权-审定授权", LegalState.GRANTED),
        ("失效-未缴年费专利权终止", LegalState.LAPSED_NON_PAYMENT),
        ("审中-实质审查的生效", LegalState.SUBSTANTIVE_EXAM),
        ("失效-发明专利申请公布后的视为撤回", LegalState.DEEMED_WITHDRAWN),
        ("失效-发明专利申请公布后的驳回", LegalState.REJECTED),
        ("失效-专利权有效期届满", LegalState.EXPIRED),
        ("公开", LegalState.PUBLISHED),
        ("", LegalState.UNKNOWN),
        ("某种未知状态", LegalState.UNKNOWN),
    ],
)
def test_status_texts_of_commercial_exports(text, state):
    """The part after the dash is the specific event and decides."""
    assert parse_status_text(text) is state


def test_status_is_replayed_from_dated_events():
    """Events after ``as_of`` do not count; the latest earlier event decides."""
    events = [
        LegalEvent(dt.date(2020, 1, 1), LegalState.PUBLISHED),
        LegalEvent(dt.date(2022, 6, 1), LegalState.GRANTED),
        LegalEvent(dt.date(2023, 6, 1), None, "许可备案"),
        LegalEvent(dt.date(2025, 1, 1), LegalState.LAPSED_NON_PAYMENT),
    ]
    kwargs = {"patent_type": PatentType.INVENTION, "filing_date": dt.date(2019, 1, 1)}
    assert status_as_of(events, dt.date(2021, 1, 1), **kwargs) is LegalState.PUBLISHED
    assert status_as_of(events, dt.date(2024, 1, 1), **kwargs) is LegalState.GRANTED
    assert status_as_of(events, dt.date(2025, 1, 1), **kwargs) is LegalState.LAPSED_NON_PAYMENT


def test_granted_right_past_its_term_is_expired():
    """A utility model granted in 2013 on a 2012 filing has expired by 2023."""
    state = status_as_of(
        [],
        dt.date(2023, 1, 1),
        patent_type=PatentType.UTILITY_MODEL,
        filing_date=dt.date(2012, 5, 1),
        fallback=LegalState.GRANTED,
    )
    assert state is LegalState.EXPIRED
    assert state.group == "invalid"


@pytest.mark.parametrize(
    ("text", "ptype"),
    [
        ("发明", PatentType.INVENTION),
        ("发明授权", PatentType.INVENTION),
        ("实用新型", PatentType.UTILITY_MODEL),
        ("外观设计", PatentType.DESIGN),
        ("utility_model", PatentType.UTILITY_MODEL),
        ("", None),
        ("软件著作权", None),
    ],
)
def test_patent_type_from_text(text, ptype):
    """Type columns of exports spell the type in several ways."""
    assert PatentType.from_text(text) is ptype
