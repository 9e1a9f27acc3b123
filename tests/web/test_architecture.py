"""The architecture rules are enforced by tools, and the tools catch a violation.

`make lint` runs import-linter with one contract per rule (pyproject.toml [tool.importlinter]) and
scripts/check_view_writes.py; these tests show both pass on the tree and fail on a forbidden change.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def _lint(src: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), str(ROOT / "pyproject.toml"), "--no-cache"],
        cwd=src,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture(scope="module")
def tree_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of both packages to break on purpose."""
    target = tmp_path_factory.mktemp("arch") / "src"
    for package in ("patentbridge", "patentbridge_engine"):
        shutil.copytree(
            ROOT / "src" / package, target / package, ignore=shutil.ignore_patterns("__pycache__", "data")
        )
    return target


def test_contracts_hold_on_the_tree():
    """Every import-linter contract is kept by the code as it is."""
    result = _lint(ROOT / "src")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_a_forbidden_import_breaks_the_lint(tree_copy: Path):
    """core importing a feature app, or an app importing one above it, fails `make lint`."""
    (tree_copy / "patentbridge" / "core" / "forbidden.py").write_text(
        "from patentbridge.grading import models  # noqa\n", encoding="utf-8"
    )
    result = _lint(tree_copy)
    assert result.returncode != 0
    assert "Rule 4a: core imports no feature app BROKEN" in result.stdout
    assert (
        "Rule 4b: layers point one way" in result.stdout and "BROKEN" in result.stdout.split("Rule 4b", 1)[1]
    )


def test_the_engine_may_not_import_django(tree_copy: Path):
    """Rule 1 catches an engine module importing Django."""
    (tree_copy / "patentbridge" / "core" / "forbidden.py").unlink(missing_ok=True)
    (tree_copy / "patentbridge_engine" / "leak.py").write_text("import django  # noqa\n", encoding="utf-8")
    result = _lint(tree_copy)
    assert result.returncode != 0 and "Rule 1: the engine never imports Django or the web project BROKEN" in (
        result.stdout
    )


def _check_view_writes():
    spec = importlib.util.spec_from_file_location(
        "check_view_writes", ROOT / "scripts" / "check_view_writes.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_views_write_no_other_apps_models(tmp_path: Path):
    """The tree is clean; a view that updates another app's model is reported with its line."""
    checker = _check_view_writes()
    assert [line for path, app in checker.view_modules() for line in checker.violations(path, app)] == []
    view = tmp_path / "views.py"
    view.write_text(
        "from patentbridge.patents.models import Patent\n"
        "from patentbridge.matching.models import MatchItem\n\n"
        "def v(request):\n"
        "    MatchItem.objects.filter(pk=1).update(note='x')\n"
        "    Patent.objects.filter(pk=1).exists()\n"
        "    Patent.objects.filter(pk=1).update(title='x')\n",
        encoding="utf-8",
    )
    found = checker.violations(view, "matching")
    assert len(found) == 1 and ":7: Patent….update()" in found[0]
