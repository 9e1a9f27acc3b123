"""The mypy baseline only shrinks: scripts/check_types.py's comparison, on synthetic mypy output."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "check_types.py"


@pytest.fixture(scope="module")
def checker() -> ModuleType:
    spec = importlib.util.spec_from_file_location("check_types", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["check_types"] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


OUTPUT = [
    'patentbridge/core/admin.py:36: error: Missing type arguments for generic type "ModelAdmin"  [type-arg]',
    "patentbridge/core/admin.py:36: note: See https://mypy.readthedocs.io/",
    'patentbridge/core/apps.py: error: Skipping analyzing "axes.models": module is installed  [import-untyped]',
    'patentbridge/core/bulk.py:12:5: error: Name "x" already defined on line 3  [no-redef]',
    "Found 3 errors in 3 files (checked 10 source files)",
]


def test_normalise_drops_line_numbers_notes_and_summary(checker: ModuleType) -> None:
    assert checker.normalise(OUTPUT) == [
        'src/patentbridge/core/admin.py: type-arg: Missing type arguments for generic type "ModelAdmin"',
        'src/patentbridge/core/apps.py: import-untyped: Skipping analyzing "axes.models": module is installed',
        'src/patentbridge/core/bulk.py: no-redef: Name "x" already defined on line N',
    ]


def test_new_error_fails_and_is_listed(checker: ModuleType) -> None:
    baseline = checker.normalise(OUTPUT[:3])
    current = checker.normalise(
        [*OUTPUT, "patentbridge/api/routes.py:9: error: Missing return  [no-untyped-def]"]
    )
    result = checker.compare(current, baseline)
    assert not result.ok
    assert result.new == [
        "src/patentbridge/api/routes.py: no-untyped-def: Missing return",
        'src/patentbridge/core/bulk.py: no-redef: Name "x" already defined on line N',
    ]
    assert result.fixed == []


def test_new_error_exact_listing(checker: ModuleType) -> None:
    baseline = ["src/patentbridge/a.py: type-arg: Missing type arguments"]
    current = [*baseline, "src/patentbridge/b.py: no-untyped-def: Function is missing a type annotation"]
    result = checker.compare(current, baseline)
    assert not result.ok
    assert result.new == ["src/patentbridge/b.py: no-untyped-def: Function is missing a type annotation"]
    assert result.fixed == []


def test_a_second_occurrence_of_a_known_error_is_new(checker: ModuleType) -> None:
    entry = "src/patentbridge/a.py: type-arg: Missing type arguments"
    result = checker.compare([entry, entry], [entry])
    assert not result.ok
    assert result.new == [entry]


def test_fixed_errors_pass_and_are_reported(checker: ModuleType, capsys: pytest.CaptureFixture[str]) -> None:
    gone = "src/patentbridge/a.py: type-arg: Missing type arguments"
    kept = "src/patentbridge/b.py: misc: Something"
    result = checker.compare([kept], [gone, kept])
    assert result.ok
    assert result.fixed == [gone]
    checker.report(result, 1)
    out = capsys.readouterr().out
    assert "shrink the baseline" in out and gone in out


def test_engine_errors_are_never_tolerated(checker: ModuleType) -> None:
    entry = "src/patentbridge_engine/x.py: no-untyped-def: Function is missing a type annotation"
    result = checker.compare([entry], [entry])
    assert not result.ok
    assert result.engine == [entry]


def test_baseline_roundtrip(checker: ModuleType, tmp_path: Path) -> None:
    path = tmp_path / "baseline.txt"
    entries = [
        "src/patentbridge/b.py: misc: B",
        "src/patentbridge/a.py: misc: A",
        "src/patentbridge/a.py: misc: A",
    ]
    checker.write_baseline(entries, path)
    assert checker.read_baseline(path) == sorted(entries)
    assert path.read_text(encoding="utf-8").startswith("#")


def test_committed_baseline_holds_no_engine_errors(checker: ModuleType) -> None:
    assert not [entry for entry in checker.read_baseline() if entry.startswith(checker.ENGINE_PREFIX)]


def test_main_fails_on_new_error_and_update_only_shrinks(
    checker: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    baseline = tmp_path / "mypy-baseline.txt"
    known = 'patentbridge/core/admin.py:36: error: Missing type arguments for generic type "ModelAdmin"  [type-arg]'
    fixed = "patentbridge/core/views.py:3: error: Function is missing a type annotation  [no-untyped-def]"
    new = (
        "patentbridge/api/routes.py:9: error: Function is missing a return type annotation  [no-untyped-def]"
    )
    checker.write_baseline(checker.normalise([known, fixed]), baseline)
    monkeypatch.setattr(checker, "BASELINE", baseline)
    before = baseline.read_text(encoding="utf-8")

    monkeypatch.setattr(checker, "run_mypy", lambda: (1, [known, new]))
    assert checker.main([]) == 1
    assert checker.main(["--update"]) == 1  # refuses to grow
    assert baseline.read_text(encoding="utf-8") == before

    monkeypatch.setattr(checker, "run_mypy", lambda: (1, [known]))
    assert checker.main([]) == 0
    assert checker.main(["--update"]) == 0  # shrinks
    assert checker.read_baseline(baseline) == checker.normalise([known])

    monkeypatch.setattr(checker, "run_mypy", lambda: (2, ["mypy: error: plugin crashed"]))
    assert checker.main([]) == 2
