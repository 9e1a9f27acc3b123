"""Location of the text resources shipped inside the engine package."""

from __future__ import annotations

from pathlib import Path

__all__ = ["text_data_path"]

_DIR = Path(__file__).resolve().parent


def text_data_path(name: str) -> Path:
    """Path of a shipped text resource; raises FileNotFoundError when missing."""
    path = _DIR / name
    if not path.exists():
        raise FileNotFoundError(path)
    return path
