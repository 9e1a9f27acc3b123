"""Location of the reference tables shipped inside the engine package."""

from __future__ import annotations

from pathlib import Path

__all__ = ["DATA_DIR", "data_path"]

DATA_DIR = Path(__file__).resolve().parent


def data_path(name: str) -> Path:
    """Path of a shipped data file; raises FileNotFoundError when it is missing."""
    path = DATA_DIR / name
    if not path.exists():
        raise FileNotFoundError(path)
    return path
