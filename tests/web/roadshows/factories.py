"""Roadshow test factories: an event of the county cast taken through the real services to a
given status, with patents from the university's library, registrations and intentions.

Plain functions on top of ``web.menus.factories``; dates are fixed (no test reads today)."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from typing import Any

from patentbridge.patents.models import IndustryChain
from patentbridge.roadshows.models import RoadshowEvent, RoadshowItem
from patentbridge.roadshows.services import events, intentions, people
from web.menus.factories import COUNTY, Cast, chain_patents

__all__ = ["EVENT_DAY", "HELD_DAY", "Show", "make_event", "make_show"]

# The event is held on 2026-03-20; intentions and follow-ups are recorded after it.
EVENT_DAY = dt.date(2026, 3, 20)
BEFORE = dt.date(2026, 3, 2)
HELD_DAY = dt.date(2026, 3, 21)
_months = itertools.count(1)


def make_event(cast: Cast, *, chain: str = "GLC", month: str = "2026-03", **fields: Any) -> RoadshowEvent:
    """A PLANNED event of the cast's university for 莘县, co-hosted by the county government."""
    values: dict[str, Any] = {
        "organiser_org": cast.p.university,
        "chain": IndustryChain.objects.get(code=chain),
        "month": month,
        "title": f"一月一链·{chain}专场（{month}）",
        "event_date": dt.date.fromisoformat(f"{month}-20"),
        "region_code": COUNTY,
        "venue": "莘县科技会堂",
        "cohost_org": cast.county_gov,
    }
    values.update(fields)
    return events.create_event(cast.p.tto, **values)


@dataclass
class Show:
    """An event with two items, two registered 莘县 enterprises and (when held) two intentions."""

    cast: Cast
    event: RoadshowEvent
    items: list[RoadshowItem]
    intentions: list[Any] = field(default_factory=list)


def make_show(
    cast: Cast, *, status: str = "held", with_intentions: bool = True, month: str = "2026-03"
) -> Show:
    """An event walked to ``status`` through the services: two of the university's GLC patents,
    ent_a invited by the county officer, ent_a and ent_b registered; when held, ent_a states
    ¥200,000 (licence) and the organiser captures ¥150,000.50 (trial) for ent_b."""
    event = make_event(cast, month=month)
    patents = chain_patents(cast.p.university, 2)
    items = [events.add_item(cast.p.tto, event, on=BEFORE, patent=p) for p in patents]
    show = Show(cast, event, items)
    if status == "planned":
        return show
    events.set_status(cast.p.tto, event, to="open", on=BEFORE)
    people.invite(cast.officer, event, cast.ent_a)
    people.register(cast.ent_a_user, event, on=BEFORE, contact="王经理")
    people.register(cast.ent_b_user, event, on=BEFORE)
    if status == "open":
        return show
    events.set_status(cast.p.tto, event, to="held", on=EVENT_DAY)
    if with_intentions:
        show.intentions = [
            intentions.record_intention(
                cast.ent_a_user, items[0], mode="licence", amount="200000", on=HELD_DAY
            ),
            intentions.record_intention(
                cast.p.tto, items[1], org=cast.ent_b, mode="trial", amount="150000.50", on=HELD_DAY
            ),
        ]
    if status == "closed":
        events.set_status(cast.p.tto, event, to="closed", on=HELD_DAY)
    event.refresh_from_db()
    return show
