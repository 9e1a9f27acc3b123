"""The engine's public surface: sorted, complete ``__all__`` and no Django."""

import importlib
import pkgutil
import sys

import patentbridge_engine


def _isort_key(name: str) -> tuple[int, str]:
    """Ruff's RUF022 order: CONSTANTS, then Classes, then functions."""
    if name.isupper():
        return (0, name)
    return (1, name) if name[0].isupper() else (2, name)


def test_every_module_has_a_sorted_all():
    """Each module declares its public names, sorted, and they all exist."""
    for info in pkgutil.walk_packages(patentbridge_engine.__path__, "patentbridge_engine."):
        module = importlib.import_module(info.name)
        names = getattr(module, "__all__", None)
        if names is None:
            continue
        assert list(names) == sorted(names, key=_isort_key), info.name
        for name in names:
            assert hasattr(module, name), (info.name, name)


def test_importing_the_engine_does_not_import_django():
    """Boundary rule 1, checked at run time as well as by grep."""
    for info in pkgutil.walk_packages(patentbridge_engine.__path__, "patentbridge_engine."):
        importlib.import_module(info.name)
    assert not any(name == "django" or name.startswith("django.") for name in sys.modules)
