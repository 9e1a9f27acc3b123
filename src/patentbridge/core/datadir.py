"""Owner-only permissions for the data directory (database, secret key, uploads, credentials, indexes).

New files are already private because the settings set ``umask 077``; ``restrict_data_dir`` also fixes
files created before that (an older version, a copy made with ``cp``), and runs at ``patentbridge init``.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["DIR_MODE", "FILE_MODE", "restrict_data_dir"]

DIR_MODE = 0o700
FILE_MODE = 0o600


def restrict_data_dir(root: Path) -> int:
    """chmod ``root`` and everything under it to 0700 (dirs) / 0600 (files); returns entries changed.

    Symbolic links are not followed: a link inside the data directory must not make us chmod a file
    elsewhere.
    """
    changed = 0
    if not root.is_dir():
        return changed
    for path in (root, *root.rglob("*")):
        if path.is_symlink():
            continue
        mode = DIR_MODE if path.is_dir() else FILE_MODE
        if path.stat().st_mode & 0o777 != mode:
            os.chmod(path, mode)
            changed += 1
    return changed
