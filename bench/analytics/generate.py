"""SYNTHETIC analytics corpus: ``size`` patents resampled from the real Tai'an set
(bench/data/taian_patents.jsonl.xz: titles, main IPC, applicants, application years), spread over
synthetic universities and enterprises in Shandong's cities and counties, with proportional
grades, chain classes, licence contracts (1 per 100 patents, a third with a free trial), needs
(1 per 200 patents) and pushes (5 patents per pushed need).

Every title carries ``SYNTHETIC_LABEL`` and every organisation name starts with 【合成】, so no
row can pass for a real patent or a real organisation. Rows go in with executemany (SQLite) or
COPY (PostgreSQL) through ``bulk_insert``, never one ORM ``save()`` per row. Runs inside a
configured Django process (``bench.analytics.run`` starts one per backend).
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import itertools
import json
import lzma
import random
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from patentbridge_engine.bench import SYNTHETIC_LABEL

ROOT = Path(__file__).resolve().parents[2]
ORG_LABEL = "【合成】"
# Shandong's 16 cities; each gets synthetic counties 01..08 under it (region_label names the city).
CITIES = ("3701", "3702", "3703", "3704", "3705", "3706", "3707", "3708", "3709", "3710", "3711", "3713")
CITIES += ("3714", "3715", "3716", "3717")
BIG_UNIVERSITY = f"{ORG_LABEL}山东第一理工大学"
START = dt.date(2024, 1, 1)
END = dt.date(2026, 11, 27)
_CHUNK = 20_000


def seeds() -> list[dict[str, Any]]:
    """The real Tai'an records (title, main IPC, applicant, year and type from the number)."""
    rows = []
    with lzma.open(ROOT / "bench/data/taian_patents.jsonl.xz", "rt", encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            digits = "".join(ch for ch in r.get("app_no", "") if ch.isdigit())
            if not r.get("title") or len(digits) < 9:
                continue
            year = int(digits[:4]) if len(digits) >= 12 else 1985 + int(digits[:2]) % 40
            kind = digits[4] if len(digits) >= 12 else digits[2]
            rows.append(
                {
                    "title": r["title"],
                    "ipc": (r.get("main_ipc") or "").strip(),
                    "applicant": r.get("applicant") or "",
                    "year": min(max(year, 1985), 2025),
                    "kind": {"1": "invention", "2": "utility_model", "3": "design"}.get(kind, "invention"),
                }
            )
    return rows


def bulk_insert(model: Any, rows: Iterable[dict[str, Any]]) -> int:
    """Insert ``rows`` (field name → value; missing fields take the model default) into
    ``model``'s table: COPY on PostgreSQL, executemany on SQLite, in chunks. Returns the count."""
    from django.db import connection

    rows = iter(rows)
    first = next(rows, None)
    if first is None:
        return 0
    pk = model._meta.pk
    # Without explicit ids the database numbers the rows (the pk column is left out).
    fields = [f for f in model._meta.concrete_fields if f is not pk or pk.attname in first]
    columns = [f.column for f in fields]
    table = connection.ops.quote_name(model._meta.db_table)
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    defaults = {f.attname: f.get_default() for f in fields if f.has_default() or f.null}

    def prepared(row: dict[str, Any]) -> tuple[Any, ...]:
        out = []
        for f in fields:
            value = row[f.attname] if f.attname in row else defaults.get(f.attname, "")
            if f.get_internal_type() == "JSONField":
                out.append(json.dumps(value, ensure_ascii=False))
            else:
                out.append(f.get_db_prep_save(value, connection))
        return tuple(out)

    total = 0
    chunk: list[tuple[Any, ...]] = []

    def flush() -> None:
        nonlocal total
        if not chunk:
            return
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                    for values in chunk:
                        copy.write_row(values)
            else:
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(f"INSERT INTO {table} ({quoted}) VALUES ({marks})", chunk)
        total += len(chunk)
        chunk.clear()

    for row in itertools.chain([first], rows):
        chunk.append(prepared(row))
        if len(chunk) >= _CHUNK:
            flush()
    flush()
    return total


def reset_sequences(models: Iterable[Any]) -> None:
    """PostgreSQL: move each id sequence past the explicit ids the generator wrote."""
    from django.core.management.color import no_style
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), list(models)):
            cursor.execute(sql)


def _moment(rng: random.Random, lo: dt.date = START, hi: dt.date = END) -> dt.datetime:
    from django.utils import timezone

    day = lo + dt.timedelta(days=rng.randrange(max(1, (hi - lo).days)))
    naive = dt.datetime.combine(day, dt.time(9 + rng.randrange(8), rng.randrange(60)))
    return timezone.make_aware(naive, timezone.get_default_timezone())


def _next_id(model: Any) -> int:
    from django.db.models import Max

    return int(model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1


def generate(size: int, seed: int = 13) -> dict[str, Any]:
    """Fill the configured (freshly migrated) database; returns the row counts and the ids the
    benchmark reads (big university, an enterprise, a city)."""
    from django.contrib.auth import get_user_model

    from patentbridge.accounts.models import Organization
    from patentbridge.demands.models import TechNeed
    from patentbridge.grading.models import PatentGrade
    from patentbridge.licensing.models import ContractStep, LicenceContract
    from patentbridge.matching.models import MatchItem, Push
    from patentbridge.patents.models import IndustryChain, Patent, PatentClass

    rng = random.Random(seed)
    real = seeds()
    chains = list(IndustryChain.objects.values_list("code", "name", "ipc_patterns"))
    system = get_user_model().objects.get(username="system")
    counties = [f"{city}{n:02d}" for city in CITIES for n in range(1, 9)]

    # Organisations: 1 university per 5,000 patents (at least 4), 1 enterprise per 200 patents.
    n_univ, n_ent = max(4, size // 5_000), max(10, size // 200)
    org_id = _next_id(Organization)
    orgs: list[dict[str, Any]] = []
    for i in range(n_univ):
        name = BIG_UNIVERSITY if i == 0 else f"{ORG_LABEL}高校{i:04d}"
        orgs.append(
            {"id": org_id + i, "name": name, "kind": "university", "region_code": rng.choice(counties)}
        )
    # One in ten enterprises registers only a city-level code (the "未细分" rows of by-region).
    for i in range(n_ent):
        code = rng.choice(counties)
        orgs.append(
            {
                "id": org_id + n_univ + i,
                "name": f"{ORG_LABEL}企业{i:06d}",
                "kind": "enterprise",
                "region_code": code if i % 10 else code[:4] + "00",
            }
        )
    now = _moment(rng, END, END + dt.timedelta(days=1))
    for o in orgs:
        o.update(province="山东省", created_at=now)
    bulk_insert(Organization, orgs)
    univ_ids = [o["id"] for o in orgs[:n_univ]]
    ent_ids = [o["id"] for o in orgs[n_univ:]]
    # A skewed portfolio: the big university owns ~8%, the rest spread with a long tail.
    weights = [0.08 * n_univ] + [1.0 / (1 + i % 37) for i in range(1, n_univ)]

    patent_id = _next_id(Patent)
    statuses = ("in_library",) * 17 + ("pending_university", "draft", "rejected")
    owners = rng.choices(univ_ids, weights=weights, k=size)

    def patents() -> Iterator[dict[str, Any]]:
        for n in range(size):
            base = real[n % len(real)]
            year = min(2025, max(1985, base["year"] + rng.randint(-2, 2)))
            digit = {"invention": "1", "utility_model": "2", "design": "3"}[base["kind"]]
            created = _moment(rng)
            yield {
                "id": patent_id + n,
                "application_number": f"{year}{digit}9{n:06d}.X"[:20],
                "patent_type": base["kind"],
                "title": f"{SYNTHETIC_LABEL}{base['title']}"[:500],
                "ipc_main": base["ipc"],
                "ipc": [base["ipc"]] if base["ipc"] else [],
                "applicants": [base["applicant"]] if base["applicant"] else [],
                "province": "山东省",
                "filing_date": dt.date(year, 1 + rng.randrange(12), 1 + rng.randrange(28)),
                "owner_org_id": owners[n],
                "library_status": statuses[rng.randrange(len(statuses))],
                "created_at": created,
                "updated_at": created,
            }

    facts: dict[int, tuple[str, dt.datetime, str]] = {}

    def remembered() -> Iterator[dict[str, Any]]:
        for row in patents():
            facts[row["id"]] = (row["library_status"], row["created_at"], row["ipc_main"])
            yield row

    counts = {"patents": bulk_insert(Patent, remembered())}

    def grades() -> Iterator[dict[str, Any]]:
        for pk, (status, created, _) in facts.items():
            if status != "in_library" or rng.random() > 0.7:
                continue
            grade = rng.choices("ABCD", weights=(1, 3, 4, 2))[0]
            at = created + dt.timedelta(days=rng.randrange(1, 120))
            yield {
                "patent_id": pk,
                "grade": grade,
                "final": grade,
                "score": rng.random() * 100,
                "coverage": 0.8,
                "policy_version": "synthetic-bench",
                "detail": {},
                "high_value": grade == "A" and rng.random() < 0.6,
                "graded_at": at,
            }

    counts["grades"] = bulk_insert(PatentGrade, grades())

    def classes() -> Iterator[dict[str, Any]]:
        for pk, (_, _, ipc) in facts.items():
            hits = [c for c in chains if any(fnmatch.fnmatch(ipc, p) for p in c[2])]
            # Perturbation: a quarter of the rest are classified into a chain by keywords.
            if not hits and rng.random() < 0.25:
                hits = [rng.choice(chains)]
            for code, name, _ in hits[:2]:
                yield {
                    "patent_id": pk,
                    "scheme": "chain",
                    "code": code,
                    "name": name,
                    "method": "rule",
                    "reason": "合成测试数据",
                }

    counts["chain_classes"] = bulk_insert(PatentClass, classes())

    library = [pk for pk, f in facts.items() if f[0] == "in_library"]
    owner_of = dict(zip(range(patent_id, patent_id + size), owners, strict=True))
    contract_id, step_id = _next_id(LicenceContract), _next_id(ContractStep)
    contracts, links, steps = [], [], []
    for i in range(size // 100):
        picked = rng.sample(library, k=1 + (rng.random() < 0.3))
        signed = _moment(rng).date()
        trial = rng.random() < 0.35
        trial_end = signed + dt.timedelta(days=180) if trial else None
        converted = trial and rng.random() < 0.5
        cid = contract_id + i
        kind = rng.choice(("ordinary", "ordinary", "sole", "exclusive"))
        state = "active_paid" if converted or not trial else "active_trial"
        contracts.append(
            {
                "id": cid,
                "contract_no": f"SYN-{cid:08d}",
                "licensor_org_id": owner_of[picked[0]],
                "licensee_org_id": rng.choice(ent_ids),
                "kind": kind,
                "origin": rng.choice(("negotiated", "directed_trial", "directed", "open_licence")),
                "start_date": signed,
                "end_date": signed + dt.timedelta(days=3 * 365),
                "trial_months": 6 if trial else None,
                "trial_end": trial_end,
                "state": state,
                "signed_at": signed,
                "effective_at": signed,
                "created_by_id": system.pk,
                "created_at": _moment(rng, signed, signed + dt.timedelta(days=1)),
                "updated_at": _moment(rng, signed, signed + dt.timedelta(days=1)),
                "fee_schedule": {} if trial and not converted else {"fixed": "10000.00"},
            }
        )
        links.extend({"licencecontract_id": cid, "patent_id": p} for p in picked)
        if converted and trial_end is not None:
            paid_day = trial_end - dt.timedelta(days=rng.randrange(0, 150))
            steps.append(
                {
                    "id": step_id + len(steps),
                    "contract_id": cid,
                    "event": "state",
                    "from_state": "active_trial",
                    "to_state": "active_paid",
                    "on_date": paid_day,
                    "at": _moment(rng, paid_day, paid_day + dt.timedelta(days=1)),
                }
            )
    counts["contracts"] = bulk_insert(LicenceContract, contracts)
    counts["contract_patents"] = bulk_insert(LicenceContract.patents.through, links)
    counts["contract_steps"] = bulk_insert(ContractStep, steps)

    need_id, push_id = _next_id(TechNeed), _next_id(Push)
    needs, pushes, items = [], [], []
    for i in range(size // 200):
        created = _moment(rng)
        base = real[rng.randrange(len(real))]
        needs.append(
            {
                "id": need_id + i,
                "org_id": rng.choice(ent_ids),
                "title": f"{SYNTHETIC_LABEL}求购：{base['title']}"[:300],
                "description": "合成测试数据（由真实专利标题改写）",
                "status": rng.choice(("open", "open", "closed")),
                "created_at": created,
                "updated_at": created,
            }
        )
        if rng.random() < 0.6:
            pid = push_id + len(pushes)
            pushed = created + dt.timedelta(days=rng.randrange(1, 30))
            pushes.append({"id": pid, "need_id": need_id + i, "item_count": 5, "created_at": pushed})
            for patent in rng.sample(library, k=5):
                answered = rng.random() < 0.5
                items.append(
                    {
                        "need_id": need_id + i,
                        "patent_id": patent,
                        "state": "pushed",
                        "push_id": pid,
                        "feedback": rng.choice(("interested", "not_relevant")) if answered else "",
                        "feedback_at": pushed + dt.timedelta(days=3) if answered else None,
                        "created_at": pushed,
                        "updated_at": pushed,
                    }
                )
    counts["needs"] = bulk_insert(TechNeed, needs)
    counts["pushes"] = bulk_insert(Push, pushes)
    counts["match_items"] = bulk_insert(MatchItem, items)
    reset_sequences([Organization, Patent, PatentGrade, PatentClass, LicenceContract, ContractStep])
    reset_sequences([LicenceContract.patents.through, TechNeed, Push, MatchItem])
    counts["organizations"] = len(orgs)
    big_city = next(o["region_code"][:4] for o in orgs if o["kind"] == "enterprise")
    return {
        "counts": counts,
        "big_university": univ_ids[0],
        "enterprise": Counter(c["licensee_org_id"] for c in contracts).most_common(1)[0][0],
        "city": big_city,
        "county": orgs[0]["region_code"],
    }
