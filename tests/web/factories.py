"""Small factories for the web tests: organisations, members, patents, needs, match items, batches.

Plain functions (factory_boy is not a dependency). Each goes through the real service where one
exists — the inventory chain, posting a need, curation and push, imports, tokens — so the records
carry what the services write (owner, submitter, classes, audit events). Where no service creates
the record (an approved library patent as an import would leave it, a notification), the ORM is
used with the fields the services would set. Numbers and names are unique per call, so a test can
make as many as it needs without thinking about collisions.

Use these instead of importing the bundled demo data when a test needs "some patents" rather than
the demo content itself (matching and ranking tests keep the real text).
"""

from __future__ import annotations

import csv
import datetime as dt
import itertools
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from patentbridge_engine.ids import app_check_char

from .conftest import make_user as _make_user

__all__ = [
    "HEAT_PUMP",
    "app_number",
    "chain_patent",
    "import_rows",
    "make_grade",
    "make_match_item",
    "make_member",
    "make_need",
    "make_notification",
    "make_org",
    "make_patent",
    "make_patents",
    "make_token",
    "patent_row",
]

_serial = itertools.count(1)

# A record whose text, IPC and chain are unambiguous: heat pumps (IPC F25B, chain GLC 绿色低碳).
HEAT_PUMP = {
    "title": "一种回收工业余热制取蒸汽的高温热泵机组",
    "abstract": "本发明公开一种高温热泵机组，回收车间低温余热，经两级压缩提升为工业用高温蒸汽。",
    "ipc": ["F25B30/02"],
    "applicants": ["西安交通大学"],
}


def _next() -> int:
    return next(_serial)


def app_number(serial: int | None = None, *, year: int = 2023, kind: str = "1") -> str:
    """A valid CN application number (``YYYY`` + type digit + 7-digit serial + check character).

    ``kind`` is the type digit: 1 invention, 2 utility model, 3 design."""
    digits = f"{year}{kind}{(serial if serial is not None else _next() + 9_000_000) % 10_000_000:07d}"
    return f"{digits}.{app_check_char(digits)}"


def make_org(name: str | None = None, kind: str = "university", *, actor: Any = None, **fields: Any) -> Any:
    """An organisation; through ``accounts.services.create_org`` when an admin ``actor`` is given."""
    from patentbridge.accounts.models import Organization

    name = name or f"测试机构{_next()}"
    if actor is not None:
        from patentbridge.accounts.services import create_org

        return create_org(actor=actor, name=name, kind=kind, **fields)
    return Organization.objects.create(name=name, kind=kind, **fields)


def make_member(
    org: Any, role: str, username: str | None = None, *, college: str = "", actor: Any = None
) -> Any:
    """A user with a membership (password ``conftest.PASSWORD``); through ``set_membership`` with an
    admin ``actor`` (audited), else the ORM as the fixtures do."""
    username = username or f"{role}{_next()}"
    if actor is None:
        return _make_user(username, org, role, college=college)
    from django.contrib.auth import get_user_model

    from patentbridge.accounts.services import set_membership

    from .conftest import PASSWORD

    user = get_user_model().objects.create_user(username=username, password=PASSWORD)
    set_membership(actor=actor, user=user, org=org, role=role, college=college)
    user.refresh_from_db()
    return user


def patent_row(number: str | None = None, **fields: Any) -> dict[str, Any]:
    """Form/import values of a patent (the entry form's and the importer's field names)."""
    values: dict[str, Any] = {
        "application_number": number or app_number(),
        "title": f"一种测试用装置{_next()}",
        "abstract": "一种用于测试的装置，包括壳体和传感器。",
        "ipc": "G01N33/00",
        "applicants": "西安交通大学",
        "filing_date": "2023-05-01",
    }
    values.update(fields)
    return values


def make_patent(
    *,
    status: str = "in_library",
    owner: Any = None,
    submitted_by: Any = None,
    number: str | None = None,
    classify: bool = False,
    **fields: Any,
) -> Any:
    """A stored patent in ``status`` (ORM), with the fields an import or the inventory chain sets.

    ``owner`` is the inventorying organisation, ``submitted_by`` the inventor; ``classify`` writes
    the classes the services would (needs the ``chains`` fixture for chain classes)."""
    from patentbridge.patents.models import Patent

    number = number or app_number()
    type_digit = number[4] if number[:4].isdigit() else "1"
    values: dict[str, Any] = {
        "application_number": number,
        "patent_type": {"1": "invention", "2": "utility_model", "3": "design"}.get(type_digit, "invention"),
        "title": f"一种测试用装置{_next()}",
        "abstract": "一种用于测试的装置，包括壳体和传感器。",
        "ipc": ["G01N33/00"],
        "ipc_main": "",
        "applicants": ["西安交通大学"],
        "applicant_kind": "university",
        "province": "陕西",
        "filing_date": dt.date(2023, 5, 1),
        "legal_status": "substantive_exam",
        "owner_org": owner,
        "submitted_by": submitted_by,
        "source_form": submitted_by is not None,
        "library_status": status,
        "self_assessment": "good" if status == "in_library" and submitted_by is not None else "",
    }
    values.update(fields)
    if not values["ipc_main"] and values["ipc"]:
        values["ipc_main"] = values["ipc"][0]
    patent = Patent.objects.create(**values)
    if classify:
        from patentbridge.patents.classification import replace_classes

        replace_classes([patent])
    return patent


def make_patents(n: int, **fields: Any) -> list[Any]:
    """``n`` patents with the same options (distinct numbers and titles)."""
    return [make_patent(**fields) for _ in range(n)]


def chain_patent(
    status: str,
    *,
    inventor: Any,
    reviewer: Any,
    data: Mapping[str, Any] | None = None,
    college_reviewer: Any = None,
) -> Any:
    """A form-entered patent taken through the real inventory chain to ``status``.

    draft → (submit) pending_college → (college review) pending_university → (university review)
    in_library; ``rejected`` is returned from college review. ``reviewer`` is a TTO of the inventor's
    organisation (without a college); ``college_reviewer`` defaults to ``reviewer``."""
    from patentbridge.patents import services

    college_reviewer = college_reviewer or reviewer
    patent = services.create_patent(actor=inventor, data=dict(data or patent_row()))
    if status == "draft":
        return patent
    patent = services.submit_patent(actor=inventor, patent=patent)
    if status == "pending_college":
        return patent
    if status == "rejected":
        return services.reject_patent(actor=college_reviewer, patent=patent, reason="材料不全，请补充")
    patent = services.approve_college(actor=college_reviewer, patent=patent, note="同意")
    if status == "pending_university":
        return patent
    if status == "in_library":
        return services.approve_university(actor=reviewer, patent=patent, self_assessment="good")
    raise ValueError(f"unknown status {status!r}")


def make_need(actor: Any, *, org: Any = None, **data: Any) -> Any:
    """A technology need posted through ``demands.services.create_need`` (classified at once)."""
    from patentbridge.demands.services import create_need

    n = _next()
    values = {
        "title": f"余热回收制蒸汽需求{n}",
        "description": "车间有大量低温余热，希望用热泵把它提升成工业用高温蒸汽，降低燃气消耗。",
    }
    values.update(data)
    return create_need(actor=actor, data=values, org=org)


def make_match_item(
    need: Any,
    patent: Any,
    *,
    operator: Any,
    state: str = "pinned",
    note: str = "",
    feedback: str = "",
    enterprise: Any = None,
    reason: str = "",
) -> Any:
    """A curated item through the real services: pinned or dropped (curate), pushed (curate + push),
    then optionally the enterprise's ``feedback`` (give_feedback). ``patent`` must be in the library."""
    from patentbridge.matching import services
    from patentbridge.matching.models import MatchItem

    action = {"pinned": "pin", "dropped": "drop", "pushed": "pin"}[state]
    services.curate(
        actor=operator, need=need, application_number=patent.application_number, action=action, note=note
    )
    if state == "pushed":
        services.push_shortlist(actor=operator, need=need)
    item = MatchItem.objects.select_related("need").get(need=need, patent=patent)
    if feedback:
        item = services.give_feedback(actor=enterprise, item=item, verdict=feedback, reason=reason)
    return item


def make_notification(org: Any, message: str = "测试通知", *, url: str = "", read: bool = False) -> Any:
    """A site notification for ``org`` (ORM: notifications are written by the list recomputation)."""
    from django.utils import timezone

    from patentbridge.core.models import Notification

    return Notification.objects.create(
        org=org, message=message, url=url, read_at=timezone.now() if read else None
    )


def make_token(user: Any, name: str = "测试令牌", *, actor: Any = None) -> tuple[Any, str]:
    """An API token through ``accounts.services.create_token``; returns (record, key)."""
    from patentbridge.accounts.services import create_token

    return create_token(actor=actor or user, user=user, name=name)


def make_grade(patent: Any) -> Any:
    """Grade ``patent`` with the real grading service; returns its ``PatentGrade``."""
    from patentbridge.grading.models import PatentGrade
    from patentbridge.grading.services import grade_numbers

    grade_numbers([patent.application_number])
    return PatentGrade.objects.get(patent=patent)


def import_rows(
    actor: Any, rows: Iterable[Mapping[str, Any]], directory: Path, *, name: str | None = None, **kwargs: Any
) -> Any:
    """Write ``rows`` (canonical field names as headers) to a CSV under ``directory`` and run the real
    import (create_batch + run_batch); returns the finished batch. List values are joined with ``;``."""
    from .conftest import run_import

    rows = [dict(r) for r in rows]
    headers = list(dict.fromkeys(k for r in rows for k in r)) or ["application_number", "title"]
    path = Path(directory) / (name or f"rows{_next()}.csv")
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(headers)
        for r in rows:
            writer.writerow(
                [
                    ";".join(v) if isinstance(v, list | tuple) else ("" if v is None else v)
                    for v in (r.get(h) for h in headers)
                ]
            )
    return run_import(actor, path, **kwargs)
