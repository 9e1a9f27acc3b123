"""Architecture rule: a view never writes another app's models.

Views and API routes change state only through their own app's ``services.py`` (which audits in the
same transaction); reading another app's models for display is allowed. This check parses every
``views.py`` / ``*_views.py`` / ``api/*.py`` module and reports a write call (``.objects.create``,
``.update(``, ``.delete(``, ``.save(``, ``bulk_create`` …) on a model class imported from another
app's ``models`` module. Run by ``make lint``; exit status 1 lists the offending lines.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "src" / "patentbridge"
WRITES = frozenset(
    {"create", "bulk_create", "bulk_update", "update", "update_or_create", "get_or_create", "delete", "save"}
)


def _foreign_models(tree: ast.Module, app: str) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.endswith(".models"):
            parts = node.module.split(".")
            if len(parts) == 3 and parts[0] == "patentbridge" and parts[1] != app:
                names.update(alias.asname or alias.name for alias in node.names)
    return names


def _root_name(node: ast.expr) -> str | None:
    while isinstance(node, (ast.Attribute, ast.Call, ast.Subscript)):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else None


def violations(path: Path, app: str) -> list[str]:
    """``path:line: Model.method`` for every write on another app's model in one module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    foreign = _foreign_models(tree, app)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in WRITES:
            root = _root_name(node.func.value)
            if root in foreign:
                found.append(f"{path}:{node.lineno}: {root}….{node.func.attr}() in a view")
    return found


def view_modules(root: Path = ROOT) -> list[tuple[Path, str]]:
    """Every view-like module with the app it belongs to."""
    out = []
    for path in sorted(root.rglob("*.py")):
        app = path.relative_to(root).parts[0]
        if path.name == "views.py" or path.name.endswith("_views.py") or app == "api":
            out.append((path, app))
    return out


def main() -> int:
    problems = [line for path, app in view_modules() for line in violations(path, app)]
    for line in problems:
        print(line)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
