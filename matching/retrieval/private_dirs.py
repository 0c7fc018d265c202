"""Folders only their owner can enter: indexes, caches and the database hold personal data.

Example:
    >>> import tempfile
    >>> folder = make_private_dir(Path(tempfile.mkdtemp()) / "var" / "index")
    >>> oct(folder.stat().st_mode & 0o777)
    '0o700'
"""

from __future__ import annotations

import os
from pathlib import Path

PRIVATE_DIR = 0o700


def make_private_dir(path: Path) -> Path:
    """Create `path` and any missing parents as 0700; returns `path`.

    `Path.mkdir(parents=True, mode=...)` gives the mode to the last folder only,
    and the umask may narrow it, so each folder this call creates is made and
    then set to 0700. Folders that already exist keep their mode: they may be
    shared on purpose (a home directory, a mounted volume).
    """
    missing: list[Path] = []
    for folder in (path, *path.parents):
        if folder.exists():
            break
        missing.append(folder)
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=PRIVATE_DIR)
        except FileExistsError:  # made meanwhile by another process: leave its mode alone
            continue
        os.chmod(folder, PRIVATE_DIR)
    if not path.is_dir():
        raise NotADirectoryError(f"{path} exists and is not a folder")
    return path
