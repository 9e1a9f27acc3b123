"""``patentbridge export`` filters × formats, the import template's columns, search page filters and
paging, API-token touch throttling and the settings parsers' errors."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import logging
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import DatabaseError
from django.utils import timezone
from openpyxl import load_workbook

from patentbridge.accounts import tokens as tokens_module
from patentbridge.accounts.models import ApiToken
from patentbridge.accounts.tokens import touch_token
from patentbridge.ingest.template import TEMPLATE_COLUMNS, template_xlsx
from patentbridge.patents.export import EXPORT_COLUMNS
from patentbridge.search.index import update_index
from patentbridge.settings import env
from patentbridge_engine.errors import InvalidNumberError
from patentbridge_engine.ids import parse_application_number
from patentbridge_engine.ingest.headers import map_headers
from patentbridge_engine.ingest.record import FIELD_LABELS

from .factories import app_number, import_rows, make_patent, make_token, patent_row
from .test_permissions import client_for

# ---------------------------------------------------------------------------------------------
# export command: every filter gives the same patents in every format
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def library(users, chains, tmp_path):
    """Eight library patents differing in IPC, filing year and owner, imported by the operator; and
    one university draft (not in the library)."""
    rows = [
        patent_row(title=f"一种高温热泵{n}", ipc="F25B30/02", filing_date=f"{2019 + n % 2}-03-01")
        for n in range(4)
    ]
    rows += [patent_row(title=f"一种电池{n}", ipc="H01M4/36", filing_date="2020-06-01") for n in range(4)]
    batch = import_rows(users["operator"], rows, tmp_path, name="lib.csv")
    assert batch.imported == 8
    make_patent(status="draft", owner=users["tto"].membership.org, submitted_by=users["inventor"])


def _export(fmt: str, tmp_path: Path, **options) -> list[str]:
    """Application numbers of an export in ``fmt`` (through a file, as people use it)."""
    target = tmp_path / f"out-{fmt}-{len(list(tmp_path.iterdir()))}.{fmt}"
    call_command("export", format=fmt, output=str(target), stderr=io.StringIO(), **options)
    if fmt == "jsonl":
        lines = target.read_text(encoding="utf-8").splitlines()
        return [json.loads(line)["application_number"] for line in lines]
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(target.read_bytes().decode("utf-8-sig"))))
        assert rows[0][0] == "申请号"
        return [row[0] for row in rows[1:]]
    sheet = load_workbook(target, read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "申请号"
    return [row[0] for row in rows[1:]]


FILTERS = [
    {},
    {"ipc": "F25B"},
    {"ipc": "H01M4"},
    {"year": "2020"},
    {"status": "in_library"},
    {"status": "draft"},
    {"ipc": "F25B", "year": "2019"},
    {"owner": "不存在的机构"},
]


@pytest.mark.parametrize(
    "options", FILTERS, ids=lambda o: ",".join(f"{k}={v}" for k, v in o.items()) or "all"
)
def test_every_format_exports_the_same_patents_for_a_filter(users, library, tmp_path, options):
    """JSONL, CSV and XLSX list exactly the same application numbers, in the same order, for each
    filter; and those are what the filter means on the stored patents."""
    from patentbridge.patents.models import Patent

    exported = {fmt: _export(fmt, tmp_path, user="operator", **options) for fmt in ("jsonl", "csv", "xlsx")}
    assert exported["jsonl"] == exported["csv"] == exported["xlsx"]
    qs = Patent.objects.all()
    if "ipc" in options:
        qs = [p for p in qs if any(c.replace(" ", "").startswith(options["ipc"]) for c in p.ipc)]
    if "year" in options:
        qs = [p for p in qs if p.filing_date and p.filing_date.year == int(options["year"])]
    if "status" in options:
        qs = [p for p in qs if p.library_status == options["status"]]
    if "owner" in options:
        qs = []
    expected = sorted(p.application_number for p in qs)
    assert exported["jsonl"] == expected


def test_a_filter_combination_narrows_each_filter_alone(users, library, tmp_path):
    """Two filters together give the intersection of each alone."""
    ipc = set(_export("jsonl", tmp_path, user="operator", ipc="F25B"))
    year = set(_export("jsonl", tmp_path, user="operator", year="2019"))
    both = set(_export("jsonl", tmp_path, user="operator", ipc="F25B", year="2019"))
    assert both == ipc & year and both


def test_output_file_export_reports_the_count_on_stderr(users, library, tmp_path):
    """With --output the data goes to the file and a Chinese summary with the count to stderr."""
    err = io.StringIO()
    out = io.StringIO()
    target = tmp_path / "x.jsonl"
    call_command("export", user="operator", ipc="H01M", output=str(target), stdout=out, stderr=err)
    assert out.getvalue() == ""
    assert f"已导出 4 件专利到 {target}" in err.getvalue()


def test_an_account_without_a_membership_cannot_export(users, library):
    """An account that belongs to no organisation has no role, so it may not export anything."""
    from django.contrib.auth import get_user_model
    from django.core.management import CommandError

    get_user_model().objects.create_user(username="orphan", password="x")
    with pytest.raises(CommandError, match="无权导出"):
        call_command("export", user="orphan", stdout=io.StringIO())


def test_every_export_column_that_is_a_record_field_reimports_to_that_field():
    """An export can be uploaded again: its Chinese headers map back to the same importer fields."""
    headers = [label for key, label in EXPORT_COLUMNS if key in FIELD_LABELS]
    mapped = map_headers(headers)
    for key, label in EXPORT_COLUMNS:
        if key in FIELD_LABELS:
            assert mapped.fields.get(label) == key, label


# ---------------------------------------------------------------------------------------------
# import template
# ---------------------------------------------------------------------------------------------


def test_template_headers_map_to_distinct_importer_fields_including_the_required_ones():
    """Each template column feeds its own importer field, and the identity, title and applicant
    columns are among them."""
    headers = [c[0] for c in TEMPLATE_COLUMNS]
    mapped = map_headers(headers)
    assert len(set(mapped.fields.values())) == len(headers)
    assert mapped.missing_required() == []
    required_fields = {mapped.fields[h] for h, must, _, _ in TEMPLATE_COLUMNS if must}
    assert required_fields == {"application_number", "title", "applicants"}


def test_instruction_sheet_describes_every_column_in_order():
    """Sheet 2 lists each header with 必填/选填 as declared, in the data sheet's order."""
    book = load_workbook(io.BytesIO(template_xlsx()))
    data_headers = [c.value for c in book["专利清单"][1]]
    notes = list(book["填写说明"].iter_rows(min_row=2, values_only=True))
    described = [row for row in notes if row and row[0] in data_headers]
    assert [row[0] for row in described] == data_headers
    for (header, must, _, _), row in zip(TEMPLATE_COLUMNS, described, strict=True):
        assert row[1] == ("必填" if must else "选填"), header


def test_example_row_lines_up_with_the_headers_and_its_number_is_invalid():
    """The example row has one value per header, and its application number cannot be imported."""
    book = load_workbook(io.BytesIO(template_xlsx()))
    sheet = book["专利清单"]
    header = [c.value for c in sheet[1]]
    example = [c.value for c in sheet[2]]
    assert len(example) == len(header) == len(TEMPLATE_COLUMNS)
    number = example[header.index("申请号")]
    with pytest.raises(InvalidNumberError):
        parse_application_number(number)
    assert sheet.max_row == 2


# ---------------------------------------------------------------------------------------------
# search page filters and paging
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def heat_pumps(users):
    """25 heat-pump patents (15 filed 2021, 10 filed 2022) and 3 unrelated ones, indexed."""
    made = [
        make_patent(
            title=f"一种高温热泵机组{n}",
            abstract="回收工业余热制取蒸汽的高温热泵。",
            ipc=["F25B30/02"],
            filing_date=dt.date(2021 if n < 15 else 2022, 1, 1),
        )
        for n in range(25)
    ]
    made += [make_patent(title=f"一种包装袋{n}", ipc=["B65D33/00"]) for n in range(3)]
    update_index([p.application_number for p in made])
    return made


def _search(user, **params):
    return client_for(user).get("/search/", params)


@pytest.mark.django_db
def test_results_are_paged_twenty_at_a_time_without_repeats(users, heat_pumps):
    """Page 1 holds 20 results, page 2 the rest; no result appears on both pages."""
    first = _search(users["operator"], q="高温热泵", page="1").context["page"]
    second = _search(users["operator"], q="高温热泵", page="2").context["page"]
    ids1 = [r.patent.pk for r in first.object_list]
    ids2 = [r.patent.pk for r in second.object_list]
    assert len(ids1) == 20
    assert not set(ids1) & set(ids2)
    assert first.paginator.count == len(ids1) + len(ids2)
    assert {p.pk for p in heat_pumps[:25]} <= set(ids1) | set(ids2)


@pytest.mark.django_db
@pytest.mark.parametrize("raw", ["abc", "0", "-3", ""])
def test_junk_page_numbers_show_the_first_page(users, heat_pumps, raw):
    """A page parameter that is not a positive number shows page 1 rather than an error."""
    response = _search(users["operator"], q="高温热泵", page=raw)
    assert response.status_code == 200 and response.context["page"].number == 1


@pytest.mark.django_db
def test_a_page_past_the_end_shows_the_last_page(users, heat_pumps):
    """Asking for page 99 of a two-page result shows page 2."""
    page = _search(users["operator"], q="高温热泵", page="99").context["page"]
    assert page.number == page.paginator.num_pages == 2


@pytest.mark.django_db
def test_page_links_keep_the_filters_but_not_the_page(users, heat_pumps):
    """The query string for page links carries q and filters, never a stale page number."""
    response = _search(users["operator"], q="高温热泵", filing_year="2022", page="1")
    querystring = response.context["querystring"]
    assert "filing_year=2022" in querystring and "page=" not in querystring


@pytest.mark.django_db
def test_year_filter_limits_results_before_ranking(users, heat_pumps):
    """Only 2022 patents come back with filing_year=2022, all of them, on one page."""
    page = _search(users["operator"], q="高温热泵", filing_year="2022").context["page"]
    years = {r.patent.filing_date.year for r in page.object_list}
    assert years == {2022}
    assert page.paginator.count == 10


@pytest.mark.django_db
def test_an_empty_query_lists_nothing(users, heat_pumps):
    """Without a query there is nothing to rank: zero results, not the whole library."""
    page = _search(users["operator"], q="   ").context["page"]
    assert page.paginator.count == 0


# ---------------------------------------------------------------------------------------------
# touch_token throttling
# ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_first_use_is_recorded_after_commit(users, django_capture_on_commit_callbacks):
    """A never-used token gets ``last_used_at`` once the caller's transaction commits."""
    record, _ = make_token(users["tto"])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        touch_token(record)
        assert ApiToken.objects.get(pk=record.pk).last_used_at is None
    assert len(callbacks) == 1
    callbacks[0]()
    assert ApiToken.objects.get(pk=record.pk).last_used_at is not None


@pytest.mark.django_db
def test_recent_use_schedules_no_write(users, settings, django_capture_on_commit_callbacks):
    """Within the touch interval nothing is written (no on-commit callback at all)."""
    settings.PATENTBRIDGE_TOKEN_TOUCH_SECONDS = 60
    record, _ = make_token(users["tto"])
    record.last_used_at = timezone.now() - dt.timedelta(seconds=30)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        touch_token(record)
    assert callbacks == []


@pytest.mark.django_db
def test_stale_use_is_rewritten(users, settings, django_capture_on_commit_callbacks):
    """After the interval the time moves forward to now."""
    settings.PATENTBRIDGE_TOKEN_TOUCH_SECONDS = 60
    record, _ = make_token(users["tto"])
    old = timezone.now() - dt.timedelta(seconds=120)
    ApiToken.objects.filter(pk=record.pk).update(last_used_at=old)
    record.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        touch_token(record)
    assert ApiToken.objects.get(pk=record.pk).last_used_at > old + dt.timedelta(seconds=100)


@pytest.mark.django_db
def test_a_stale_copy_does_not_overwrite_a_fresh_write(users, settings, django_capture_on_commit_callbacks):
    """Two requests holding the same stale token: the conditional update lets only the first write,
    so a slower request never moves ``last_used_at`` (the second sees a fresh value in the row)."""
    settings.PATENTBRIDGE_TOKEN_TOUCH_SECONDS = 60
    record, _ = make_token(users["tto"])
    fresh = timezone.now() - dt.timedelta(seconds=5)
    stale_copy = ApiToken.objects.get(pk=record.pk)
    stale_copy.last_used_at = None
    ApiToken.objects.filter(pk=record.pk).update(last_used_at=fresh)
    with django_capture_on_commit_callbacks(execute=True):
        touch_token(stale_copy)
    assert ApiToken.objects.get(pk=record.pk).last_used_at == fresh


@pytest.mark.django_db
def test_zero_interval_writes_every_time(users, settings, django_capture_on_commit_callbacks):
    """With the interval at 0 every use is recorded (no throttling)."""
    settings.PATENTBRIDGE_TOKEN_TOUCH_SECONDS = 0
    record, _ = make_token(users["tto"])
    record.last_used_at = timezone.now()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        touch_token(record)
    assert len(callbacks) == 1


@pytest.mark.django_db
def test_a_busy_database_never_fails_the_request(
    users, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    """When the write lock cannot be had, the touch is skipped and logged, not raised."""
    record, _ = make_token(users["tto"])

    class Busy:
        def __enter__(self):
            raise DatabaseError("database is locked")

        def __exit__(self, *exc):
            return False

    monkeypatch.setattr(tokens_module, "quick_write", lambda: Busy())
    with (
        caplog.at_level(logging.INFO, logger=tokens_module.__name__),
        django_capture_on_commit_callbacks(execute=True),
    ):
        touch_token(record)
    assert ApiToken.objects.get(pk=record.pk).last_used_at is None
    assert any("数据库繁忙" in r.getMessage() for r in caplog.records)


# ---------------------------------------------------------------------------------------------
# settings/env.py
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("", False),
        ("True", True),
        ("true", True),
        ("1", True),
        ("False", False),
        ("false", False),
        ("0", False),
    ],
)
def test_flag_accepts_the_documented_spellings(raw, value):
    """Exactly these spellings are booleans."""
    assert env.flag(raw) is value


@pytest.mark.parametrize("raw", ["yes", "no", "TRUE", " True", "2", "on"])
def test_flag_refuses_anything_else(raw):
    """A typo is an error, never silently False."""
    with pytest.raises(env.BadValue, match="'True' or 'False'"):
        env.flag(raw)


@pytest.mark.parametrize("raw", ["0", "-1", "abc", "1.5", ""])
def test_positive_megabytes_refuses_non_positive_or_non_whole(raw):
    """Megabytes must be a whole number ≥ 1."""
    with pytest.raises(env.BadValue, match="≥ 1"):
        env.positive_megabytes(raw)
    assert env.positive_megabytes("12") == 12


@pytest.mark.parametrize(("raw", "ok"), [("", 0), ("0", 0), ("90", 90)])
def test_whole_seconds_accepts_empty_as_zero(raw, ok):
    """Empty means 0 seconds; digits are read as an int."""
    assert env.whole_seconds(raw) == ok


@pytest.mark.parametrize("raw", ["-5", "1.5", "ten", " 5"])
def test_whole_seconds_refuses_signs_fractions_and_words(raw):
    """Only plain digits are seconds."""
    with pytest.raises(env.BadValue, match="whole number of seconds"):
        env.whole_seconds(raw)


def test_one_of_lists_the_choices_in_its_hint():
    """The hint names every allowed value, quoted."""
    parse = env.one_of("immediate", "database")
    assert parse("database") == "database"
    with pytest.raises(env.BadValue) as caught:
        parse("redis")
    assert str(caught.value) == "use 'immediate' or 'database'"


def test_lag_seconds_never_fails():
    """Negative and unreadable values are 0; fractions are kept."""
    assert env.lag_seconds("2.5") == 2.5
    assert env.lag_seconds("-3") == 0.0
    assert env.lag_seconds("soon") == 0.0


def test_comma_list_drops_empty_items():
    """Empty items (trailing or doubled commas) are not values."""
    assert env.comma_list("a,,b,") == ["a", "b"]
    assert env.comma_list("") == []


def test_convert_names_the_variable_and_value_in_the_error():
    """A parser's refusal becomes ``Unexpected value NAME=VALUE, hint``."""
    with pytest.raises(ImproperlyConfigured) as caught:
        env.convert("PATENTBRIDGE_X", "maybe", env.flag)
    assert str(caught.value) == "Unexpected value PATENTBRIDGE_X=maybe, use 'True' or 'False'"


def test_convert_lets_other_errors_through_unchanged():
    """Only BadValue is rewritten; a parser's own error (such as int()) surfaces as itself."""
    with pytest.raises(ValueError, match="invalid literal"):
        env.convert("PATENTBRIDGE_X", "x", int)


def test_setting_reads_the_environment_and_falls_back_to_the_default(monkeypatch):
    """A declared variable is parsed from the environment, or from its default when unset; ``read``
    sees later changes."""
    monkeypatch.setattr(env, "REGISTRY", {})
    monkeypatch.delenv("PB_TEST_SECONDS", raising=False)
    assert env.setting("PB_TEST_SECONDS", "7", "test", parse=env.whole_seconds) == 7
    monkeypatch.setenv("PB_TEST_SECONDS", "30")
    assert env.read("PB_TEST_SECONDS") == 30
    monkeypatch.setenv("PB_TEST_SECONDS", "x")
    with pytest.raises(ImproperlyConfigured, match="PB_TEST_SECONDS=x"):
        env.read("PB_TEST_SECONDS")


def test_a_variable_declared_twice_must_be_declared_identically(monkeypatch):
    """The same declaration twice is fine; a different default or text is a programming error."""
    monkeypatch.setattr(env, "REGISTRY", {})
    monkeypatch.delenv("PB_TEST_TWICE", raising=False)
    env.setting("PB_TEST_TWICE", "1", "doc")
    env.setting("PB_TEST_TWICE", "1", "doc")
    with pytest.raises(RuntimeError, match="declared twice"):
        env.setting("PB_TEST_TWICE", "2", "doc")


def test_declarations_record_their_topic_from_the_declaring_module(monkeypatch):
    """The topic is the declaring module's last name part (documentation groups by it)."""
    monkeypatch.setattr(env, "REGISTRY", {})
    monkeypatch.delenv("PB_TEST_TOPIC", raising=False)
    env.setting("PB_TEST_TOPIC", "", "doc")
    assert env.REGISTRY["PB_TEST_TOPIC"].topic == __name__.rsplit(".", 1)[-1]


def test_every_real_declaration_parses_its_own_default():
    """Each PATENTBRIDGE_* default is a valid value for its own parser (docs show working defaults)."""
    import patentbridge.settings  # noqa: F401  (fills the registry)

    assert env.REGISTRY
    for name, declared in env.REGISTRY.items():
        env.convert(name, declared.default, declared.parse)


def test_app_number_factory_gives_numbers_the_importer_accepts():
    """The factories' numbers are valid, so export/search tests exercise real library rows."""
    parse_application_number(app_number(), require_check=True)
