"""Files that hold secrets or personal data: readable by the service's user only."""

from __future__ import annotations

import os


def private_opener(path: str, flags: int) -> int:
    """An `open(..., opener=)` that creates files with mode 0600 (umask may narrow it)."""
    return os.open(path, flags, 0o600)


def private_file(path: str | os.PathLike) -> None:
    """Create `path` with mode 0600, or set an existing file's mode to 0600."""
    fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_APPEND, 0o600)
    try:
        os.fchmod(fd, 0o600)
    finally:
        os.close(fd)
