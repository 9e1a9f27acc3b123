"""docs/cli.md and docs/configuration.md are generated from the code (scripts/gen_docs.py) and checked."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def gen_docs() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_docs", ROOT / "scripts" / "gen_docs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_docs_match_the_code(gen_docs):
    """The drift check `make lint` runs: a stale document is a failure with a diff."""
    for path, text in gen_docs.render().items():
        committed = (ROOT / path).read_text(encoding="utf-8")
        assert not gen_docs.compare(path, committed, text), f"{path} is stale: run `make docs`"


def test_check_fails_on_a_stale_document(gen_docs, tmp_path, monkeypatch, capsys):
    generated = gen_docs.render()
    assert gen_docs.compare("docs/cli.md", generated["docs/cli.md"], generated["docs/cli.md"]) == ""
    stale = generated["docs/configuration.md"].replace("`200`", "`100`")
    diff = gen_docs.compare("docs/configuration.md", stale, generated["docs/configuration.md"])
    assert (
        "-| `PATENTBRIDGE_UPLOAD_MAX_MB` | `100`" in diff
        and "+| `PATENTBRIDGE_UPLOAD_MAX_MB` | `200`" in diff
    )

    # The command itself, against a copy of the docs: --check fails, a regeneration fixes it.
    (tmp_path / "docs").mkdir()
    for path, text in generated.items():
        (tmp_path / path).write_text(text, encoding="utf-8")
    (tmp_path / "docs/configuration.md").write_text(stale, encoding="utf-8")
    monkeypatch.setattr(gen_docs, "ROOT", tmp_path)
    assert gen_docs.main(["--check"]) == 1
    assert "out of date" in capsys.readouterr().out
    assert gen_docs.main([]) == 0
    assert gen_docs.main(["--check"]) == 0


def test_every_variable_the_code_names_is_declared():
    """No PATENTBRIDGE_* variable escapes docs/configuration.md: each one is declared with setting()."""
    from patentbridge.settings.env import REGISTRY

    named = set()
    for source in (ROOT / "src" / "patentbridge").rglob("*.py"):
        named |= set(re.findall(r"PATENTBRIDGE_[A-Z0-9_]*[A-Z0-9]", source.read_text(encoding="utf-8")))
    assert named - set(REGISTRY) == set()


def test_command_help_is_chinese_without_django_internals(gen_docs):
    from patentbridge.cli import COMMANDS

    for typed, _ in COMMANDS:
        text = gen_docs.command_help(typed)
        assert text.startswith(f"用法：patentbridge {typed} ")
        for internal in ("--settings", "--pythonpath", "--traceback", "show this help", "import_patents"):
            assert internal not in text, (typed, internal)
